// The message browser: seek by partition + offset, by timestamp, or newest N; every scan is bounded
// (limit and timeout, enforced by the server too) and shows its progress; values are decoded
// (Confluent Avro via the registry, JSON, text, hex) and rendered as text only. Filters live in
// the URL so a view can be shared.
import { MessagesResponse, ScanLimits, SchemaById, type TopicMessage } from '@seaway/contracts';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { HttpError, request } from '../api/http.ts';
import { REGISTRY, useServiceOn } from '../api/resources.ts';
import { Empty, ErrorState } from '../components/States.tsx';
import { type AvroSchema, parseAvroSchema } from '../decode/avro.ts';
import { fromBase64 } from '../decode/base64.ts';
import { confluentSchemaId, type Decoded, decodeBytes } from '../decode/decode.ts';
import { count, duration } from '../format.ts';
import { useTail } from '../live/useTail.ts';
import { type Route, setQuery } from '../router.ts';
import { downloadExport } from './export.ts';
import { MessageRow } from './MessageRow.tsx';

export interface DecodedMessage {
  m: TopicMessage;
  key: Decoded;
  value: Decoded;
  headers: { key: string; value: Decoded }[];
}

type Mode = 'newest' | 'offset' | 'timestamp';

function toLocalInput(ms: number): string {
  const d = new Date(ms - new Date().getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 19);
}

export function MessageBrowser({ topic, partitions, route }: { topic: string; partitions: number; route: Route }) {
  const q = route.query;
  const mode = (['newest', 'offset', 'timestamp'].includes(q.get('from') ?? '') ? q.get('from') : 'newest') as Mode;
  const partition = q.get('partition') ?? '';
  const offset = q.get('offset') ?? '0';
  const ts = q.get('ts') ?? toLocalInput(Date.now() - 3_600_000);
  const limit = Math.min(ScanLimits.maxLimit, Math.max(1, Number(q.get('limit') ?? 50) || 50));
  const timeoutS = Math.min(ScanLimits.maxTimeoutMs / 1000, Math.max(1, Number(q.get('timeout') ?? 5) || 5));
  const filter = q.get('filter') ?? '';

  const [result, setResult] = useState<MessagesResponse | null>(null);
  const [error, setError] = useState<HttpError | null>(null);
  const [running, setRunning] = useState<{ startedAt: number; ctl: AbortController } | null>(null);
  const [now, setNow] = useState(Date.now());
  const [schemas, setSchemas] = useState<Map<number, AvroSchema | Error>>(new Map());
  const schemaReq = useRef(new Set<number>());
  const registryOn = useServiceOn('registry');

  const follow = q.get('follow') === '1' && mode === 'newest';
  const inflight = useRef<AbortController | null>(null);

  /** One bounded scan. Quiet scans (follow mode) skip the progress bar. */
  const scan = useCallback(
    async (quiet = false) => {
      const ctl = new AbortController();
      inflight.current?.abort();
      inflight.current = ctl;
      if (!quiet) setRunning({ startedAt: Date.now(), ctl });
      setError(null);
      const params = new URLSearchParams({ limit: String(limit), timeoutMs: String(timeoutS * 1000) });
      if (partition !== '') params.set('partition', partition);
      if (mode === 'offset') params.set('offset', String(Math.max(0, Number(offset) || 0)));
      if (mode === 'timestamp') params.set('timestamp', String(new Date(ts).getTime() || 0));
      if (mode === 'newest') params.set('newest', '');
      try {
        const r = await request(`/api/topics/${encodeURIComponent(topic)}/messages?${params}`, MessagesResponse, {
          signal: ctl.signal,
          timeoutMs: timeoutS * 1000 + 10_000,
        });
        setResult(r);
      } catch (e) {
        if (!(e instanceof HttpError && e.code === 'CANCELLED'))
          setError(e instanceof HttpError ? e : new HttpError(0, String(e), topic));
      } finally {
        if (inflight.current === ctl) inflight.current = null;
        if (!quiet) setRunning(null);
      }
    },
    [topic, partition, mode, offset, ts, limit, timeoutS],
  );

  // Abort whatever is in flight when the browser goes away.
  useEffect(() => () => inflight.current?.abort(), []);

  // Follow: new records stream in over /ws (useTail) on top of the last scan's newest messages.
  // A server that does not acknowledge the tail within 3 s gets the old bounded poll instead:
  // rescan the newest messages 2 s after each answer.
  const tail = useTail(topic, follow, limit);
  const [polling, setPolling] = useState(false);
  useEffect(() => {
    setPolling(false);
    if (!follow || tail.acked) return;
    const t = setTimeout(() => setPolling(true), 3_000);
    return () => clearTimeout(t);
  }, [follow, tail.acked]);
  const streaming = follow && !polling;
  // biome-ignore lint/correctness/useExhaustiveDependencies: result and error re-arm the timer
  useEffect(() => {
    if (!follow || !polling || running) return;
    const t = setTimeout(() => void scan(true), 2000);
    return () => clearTimeout(t);
  }, [follow, polling, running, result, error, scan]);

  // Scan once when the tab opens (bounded, so safe); later scans are on request.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only on topic change
  useEffect(() => {
    setResult(null);
    void scan();
  }, [topic]);

  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => setNow(Date.now()), 100);
    return () => clearInterval(t);
  }, [running]);

  /** What is shown: the scan's messages, or in follow mode the tailed ones (newest first) before them. */
  const messages: TopicMessage[] = useMemo(() => {
    const scanned = result?.messages ?? [];
    if (!streaming) return scanned;
    const p = partition === '' ? null : Number(partition);
    const fresh = tail.records.filter((m) => p === null || m.partition === p).reverse();
    const seen = new Set(fresh.map((m) => `${m.partition}:${m.offset}`));
    return fresh.concat(scanned.filter((m) => !seen.has(`${m.partition}:${m.offset}`))).slice(0, limit);
  }, [result, streaming, tail.records, partition, limit]);

  // Fetch the registry schema of every Confluent-framed value we have not seen yet.
  useEffect(() => {
    if (registryOn === undefined) return;
    const ids = new Set<number>();
    for (const m of messages) {
      for (const b of [m.value, m.key]) {
        const id = b ? confluentSchemaId(fromBase64(b)) : null;
        if (id !== null && !schemaReq.current.has(id)) ids.add(id);
      }
    }
    for (const id of ids) {
      schemaReq.current.add(id);
      if (!registryOn) {
        setSchemas((old) => new Map(old).set(id, new Error('no schema registry in this lab')));
        continue;
      }
      request(`${REGISTRY}/schemas/ids/${id}`, SchemaById, { timeoutMs: 5000 })
        .then((s) =>
          s.schemaType && s.schemaType !== 'AVRO'
            ? new Error(`${s.schemaType} schemas are shown as bytes`)
            : parseAvroSchema(s.schema),
        )
        .catch((e: Error) => new Error(e instanceof HttpError && e.status === 404 ? 'not in the registry' : e.message))
        .then((v) => setSchemas((old) => new Map(old).set(id, v)));
    }
  }, [messages, registryOn]);

  const decoded: DecodedMessage[] = useMemo(() => {
    const lookup = (id: number) => schemas.get(id);
    return messages.map((m) => ({
      m,
      key: decodeBytes(m.key === null ? null : fromBase64(m.key), lookup),
      value: decodeBytes(m.value === null ? null : fromBase64(m.value), lookup),
      headers: m.headers.map((h) => ({
        key: h.key,
        value: decodeBytes(h.value === null ? null : fromBase64(h.value)),
      })),
    }));
  }, [messages, schemas]);

  const shown = useMemo(() => {
    if (!filter) return decoded;
    // The filter matches the text as shown (pretty JSON) and the compact JSON a user types from
    // memory or copies from a producer: `"Speed":12.5` and `"Speed": 12.5` find the same record.
    const f = filter.toLowerCase();
    const has = (x: Decoded) =>
      x.text.toLowerCase().includes(f) || (x.value !== undefined && JSON.stringify(x.value).toLowerCase().includes(f));
    return decoded.filter((d) => has(d.key) || has(d.value) || d.headers.some((h) => has(h.value)));
  }, [decoded, filter]);

  // now ticks every 100 ms and may predate a scan that just started
  const elapsed = running ? Math.max(0, now - running.startedAt) : 0;
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    void scan();
  };

  return (
    <div className="browser">
      <form className="scan-form" onSubmit={submit} aria-label="Scan messages">
        <label>
          Partition
          <select value={partition} onChange={(e) => setQuery({ partition: e.target.value })}>
            <option value="">all</option>
            {Array.from({ length: partitions }, (_, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the index is the partition number
              <option key={i} value={i}>
                {i}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="seg">
          <legend>Start from</legend>
          {(['newest', 'offset', 'timestamp'] as const).map((m) => (
            <label key={m} className={mode === m ? 'on' : ''}>
              <input
                type="radio"
                name="from"
                value={m}
                checked={mode === m}
                onChange={() => setQuery({ from: m === 'newest' ? null : m })}
              />
              {m === 'newest' ? 'newest' : m}
            </label>
          ))}
        </fieldset>
        {mode === 'offset' && (
          <label>
            Offset
            <input type="number" min={0} value={offset} onChange={(e) => setQuery({ offset: e.target.value })} />
          </label>
        )}
        {mode === 'timestamp' && (
          <label>
            Time (local)
            <input type="datetime-local" step={1} value={ts} onChange={(e) => setQuery({ ts: e.target.value })} />
          </label>
        )}
        <label>
          Max messages
          <input
            type="number"
            min={1}
            max={ScanLimits.maxLimit}
            value={limit}
            onChange={(e) => setQuery({ limit: e.target.value })}
          />
        </label>
        <label>
          Max seconds
          <input
            type="number"
            min={1}
            max={30}
            value={timeoutS}
            onChange={(e) => setQuery({ timeout: e.target.value })}
          />
        </label>
        {mode === 'newest' && (
          <label className="check">
            <input
              type="checkbox"
              checked={follow}
              onChange={(e) => setQuery({ follow: e.target.checked ? '1' : null })}
            />{' '}
            follow (live)
          </label>
        )}
        {running ? (
          <button type="button" onClick={() => running.ctl.abort()}>
            Cancel
          </button>
        ) : (
          <button type="submit" className="primary" disabled={follow}>
            Scan
          </button>
        )}
      </form>

      {running && (
        <div
          className="progress"
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={timeoutS * 1000}
          aria-valuenow={elapsed}
          aria-label="Scan progress"
        >
          <div className="progress-bar" style={{ width: `${Math.min(100, (elapsed / (timeoutS * 1000)) * 100)}%` }} />
          <span className="small">
            Scanning… {duration(elapsed)} of at most {timeoutS} s, up to {limit} messages
          </span>
        </div>
      )}
      {error && <ErrorState error={error} what="messages" onRetry={() => void scan()} />}
      {follow && (
        <p className="small muted" role="status">
          {tail.error
            ? `Live tail stopped: ${tail.error.message}`
            : polling
              ? 'This lab does not stream records over /ws; rescanning the newest messages every 2 s instead.'
              : tail.acked
                ? `Live: ${count(tail.records.length)} streamed record${tail.records.length === 1 ? '' : 's'} on top of the scan, newest first, up to ${limit} shown`
                : 'Connecting the live tail…'}
          {tail.dropped > 0 ? ` · ${count(tail.dropped)} skipped (faster than the view shows)` : ''}
        </p>
      )}
      {result && !running && (
        <div className="scan-summary small">
          <span>
            {messages.length} message{messages.length === 1 ? '' : 's'} in {duration(result.elapsedMs)} ·{' '}
            {
              {
                limit: `stopped at the limit of ${limit}`,
                end: 'reached the end of the topic',
                timeout: `stopped after ${timeoutS} s; raise "Max seconds" to read further`,
                empty: 'nothing to read from that position',
              }[result.stoppedBy]
            }
          </span>
          <span className="spacer" />
          <input
            type="search"
            data-search
            placeholder="Filter shown messages ( / )"
            aria-label="Filter shown messages"
            value={filter}
            onChange={(e) => setQuery({ filter: e.target.value })}
          />
          <button type="button" onClick={() => downloadExport(topic, shown, 'json')} disabled={shown.length === 0}>
            Export JSON
          </button>
          <button type="button" onClick={() => downloadExport(topic, shown, 'csv')} disabled={shown.length === 0}>
            Export CSV
          </button>
        </div>
      )}
      {result && !running && messages.length === 0 && (
        <Empty>
          No messages from this position. Try “newest”, an earlier offset or time, or produce one from the Produce tab.
        </Empty>
      )}
      {filter && messages.length > 0 && shown.length === 0 && (
        <Empty>
          None of the {messages.length} messages read match “{filter}”. The filter looks in keys, values and headers, as
          shown or as compact JSON; clear it or read more messages.
        </Empty>
      )}
      {shown.length > 0 && (
        <table className="table messages">
          <thead>
            <tr>
              <th scope="col" className="num">
                P
              </th>
              <th scope="col" className="num">
                Offset
              </th>
              <th scope="col">Timestamp</th>
              <th scope="col">Key</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((d) => (
              <MessageRow key={`${d.m.partition}:${d.m.offset}`} d={d} />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
