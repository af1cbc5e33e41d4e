// Produce one record: key, value, headers, optional partition. Answers with where it landed.
import { ProduceResponse, SubjectVersion } from '@seaway/contracts';
import { useState } from 'react';
import { HttpError, request } from '../api/http.ts';
import { invalidate } from '../api/query.ts';
import { REGISTRY, useServiceOn } from '../api/resources.ts';
import { Link } from '../components/Link.tsx';
import { encodeAvro, parseAvroSchema } from '../decode/avro.ts';
import { toBase64 } from '../decode/base64.ts';
import { href } from '../router.ts';

/** Confluent wire format: magic 0, schema id (4 bytes, big-endian), Avro binary. */
async function avroBody(subject: string, valueText: string): Promise<{ base64: string; id: number }> {
  const v = await request(`${REGISTRY}/subjects/${encodeURIComponent(subject)}/versions/latest`, SubjectVersion, {
    timeoutMs: 5000,
  });
  if (v.schemaType && v.schemaType !== 'AVRO')
    throw new Error(`subject ${subject} holds a ${v.schemaType} schema; only Avro can be encoded here`);
  let json: unknown;
  try {
    json = JSON.parse(valueText);
  } catch (e) {
    throw new Error(`the value must be JSON to encode it as Avro: ${(e as Error).message}`);
  }
  const body = encodeAvro(parseAvroSchema(v.schema), json);
  const id = v.id;
  const bytes = new Uint8Array([0, (id >>> 24) & 255, (id >>> 16) & 255, (id >>> 8) & 255, id & 255, ...body]);
  return { base64: toBase64(bytes), id };
}

const utf8Base64 = (s: string) => toBase64(new TextEncoder().encode(s));

export function ProduceForm({ topic, partitions }: { topic: string; partitions: number }) {
  const [key, setKey] = useState('');
  const [value, setValue] = useState('{\n  "hello": "seaway"\n}');
  const [partition, setPartition] = useState('');
  const [headers, setHeaders] = useState<{ key: string; value: string }[]>([]);
  const [result, setResult] = useState<ProduceResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const registryOn = useServiceOn('registry');
  const [format, setFormat] = useState<'text' | 'avro'>('text');
  const [subject, setSubject] = useState(`${topic}-value`);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const avro = format === 'avro' ? await avroBody(subject, value) : null;
      const r = await request(`/api/topics/${encodeURIComponent(topic)}/messages`, ProduceResponse, {
        method: 'POST',
        timeoutMs: 15_000,
        body: {
          // With Avro the value is binary, so both key and value travel as base64.
          key: key === '' ? null : avro ? utf8Base64(key) : key,
          value: avro ? avro.base64 : value,
          encoding: avro ? 'base64' : 'utf8',
          partition: partition === '' ? undefined : Number(partition),
          headers: headers.filter((h) => h.key !== ''),
        },
      });
      setResult(r);
      invalidate(['topics']);
    } catch (err) {
      setError(err instanceof HttpError || err instanceof Error ? err.message : String(err));
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
      {registryOn && (
        <div className="row">
          <label>
            Value format
            <select value={format} onChange={(e) => setFormat(e.target.value as 'text' | 'avro')}>
              <option value="text">text (UTF-8)</option>
              <option value="avro">Avro, by subject</option>
            </select>
          </label>
          {format === 'avro' && (
            <label>
              Subject (latest version)
              <input value={subject} onChange={(e) => setSubject(e.target.value)} className="mono" />
            </label>
          )}
        </div>
      )}
      <label>
        Value{' '}
        <span className="muted small">
          {format === 'avro'
            ? '(JSON, encoded with the subject’s latest schema, Confluent framing)'
            : '(sent as UTF-8 text)'}
        </span>
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
