// Every request the console makes: same-origin relative URLs, a hard timeout, answers checked
// against the contracts schema, and errors that say what happened and what to do.

export interface Schema<T> {
  parse(x: unknown): T;
}

export class HttpError extends Error {
  constructor(
    /** HTTP status, or 0 when there was no answer (network error, timeout). */
    readonly status: number,
    message: string,
    readonly path: string,
    /** Seaway error code from the body, when the server gave one. */
    readonly code?: string,
  ) {
    super(message);
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

function messageOf(body: unknown, fallback: string): { message: string; code?: string } {
  if (body && typeof body === 'object') {
    const b = body as { message?: unknown; code?: unknown; error?: unknown };
    const message = typeof b.message === 'string' ? b.message : typeof b.error === 'string' ? b.error : fallback;
    return { message, code: typeof b.code === 'string' ? b.code : undefined };
  }
  if (typeof body === 'string' && body.trim()) return { message: body.trim().slice(0, 300) };
  return { message: fallback };
}

/** Fetch JSON from the lab. Resolves with the parsed body (null for 204), rejects with HttpError. */
export async function request<T>(path: string, schema: Schema<T> | null, o: RequestOptions = {}): Promise<T> {
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const ctl = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ctl.abort();
  }, timeoutMs);
  const onOuterAbort = () => ctl.abort();
  o.signal?.addEventListener('abort', onOuterAbort);
  let res: Response;
  try {
    res = await fetch(path, {
      method: o.method ?? 'GET',
      headers:
        o.body !== undefined
          ? { 'content-type': 'application/json', accept: 'application/json' }
          : { accept: 'application/json' },
      body: o.body !== undefined ? JSON.stringify(o.body) : undefined,
      signal: ctl.signal,
    });
  } catch (e) {
    if (timedOut) {
      throw new HttpError(
        0,
        `No answer from ${path} within ${Math.round(timeoutMs / 1000)} s. The lab may be busy; retry, or check its log.`,
        path,
      );
    }
    if (o.signal?.aborted) throw new HttpError(0, 'cancelled', path, 'CANCELLED');
    throw new HttpError(
      0,
      `Could not reach the lab (${(e as Error).message}). Is \`seaway start\` still running?`,
      path,
    );
  } finally {
    clearTimeout(timer);
    o.signal?.removeEventListener('abort', onOuterAbort);
  }
  const text = await res.text();
  let body: unknown = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  if (!res.ok) {
    const { message, code } = messageOf(body, `${res.status} ${res.statusText}`);
    throw new HttpError(res.status, message, path, code);
  }
  if (!schema || res.status === 204) return body as T;
  try {
    return schema.parse(body);
  } catch (e) {
    throw new HttpError(
      res.status,
      `Unexpected answer from ${path}: ${(e as Error).message.slice(0, 300)}`,
      path,
      'BAD_SHAPE',
    );
  }
}

/** A hint for an error, by where it came from. Pages add their own when they know better. */
export function hintFor(e: HttpError): string {
  if (e.status === 0) return 'Check that the lab is running, then retry.';
  if (e.path.startsWith('/api/connect')) {
    if (e.status === 404 || e.status === 503)
      return 'Kafka Connect is not available in this lab (CONNECT_PORT=0, or the bridge has not started). Start the lab with Connect enabled.';
  }
  if (e.path.startsWith('/api/schema-registry')) {
    if (e.status === 404 && !e.code)
      return 'The schema registry is not available in this lab. Start the lab with REGISTRY_PORT set, or SCHEMA_REGISTRY_URL.';
    if (e.status === 503) return 'The schema registry is starting or disabled; retry in a moment.';
  }
  if (e.status === 503) return 'The service is still starting; retry in a moment.';
  if (e.status === 502) return 'Kafka did not answer; check the Kafka service on the overview page.';
  return 'Retry; if it persists, check the lab log.';
}
