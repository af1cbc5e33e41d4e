// Produce one record: key, value, headers, optional partition. Answers with where it landed.
import { ProduceResponse } from '@seaway/contracts';
import { useState } from 'react';
import { HttpError, request } from '../api/http.ts';
import { invalidate } from '../api/query.ts';
import { Link } from '../components/Link.tsx';
import { href } from '../router.ts';

export function ProduceForm({ topic, partitions }: { topic: string; partitions: number }) {
  const [key, setKey] = useState('');
  const [value, setValue] = useState('{\n  "hello": "seaway"\n}');
  const [partition, setPartition] = useState('');
  const [headers, setHeaders] = useState<{ key: string; value: string }[]>([]);
  const [result, setResult] = useState<ProduceResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const r = await request(`/api/topics/${encodeURIComponent(topic)}/messages`, ProduceResponse, {
        method: 'POST',
        timeoutMs: 15_000,
        body: {
          key: key === '' ? null : key,
          value,
          partition: partition === '' ? undefined : Number(partition),
          headers: headers.filter((h) => h.key !== ''),
        },
      });
      setResult(r);
      invalidate(['topics']);
    } catch (err) {
      setError(err instanceof HttpError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="panel form" onSubmit={submit} aria-label="Produce a message">
      <div className="row">
        <label>
          Key <span className="muted small">(empty for none)</span>
          <input value={key} onChange={(e) => setKey(e.target.value)} className="mono" />
        </label>
        <label>
          Partition
          <select value={partition} onChange={(e) => setPartition(e.target.value)}>
            <option value="">by key (default partitioner)</option>
            {Array.from({ length: partitions }, (_, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the index is the partition number
              <option key={i} value={i}>
                {i}
              </option>
            ))}
          </select>
        </label>
      </div>
      <label>
        Value <span className="muted small">(sent as UTF-8 text)</span>
        <textarea
          rows={8}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          className="mono"
          spellCheck={false}
        />
      </label>
      <fieldset>
        <legend>Headers</legend>
        {headers.map((h, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional
          <div className="row" key={i}>
            <input
              aria-label={`Header ${i + 1} name`}
              placeholder="name"
              value={h.key}
              onChange={(e) => setHeaders(headers.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)))}
            />
            <input
              aria-label={`Header ${i + 1} value`}
              placeholder="value"
              value={h.value}
              onChange={(e) => setHeaders(headers.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))}
            />
            <button
              type="button"
              onClick={() => setHeaders(headers.filter((_, j) => j !== i))}
              aria-label={`Remove header ${i + 1}`}
            >
              ✕
            </button>
          </div>
        ))}
        <button type="button" onClick={() => setHeaders([...headers, { key: '', value: '' }])}>
          Add header
        </button>
      </fieldset>
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Sending…' : 'Produce'}
        </button>
        {result && (
          <output className="ok-text">
            Written to partition {result.partition} at offset {result.offset}.{' '}
            <Link
              href={href(['topics', topic], { partition: result.partition, from: 'offset', offset: result.offset })}
            >
              See it
            </Link>
          </output>
        )}
        {error && (
          <span className="error-text" role="alert">
            {error}
          </span>
        )}
      </div>
    </form>
  );
}
