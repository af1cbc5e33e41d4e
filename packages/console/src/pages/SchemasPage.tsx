// Schemas (Confluent schema registry under /api/schema-registry): subjects, versions, a
// side-by-side diff between two versions, compatibility level, and registering a new version.
import { Compatibility } from '@seaway/contracts';
import { useMemo, useState } from 'react';
import { HttpError, request } from '../api/http.ts';
import { invalidate } from '../api/query.ts';
import {
  REGISTRY,
  useCompatibility,
  useServiceOn,
  useSubjects,
  useSubjectVersion,
  useSubjectVersions,
} from '../api/resources.ts';
import { Link } from '../components/Link.tsx';
import { Empty, Loading, QueryView } from '../components/States.tsx';
import { diffLines, prettySchema, sideBySide } from '../diff/line-diff.ts';
import { href, type Route, setQuery } from '../router.ts';
import { parseCompatError } from './schema-errors.ts';

export function SchemaDiff({ left, right }: { left: string; right: string }) {
  const rows = useMemo(() => sideBySide(diffLines(prettySchema(left), prettySchema(right))), [left, right]);
  const changes = rows.filter((r) => r.left?.op !== 'same' || r.right?.op !== 'same').length;
  return (
    <div className="diff">
      <p className="small muted">
        {changes === 0 ? 'No differences.' : `${changes} changed line${changes === 1 ? '' : 's'}.`}
      </p>
      <table className="diff-table mono small">
        <tbody>
          {rows.map((r, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional
            <tr key={i}>
              <td className="ln">{r.left?.no ?? ''}</td>
              <td className={`d-${r.left?.op ?? 'none'}`}>
                {r.left ? (r.left.op === 'del' ? '− ' : '  ') : ''}
                {r.left?.text ?? ''}
              </td>
              <td className="ln">{r.right?.no ?? ''}</td>
              <td className={`d-${r.right?.op ?? 'none'}`}>
                {r.right ? (r.right.op === 'add' ? '+ ' : '  ') : ''}
                {r.right?.text ?? ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CompatibilityControl({ subject }: { subject: string }) {
  const c = useCompatibility(subject);
  const [error, setError] = useState<string | null>(null);
  const change = async (level: string) => {
    try {
      await request(`${REGISTRY}/config/${encodeURIComponent(subject)}`, null, {
        method: 'PUT',
        body: { compatibility: level },
      });
      invalidate(['registry', 'subjects', subject, 'config']);
      setError(null);
    } catch (e) {
      setError(e instanceof HttpError ? e.message : String(e));
    }
  };
  if (c.error && !c.data) return <span className="small error-text">compatibility unknown: {c.error.message}</span>;
  if (!c.data) return <span className="small muted">compatibility…</span>;
  return (
    <label className="inline">
      Compatibility{' '}
      <select value={c.data.level} onChange={(e) => void change(e.target.value)}>
        {Compatibility.options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
      {c.data.inherited && <span className="small muted"> (same as global)</span>}
      {error && <span className="error-text small"> {error}</span>}
    </label>
  );
}

/** A refused registration: the reasons on top, the registry's full answer folded below. */
function RegisterError({ message }: { message: string }) {
  const p = parseCompatError(message);
  if (!p) {
    return (
      <p className="error-text" role="alert">
        {message}
      </p>
    );
  }
  return (
    <div className="error-text" role="alert">
      <p>
        <strong>
          Not compatible with version {p.oldVersion ?? '?'}
          {p.level ? ` under ${p.level}` : ''}:
        </strong>
      </p>
      <ul>
        {(p.reasons.length ? p.reasons : [p.summary]).map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ul>
      <details>
        <summary className="small">The registry's full answer (with the old schema)</summary>
        <pre className="mono small wrap">{message}</pre>
      </details>
    </div>
  );
}

function RegisterVersion({ subject, initial, onDone }: { subject: string; initial: string; onDone: () => void }) {
  const [text, setText] = useState(initial);
  const [type, setType] = useState('AVRO');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const body: Record<string, string> = { schema: text };
      if (type !== 'AVRO') body.schemaType = type;
      await request(`${REGISTRY}/subjects/${encodeURIComponent(subject)}/versions`, null, {
        method: 'POST',
        body,
        timeoutMs: 15_000,
      });
      invalidate(['registry']);
      onDone();
    } catch (err) {
      setError(err instanceof HttpError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="panel form" onSubmit={submit} aria-label="Register a new version">
      <div className="row">
        <label>
          Type
          <select value={type} onChange={(e) => setType(e.target.value)}>
            <option>AVRO</option>
            <option>JSON</option>
            <option>PROTOBUF</option>
          </select>
        </label>
      </div>
      <label>
        Schema
        <textarea
          rows={14}
          className="mono"
          spellCheck={false}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </label>
      {error && <RegisterError message={error} />}
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Registering…' : 'Register'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function SubjectView({ subject, route }: { subject: string; route: Route }) {
  const versions = useSubjectVersions(subject);
  const list = versions.data ?? [];
  const latest = list[list.length - 1] ?? null;
  const v = Number(route.query.get('v')) || latest;
  const against = Number(route.query.get('diff')) || null;
  const current = useSubjectVersion(subject, v);
  const other = useSubjectVersion(subject, against);
  const [registering, setRegistering] = useState(false);
  return (
    <div className="subject">
      <div className="page-head">
        <h2 className="mono">{subject}</h2>
        <CompatibilityControl subject={subject} />
        <span className="spacer" />
        <button
          type="button"
          className="primary"
          onClick={() => setRegistering(true)}
          disabled={!current.data && list.length > 0}
        >
          New version
        </button>
      </div>
      {registering && (
        <RegisterVersion
          subject={subject}
          initial={current.data ? JSON.stringify(JSON.parse(current.data.schema), null, 2) : ''}
          onDone={() => setRegistering(false)}
        />
      )}
      <QueryView q={versions} what={`versions of ${subject}`}>
        {(vs) => (
          <>
            <div className="row">
              <label>
                Version
                <select value={v ?? ''} onChange={(e) => setQuery({ v: e.target.value })}>
                  {vs.map((x) => (
                    <option key={x} value={x}>
                      {x}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Compare with
                <select value={against ?? ''} onChange={(e) => setQuery({ diff: e.target.value })}>
                  <option value="">—</option>
                  {vs
                    .filter((x) => x !== v)
                    .map((x) => (
                      <option key={x} value={x}>
                        {x}
                      </option>
                    ))}
                </select>
              </label>
              {current.data && (
                <span className="small muted">
                  schema id {current.data.id} · {current.data.schemaType ?? 'AVRO'}
                </span>
              )}
            </div>
            {against && other.data && current.data ? (
              <SchemaDiff left={other.data.schema} right={current.data.schema} />
            ) : against && (other.loading || current.loading) ? (
              <Loading what="versions to compare" />
            ) : (
              <QueryView q={current} what={`version ${v}`}>
                {(s) => <pre className="payload">{prettySchema(s.schema).join('\n')}</pre>}
              </QueryView>
            )}
          </>
        )}
      </QueryView>
    </div>
  );
}

function NewSubject({ onDone }: { onDone: () => void }) {
  const [name, setName] = useState('');
  if (!name)
    return (
      <form
        className="panel form-inline"
        onSubmit={(e) => {
          e.preventDefault();
          const v = new FormData(e.currentTarget).get('subject');
          if (typeof v === 'string' && v) setName(v);
        }}
      >
        <label>
          Subject name
          <input name="subject" required placeholder="position-reports-value" />
        </label>
        <button type="submit" className="primary">
          Next
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </form>
    );
  return (
    <RegisterVersion
      subject={name}
      initial={'{\n  "type": "record",\n  "name": "Example",\n  "fields": [{ "name": "id", "type": "string" }]\n}'}
      onDone={onDone}
    />
  );
}

export function SchemasPage({ route }: { route: Route }) {
  const on = useServiceOn('registry');
  const subjects = useSubjects({ enabled: on === true });
  const selected = route.segments[1];
  const q = route.query.get('q') ?? '';
  const [creating, setCreating] = useState(false);
  return (
    <section>
      <div className="page-head">
        <h1>Schemas</h1>
        <span className="spacer" />
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          New subject
        </button>
      </div>
      {creating && <NewSubject onDone={() => setCreating(false)} />}
      {on === false ? (
        <Empty>
          The schema registry is not running in this lab (REGISTRY_PORT=0). Start the lab with{' '}
          <code>REGISTRY_PORT=8081</code> (the default), or point it at one with <code>SCHEMA_REGISTRY_URL</code>.
        </Empty>
      ) : (
        <div className="split">
          <div className="split-list">
            <input
              type="search"
              data-search
              placeholder="Search subjects ( / )"
              aria-label="Search subjects"
              value={q}
              onChange={(e) => setQuery({ q: e.target.value })}
            />
            <QueryView q={subjects} what="subjects">
              {(list) => {
                const shown = list.filter((s) => s.toLowerCase().includes(q.toLowerCase())).sort();
                if (list.length === 0)
                  return <Empty>No subjects yet. Register one, or let an Avro connector register its schema.</Empty>;
                return (
                  <ul className="list">
                    {shown.map((s) => (
                      <li key={s}>
                        <Link href={href(['schemas', s], { q })} aria-current={s === selected ? 'page' : undefined}>
                          {s}
                        </Link>
                      </li>
                    ))}
                  </ul>
                );
              }}
            </QueryView>
          </div>
          <div className="split-main">
            {selected ? (
              <SubjectView key={selected} subject={selected} route={route} />
            ) : (
              <Empty>Pick a subject.</Empty>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
