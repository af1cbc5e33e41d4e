// Generator: start AIS generator runs into the lab's MQTT broker with the usual parameters, watch
// their progress, stop them, and read the closing summary (msg/s, PUBACK p50/p99, errors).
// Runs are server-side (/api/generator/runs); this page polls them every second while any is live.
import {
  type GeneratorRunInfo,
  type GeneratorRunRequest,
  GeneratorRunsResponse,
  GeneratorRunInfo as RunInfoSchema,
} from '@seaway/contracts';
import { type FormEvent, useEffect, useState } from 'react';
import { HttpError, request } from '../api/http.ts';
import { invalidate, useQuery } from '../api/query.ts';
import { Badge, Empty, QueryView } from '../components/States.tsx';
import { count, duration, rate, time } from '../format.ts';

export const useGeneratorRuns = (refreshMs: number) =>
  useQuery(['generator', 'runs'], (signal) => request('/api/generator/runs', GeneratorRunsResponse, { signal }), {
    refreshMs,
  });

const FORMATS = [
  ['avro', 'avro (the seed schema, raw Avro)'],
  ['fdd', 'fdd (fast-data-dev schema, raw Avro)'],
  ['confluent', 'confluent (registry-framed Avro)'],
  ['json', 'json'],
  ['nmea', 'nmea (AIVDM sentences)'],
] as const;

const DEFAULTS: GeneratorRunRequest = {
  messages: 10_000,
  workers: 8,
  inflight: 1,
  rate: 0,
  format: 'avro',
  qos: 1,
  origin: '/ais',
  fleet: 300,
  duration: 0,
};

const live = (r: GeneratorRunInfo) => r.state === 'preparing' || r.state === 'running' || r.state === 'stopping';

function NumberField({
  label,
  value,
  min,
  onChange,
  hint,
}: {
  label: string;
  value: number;
  min: number;
  onChange: (n: number) => void;
  hint?: string;
}) {
  return (
    <label title={hint}>
      {label}
      <input
        type="number"
        min={min}
        step={1}
        value={value}
        required
        onChange={(e) => onChange(Math.max(min, Math.trunc(Number(e.target.value) || 0)))}
      />
    </label>
  );
}

function StartForm({ disabled }: { disabled: string | null }) {
  const [p, setP] = useState<GeneratorRunRequest>(DEFAULTS);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const set =
    <K extends keyof GeneratorRunRequest>(k: K) =>
    (v: GeneratorRunRequest[K]) =>
      setP((x) => ({ ...x, [k]: v }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const r = await request('/api/generator/runs', RunInfoSchema, { method: 'POST', body: p });
      setResult({ ok: true, text: `Run ${r.id.slice(0, 8)} started.` });
      invalidate(['generator', 'runs']);
    } catch (err) {
      setResult({ ok: false, text: err instanceof HttpError ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="panel form" onSubmit={submit} aria-label="Start a generator run">
      <h2>New run</h2>
      <div className="form-inline">
        <NumberField label="Messages (0 = until stopped)" value={p.messages} min={0} onChange={set('messages')} />
        <NumberField label="Workers" value={p.workers} min={1} onChange={set('workers')} hint="MQTT connections" />
        <NumberField
          label="In-flight per worker"
          value={p.inflight}
          min={1}
          onChange={set('inflight')}
          hint="Unacknowledged PUBLISHes per connection; 1 = stop-and-wait"
        />
        <NumberField label="Rate msg/s (0 = flat out)" value={p.rate} min={0} onChange={set('rate')} />
        <NumberField label="Fleet (vessels)" value={p.fleet} min={1} onChange={set('fleet')} />
        <NumberField label="Duration s (0 = none)" value={p.duration} min={0} onChange={set('duration')} />
      </div>
      <div className="form-inline">
        <label>
          Format
          <select value={p.format} onChange={(e) => set('format')(e.target.value as GeneratorRunRequest['format'])}>
            {FORMATS.map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <label>
          QoS
          <select value={p.qos} onChange={(e) => set('qos')(Number(e.target.value) as 0 | 1 | 2)}>
            <option value={0}>0</option>
            <option value={1}>1</option>
            <option value={2}>2</option>
          </select>
        </label>
        <label>
          MQTT topic (origin)
          <input className="mono" required value={p.origin} onChange={(e) => set('origin')(e.target.value)} />
        </label>
        <button type="submit" className="primary" disabled={busy || disabled !== null} title={disabled ?? undefined}>
          Start run
        </button>
      </div>
      {disabled && <p className="small muted">{disabled}</p>}
      {result && (
        <p className={result.ok ? 'small' : 'small bad'} role={result.ok ? 'status' : 'alert'}>
          {result.text}
        </p>
      )}
    </form>
  );
}

function RunRow({ r }: { r: GeneratorRunInfo }) {
  const [err, setErr] = useState<string | null>(null);
  const target = r.progress.target;
  const pct = target > 0 ? Math.min(100, (r.progress.messages / target) * 100) : null;
  const s = r.summary;
  const act = async () => {
    try {
      await request(`/api/generator/runs/${encodeURIComponent(r.id)}`, null, { method: 'DELETE' });
      invalidate(['generator', 'runs']);
    } catch (e) {
      setErr(e instanceof HttpError ? e.message : String(e));
    }
  };
  return (
    <tr>
      <th scope="row" className="mono small" title={r.id}>
        {r.id.slice(0, 8)}
        <div className="muted">{time(r.startedAt).slice(11, 19)}</div>
      </th>
      <td>
        <Badge state={r.state === 'running' ? 'RUNNING' : r.state} />
      </td>
      <td className="small">
        {r.params.messages ? count(r.params.messages) : '∞'} msgs · {r.params.workers}w × {r.params.inflight} ·{' '}
        {r.params.rate ? `${rate(r.params.rate)}/s` : 'flat out'} · {r.params.format} · QoS {r.params.qos} ·{' '}
        <span className="mono">{r.params.origin}</span>
      </td>
      <td style={{ minWidth: 180 }}>
        <div className="progress" style={{ margin: 0, height: 22 }}>
          {pct !== null && <div className="progress-bar" style={{ width: `${pct}%` }} />}
          <span className="small">
            {count(r.progress.messages)}
            {target > 0 ? ` / ${count(target)}` : ''} · {duration(r.progress.seconds * 1000)}
          </span>
        </div>
      </td>
      <td className="num">{rate(s?.msgPerSec ?? r.progress.msgPerSec)}</td>
      <td className="num">{s?.latencyMs ? `${s.latencyMs.p50} / ${s.latencyMs.p99}` : '—'}</td>
      <td className={`num${(s?.errors ?? r.progress.errors) > 0 ? ' bad' : ''}`}>
        {count(s?.errors ?? r.progress.errors)}
      </td>
      <td className="small">
        {live(r) ? (
          <button type="button" onClick={act} disabled={r.state === 'stopping'}>
            Stop
          </button>
        ) : (
          <button type="button" className="ghost" onClick={act}>
            Remove
          </button>
        )}
        {(r.error || s?.lastError || err) && (
          <div className="bad small" title={err ?? r.error ?? s?.lastError ?? undefined}>
            {(err ?? r.error ?? s?.lastError ?? '').slice(0, 240)}
          </div>
        )}
      </td>
    </tr>
  );
}

export function GeneratorPage() {
  const [fast, setFast] = useState(true);
  const runs = useGeneratorRuns(fast ? 1_000 : 5_000);
  const anyLive = runs.data?.runs.some(live) ?? false;
  // Poll every second while a run is live, every 5 s otherwise.
  useEffect(() => {
    if (runs.data) setFast(anyLive);
  }, [anyLive, runs.data]);
  const liveCount = runs.data?.runs.filter(live).length ?? 0;
  const disabled = !runs.data
    ? null
    : runs.data.mqttUrl === null
      ? 'The lab runs no MQTT broker (MQTT_PORT=0).'
      : liveCount >= runs.data.maxConcurrent
        ? `${liveCount} runs are going (at most ${runs.data.maxConcurrent}); stop one first.`
        : null;
  return (
    <section>
      <div className="page-head">
        <h1>Generator</h1>
        {runs.data?.mqttUrl && (
          <span className="small muted">
            publishes to <span className="mono">{runs.data.mqttUrl}</span>
          </span>
        )}
      </div>
      <StartForm disabled={disabled} />
      <section className="panel">
        <h2>Runs</h2>
        <QueryView q={runs} what="generator runs">
          {(d) =>
            d.runs.length === 0 ? (
              <Empty>
                No runs yet. Start one above; the Overview shows it flowing through MQTT, the bridge and Kafka.
              </Empty>
            ) : (
              <table className="table compact">
                <thead>
                  <tr>
                    <th scope="col">Run</th>
                    <th scope="col">State</th>
                    <th scope="col">Parameters</th>
                    <th scope="col">Progress</th>
                    <th scope="col" className="num">
                      msg/s
                    </th>
                    <th scope="col" className="num" title="PUBACK latency, ms (QoS 1 and 2)">
                      PUBACK p50 / p99 ms
                    </th>
                    <th scope="col" className="num">
                      Errors
                    </th>
                    <th scope="col" />
                  </tr>
                </thead>
                <tbody>
                  {d.runs.map((r) => (
                    <RunRow key={r.id} r={r} />
                  ))}
                </tbody>
              </table>
            )
          }
        </QueryView>
      </section>
    </section>
  );
}
