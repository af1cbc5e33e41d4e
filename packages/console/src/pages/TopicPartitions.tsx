// A topic's partitions: low/high offsets, records, bytes on disk, leader and replicas; add
// partitions (POST …/partitions, grow only) and purge (POST …/purge: delete the records before an
// offset on one partition, or everything on all of them), each asked twice before it happens.
import type { PurgeRequest, TopicDetail } from '@seaway/contracts';
import { PurgeResponse } from '@seaway/contracts';
import { useState } from 'react';
import { HttpError, request } from '../api/http.ts';
import { invalidate } from '../api/query.ts';
import { Link } from '../components/Link.tsx';
import { toast } from '../components/Toasts.tsx';
import { bytes, count } from '../format.ts';
import { href } from '../router.ts';

const errorText = (e: unknown) => (e instanceof HttpError ? e.message : String(e));

async function purge(topic: string, body: PurgeRequest) {
  const r = await request(`/api/topics/${encodeURIComponent(topic)}/purge`, PurgeResponse, {
    method: 'POST',
    body,
    timeoutMs: 20_000,
  });
  invalidate(['topics']);
  return r;
}

function AddPartitions({ t }: { t: TopicDetail }) {
  const [n, setN] = useState(t.partitions.length + 1);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await request(`/api/topics/${encodeURIComponent(t.name)}/partitions`, null, {
        method: 'POST',
        body: { count: n },
        timeoutMs: 20_000,
      });
      invalidate(['topics']);
      toast(`${t.name} now has ${n} partitions`);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="form-inline" onSubmit={submit} aria-label="Add partitions">
      <label>
        Partitions in total
        <input
          type="number"
          min={t.partitions.length + 1}
          max={10_000}
          value={n}
          onChange={(e) => setN(Number(e.target.value))}
        />
      </label>
      <button type="submit" disabled={busy}>
        {busy ? 'Adding…' : 'Add partitions'}
      </button>
      <span className="small muted">
        Kafka only adds partitions; keyed records may map to other partitions afterwards.
      </span>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

function PurgePartition({ topic, p }: { topic: string; p: TopicDetail['partitions'][number] }) {
  const [open, setOpen] = useState(false);
  const [before, setBefore] = useState(p.high);
  const [error, setError] = useState<string | null>(null);
  if (!open)
    return (
      <button
        type="button"
        aria-label={`Purge partition ${p.partition}`}
        onClick={() => {
          setBefore(p.high);
          setOpen(true);
        }}
      >
        Purge…
      </button>
    );
  return (
    <form
      className="confirm"
      aria-label={`Purge partition ${p.partition}`}
      onSubmit={async (e) => {
        e.preventDefault();
        setError(null);
        try {
          const r = await purge(topic, { partitions: [p.partition], beforeOffset: before });
          toast(`${topic} partition ${p.partition}: log now starts at offset ${r.partitions[0]?.low ?? before}`);
          setOpen(false);
        } catch (err) {
          setError(errorText(err));
        }
      }}
    >
      <label>
        Delete records before offset{' '}
        <input
          className="mono"
          inputMode="numeric"
          pattern="[0-9]+"
          size={10}
          value={before}
          onChange={(e) => setBefore(e.target.value.trim())}
        />
      </label>
      <button type="submit" className="danger">
        Purge
      </button>
      <button type="button" onClick={() => setOpen(false)}>
        Cancel
      </button>
      {error && (
        <span className="error-text" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}

function PurgeAll({ t }: { t: TopicDetail }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!confirming)
    return (
      <button type="button" className="danger" onClick={() => setConfirming(true)}>
        Purge all partitions
      </button>
    );
  return (
    <span className="confirm">
      Delete all {count(t.records)} records of <strong>{t.name}</strong> (the topic and its configs stay)?{' '}
      <button
        type="button"
        className="danger"
        onClick={async () => {
          setError(null);
          try {
            await purge(t.name, {});
            toast(`${t.name}: every partition purged`);
            setConfirming(false);
          } catch (err) {
            setError(errorText(err));
          }
        }}
      >
        Purge all
      </button>
      <button type="button" onClick={() => setConfirming(false)}>
        Keep
      </button>
      {error && (
        <span className="error-text" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}

export function TopicPartitions({ t }: { t: TopicDetail }) {
  return (
    <>
      <div className="form-inline panel">
        <AddPartitions key={t.partitions.length} t={t} />
        <span className="spacer" />
        <PurgeAll t={t} />
      </div>
      <table className="table" aria-label="Partitions">
        <thead>
          <tr>
            <th scope="col" className="num">
              Partition
            </th>
            <th scope="col" className="num">
              Low
            </th>
            <th scope="col" className="num">
              High
            </th>
            <th scope="col" className="num">
              Records
            </th>
            <th scope="col" className="num">
              Size
            </th>
            <th scope="col" className="num">
              Leader
            </th>
            <th scope="col">Replicas</th>
            <th scope="col">In sync</th>
            <th scope="col">Purge</th>
          </tr>
        </thead>
        <tbody>
          {t.partitions.map((p) => (
            <tr key={p.partition} data-testid="partition-row">
              <td className="num">
                <Link
                  href={href(['topics', t.name], {
                    tab: 'messages',
                    partition: p.partition,
                    from: 'offset',
                    offset: p.low,
                  })}
                >
                  {p.partition}
                </Link>
              </td>
              <td className="num mono">{p.low}</td>
              <td className="num mono">{p.high}</td>
              <td className="num">{count(Number(p.high) - Number(p.low))}</td>
              <td className="num" title={p.bytes !== undefined ? `${count(p.bytes)} bytes` : undefined}>
                {p.bytes !== undefined ? bytes(p.bytes) : '—'}
              </td>
              <td className="num">{p.leader}</td>
              <td className="mono">{p.replicas.join(', ')}</td>
              <td className="mono">{p.isr.join(', ')}</td>
              <td>
                <PurgePartition topic={t.name} p={p} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
