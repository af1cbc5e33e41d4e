import { afterEach, describe, expect, test, vi } from 'vitest';
import { HttpError, hintFor, request } from '../src/api/http.ts';

afterEach(() => {
  vi.unstubAllGlobals();
});

const schema = {
  parse(x: unknown) {
    if (typeof (x as { n?: unknown }).n !== 'number') throw new Error('n must be a number');
    return x as { n: number };
  },
};

describe('request', () => {
  test('a request with no answer fails after its timeout with status 0 and a hint', async () => {
    vi.stubGlobal(
      'fetch',
      (_url: string, init: RequestInit) =>
        new Promise((_res, rej) =>
          init.signal?.addEventListener('abort', () => rej(new DOMException('aborted', 'AbortError'))),
        ),
    );
    const err = await request('/api/slow', schema, { timeoutMs: 30 }).catch((e) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect(err.status).toBe(0);
    expect(err.message).toMatch(/No answer from \/api\/slow/);
  });

  test('an ApiError body becomes the message and code', async () => {
    vi.stubGlobal(
      'fetch',
      async () =>
        new Response(
          JSON.stringify({
            error_code: 404,
            message: 'topic "x" does not exist',
            code: 'SEAWAY_CONSOLE_TOPIC_NOT_FOUND',
          }),
          { status: 404 },
        ),
    );
    const err = await request('/api/topics/x', schema).catch((e) => e);
    expect(err).toMatchObject({
      status: 404,
      code: 'SEAWAY_CONSOLE_TOPIC_NOT_FOUND',
      message: 'topic "x" does not exist',
    });
  });

  test('an answer of the wrong shape is an error, not bad data on screen', async () => {
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ n: 'one' }), { status: 200 }));
    const err = await request('/api/x', schema).catch((e) => e);
    expect(err).toMatchObject({ code: 'BAD_SHAPE' });
  });

  test('Connect answering 404 is explained as Connect not running', () => {
    expect(hintFor(new HttpError(404, 'Not Found', '/api/connect/connectors'))).toMatch(
      /Kafka Connect is not available/,
    );
  });
});
