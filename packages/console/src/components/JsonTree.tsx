// A collapsible JSON tree. Everything is rendered as React text nodes: payloads can never become HTML.
import { useState } from 'react';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function Leaf({ value }: { value: Json }) {
  if (value === null) return <span className="j-null">null</span>;
  if (typeof value === 'string') return <span className="j-str">{JSON.stringify(value)}</span>;
  if (typeof value === 'number') return <span className="j-num">{String(value)}</span>;
  if (typeof value === 'boolean') return <span className="j-bool">{String(value)}</span>;
  return null;
}

export function JsonTree({ value, name, depth = 0 }: { value: unknown; name?: string; depth?: number }) {
  const v = value as Json;
  const [open, setOpen] = useState(depth < 2);
  const label = name !== undefined ? <span className="j-key">{JSON.stringify(name)}: </span> : null;
  if (v === null || typeof v !== 'object') {
    return (
      <div className="j-row">
        {label}
        <Leaf value={v} />
      </div>
    );
  }
  const entries: [string, Json][] = Array.isArray(v) ? v.map((x, i) => [String(i), x]) : Object.entries(v);
  const brackets = Array.isArray(v) ? ['[', ']'] : ['{', '}'];
  return (
    <div className="j-node">
      <button type="button" className="j-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? '▾' : '▸'}
      </button>
      {label}
      {brackets[0]}
      {!open && (
        <span className="muted">
          {' '}
          {entries.length} {Array.isArray(v) ? 'items' : 'keys'}{' '}
        </span>
      )}
      {open && (
        <div className="j-children">
          {entries.map(([k, x]) => (
            <JsonTree key={k} name={Array.isArray(v) ? undefined : k} value={x} depth={depth + 1} />
          ))}
        </div>
      )}
      {brackets[1]}
    </div>
  );
}
