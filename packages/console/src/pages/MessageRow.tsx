// One message in the browser: a summary row that expands into key, headers, metadata and the
// value as a JSON tree or raw text. Everything is text nodes.
import { Fragment, useState } from 'react';
import { JsonTree } from '../components/JsonTree.tsx';
import type { Decoded } from '../decode/decode.ts';
import { bytes, time } from '../format.ts';
import type { DecodedMessage } from './MessageBrowser.tsx';

function preview(d: Decoded): string {
  if (d.kind === 'null') return 'null';
  const flat = d.kind === 'avro' || d.kind === 'json' ? JSON.stringify(d.value) : d.text;
  return flat.length > 160 ? `${flat.slice(0, 160)}…` : flat;
}

function DecodedView({ d, label }: { d: Decoded; label: string }) {
  const [raw, setRaw] = useState(false);
  const structured = (d.kind === 'avro' || d.kind === 'json') && typeof d.value === 'object' && d.value !== null;
  return (
    <div className="decoded">
      <div className="decoded-head">
        <strong>{label}</strong>{' '}
        <span className="tag">{d.kind === 'avro' ? `avro · schema ${d.schemaId}` : d.kind}</span>
        {structured && (
          <button type="button" className="link" onClick={() => setRaw(!raw)}>
            {raw ? 'tree' : 'raw'}
          </button>
        )}
        {d.note && <span className="small muted"> · {d.note}</span>}
      </div>
      {structured && !raw ? <JsonTree value={d.value} /> : <pre className="payload">{d.text}</pre>}
    </div>
  );
}

export function MessageRow({ d }: { d: DecodedMessage }) {
  const [open, setOpen] = useState(false);
  const m = d.m;
  return (
    <Fragment>
      <tr className={`msg-row ${open ? 'open' : ''}`}>
        <td className="num">{m.partition}</td>
        <td className="num">
          <button type="button" className="link" aria-expanded={open} onClick={() => setOpen(!open)}>
            {m.offset}
          </button>
        </td>
        <td className="mono small nowrap">{time(m.timestamp)}</td>
        <td className="mono small clip">{preview(d.key)}</td>
        <td className="mono small clip">
          {d.value.kind !== 'text' && d.value.kind !== 'null' && <span className="tag">{d.value.kind}</span>}
          {preview(d.value)}
        </td>
      </tr>
      {open && (
        <tr className="msg-detail">
          <td colSpan={5}>
            <dl className="kv inline small">
              <div>
                <dt>partition</dt>
                <dd>{m.partition}</dd>
              </div>
              <div>
                <dt>offset</dt>
                <dd>{m.offset}</dd>
              </div>
              <div>
                <dt>timestamp</dt>
                <dd>
                  {time(m.timestamp)} ({m.timestamp})
                </dd>
              </div>
              <div>
                <dt>size</dt>
                <dd>{bytes(m.size)}</dd>
              </div>
            </dl>
            <DecodedView d={d.key} label="Key" />
            {d.headers.length > 0 && (
              <table className="table compact headers">
                <caption>Headers</caption>
                <tbody>
                  {d.headers.map((h, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: headers may repeat a key
                    <tr key={i}>
                      <th scope="row" className="mono">
                        {h.key}
                      </th>
                      <td className="mono">{h.value.text}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <DecodedView d={d.value} label="Value" />
          </td>
        </tr>
      )}
    </Fragment>
  );
}
