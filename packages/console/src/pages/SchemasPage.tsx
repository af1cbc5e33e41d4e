// Schemas (Confluent schema registry under /api/schema-registry): subjects, versions (soft-deleted
// ones on ?deleted=1), a side-by-side diff between two versions, Avro, JSON Schema and Protobuf
// shown as such, registering a new version. Deletes and compatibility levels: SchemaActions.tsx.
import type { SubjectVersion } from '@seaway/contracts';
import { useMemo, useState } from 'react';
import { HttpError, request } from '../api/http.ts';
import { invalidate } from '../api/query.ts';
import { REGISTRY, useServiceOn, useSubjects, useSubjectVersion, useSubjectVersions } from '../api/resources.ts';
import { Link } from '../components/Link.tsx';
import { Empty, Loading, QueryView } from '../components/States.tsx';
import { toast } from '../components/Toasts.tsx';
import { diffLines, prettySchema, sideBySide } from '../diff/line-diff.ts';
import { href, navigate, type Route, setQuery } from '../router.ts';
import { GlobalCompatibility, SchemaDelete, SubjectCompatibility } from './SchemaActions.tsx';
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

type SchemaKind = 'AVRO' | 'JSON' | 'PROTOBUF';
const KIND_NAME: Record<SchemaKind, string> = { AVRO: 'Avro', JSON: 'JSON Schema', PROTOBUF: 'Protobuf' };
const TEMPLATES: Record<SchemaKind, string> = {
  AVRO: '{\n  "type": "record",\n  "name": "Example",\n  "fields": [{ "name": "id", "type": "string" }]\n}',
  JSON: '{\n  "$schema": "http://json-schema.org/draft-07/schema#",\n  "title": "Example",\n  "type": "object",\n  "properties": { "id": { "type": "string" } },\n  "required": ["id"]\n}',
  PROTOBUF: 'syntax = "proto3";\npackage example;\n\nmessage Example {\n  string id = 1;\n}\n',
};

/** Avro and JSON Schema are JSON (pretty-printed); Protobuf is .proto text, shown as it is. */
const schemaText = (schema: string, kind: SchemaKind): string =>
  kind === 'PROTOBUF' ? schema : prettySchema(schema).join('\n');

/** What kind of schema a version is, and for JSON Schema its draft, for Protobuf its package and messages. */
function schemaFacts(s: SubjectVersion): string {
  const kind = (s.schemaType ?? 'AVRO') as SchemaKind;
  if (kind === 'JSON') {
    try {
      const j = JSON.parse(s.schema) as { $schema?: unknown; title?: unknown };
      const draft = typeof j.$schema === 'string' ? /(draft[-/]\d+|\d{4}-\d{2})/.exec(j.$schema)?.[1] : undefined;
      return [KIND_NAME.JSON, draft ? `(${draft.replace('/', '-')})` : '(draft-07 by default)', j.title]
        .filter((x) => typeof x === 'string')
        .join(' ');
    } catch {
      return KIND_NAME.JSON;
    }
  }
  if (kind === 'PROTOBUF') {
    const pkg = /^\s*package\s+([\w.]+)\s*;/m.exec(s.schema)?.[1];
    const messages = [...s.schema.matchAll(/^\s*message\s+(\w+)/gm)].map((m) => m[1]);
    return `${KIND_NAME.PROTOBUF}${pkg ? ` · package ${pkg}` : ''}${messages.length ? ` · ${messages.join(', ')}` : ''}`;
  }
  try {
    const a = JSON.parse(s.schema) as { name?: unknown; namespace?: unknown };
    const name =
      typeof a.name === 'string' ? (typeof a.namespace === 'string' ? `${a.namespace}.${a.name}` : a.name) : '';
    return `${KIND_NAME.AVRO}${name ? ` · ${name}` : ''}`;
  } catch {
    return KIND_NAME.AVRO;
  }
}

interface Reference {
  name: string;
  subject: string;
  version: number;
}
const referencesOf = (s: SubjectVersion): Reference[] =>
  Array.isArray(s.references) ? (s.references as Reference[]) : [];

function SchemaView({ s }: { s: SubjectVersion }) {
  const kind = (s.schemaType ?? 'AVRO') as SchemaKind;
  const refs = referencesOf(s);
  return (
    <>
      {refs.length > 0 && (
        <p className="small">
          References:{' '}
          {refs.map((r, i) => (
            <span key={r.name}>
              {i > 0 && ', '}
              <code>{r.name}</code> →{' '}
              <Link href={href(['schemas', r.subject], { v: r.version })}>
                {r.subject} v{r.version}
              </Link>
            </span>
          ))}
        </p>
      )}
      <pre className="payload" data-kind={kind} title={`${KIND_NAME[kind]} schema`}>
        {schemaText(s.schema, kind)}
      </pre>
    </>
  );
}

function RegisterVersion({
  subject,
  initial,
  initialType,
  onDone,
}: {
  subject: string;
  initial: string | null;
  initialType: SchemaKind;
  onDone: () => void;
}) {
  const [text, setText] = useState(initial ?? TEMPLATES[initialType]);
  const [type, setType] = useState<SchemaKind>(initialType);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const changeType = (t: SchemaKind) => {
    // An untouched template follows the type; anything typed stays.
    if (text === TEMPLATES[type] || text === '') setText(TEMPLATES[t]);
    setType(t);
  };
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const body: Record<string, string> = { schema: text };
      if (type !== 'AVRO') body.schemaType = type;
      const r = (await request(`${REGISTRY}/subjects/${encodeURIComponent(subject)}/versions`, null, {
        method: 'POST',
        body,
        timeoutMs: 15_000,
      })) as { id?: number } | null;
      toast(`Registered a ${KIND_NAME[type]} schema under ${subject} (schema id ${r?.id ?? '?'})`);
      onDone();
      // Show the subject's newest version (the one just registered, or the same schema's earlier one).
      navigate(href(['schemas', subject]));
      invalidate(['registry']);
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
          <select value={type} onChange={(e) => changeType(e.target.value as SchemaKind)}>
            <option value="AVRO">AVRO</option>
            <option value="JSON">JSON</option>
            <option value="PROTOBUF">PROTOBUF</option>
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
  const list = versions.data?.all ?? [];
  const deleted = versions.data?.deleted ?? [];
  const liveList = list.filter((x) => !deleted.includes(x));
  const latest = liveList[liveList.length - 1] ?? list[list.length - 1] ?? null;
  const asked = Number(route.query.get('v'));
  const v = asked && list.includes(asked) ? asked : latest;
  const askedDiff = Number(route.query.get('diff'));
  const against = askedDiff && list.includes(askedDiff) ? askedDiff : null;
  const current = useSubjectVersion(subject, versions.data ? v : null);
  const other = useSubjectVersion(subject, versions.data ? against : null);
  const [registering, setRegistering] = useState(false);
  const subjectDeleted = versions.data?.subjectDeleted === true;
  const kind = (current.data?.schemaType ?? 'AVRO') as SchemaKind;
  return (
    <div className="subject">
      <div className="page-head">
        <h2 className="mono">{subject}</h2>
        {subjectDeleted && <span className="badge badge-muted">soft-deleted</span>}
        <SubjectCompatibility subject={subject} />
        <span className="spacer" />
        <button
          type="button"
          className="primary"
          onClick={() => setRegistering(true)}
          disabled={!current.data && list.length > 0}
        >
          New version
        </button>
        {versions.data && <SchemaDelete subject={subject} version={null} softDeleted={subjectDeleted} />}
      </div>
      {subjectDeleted && (
        <p className="small muted">
          Every version of this subject is soft-deleted: readers can still fetch them by id and with ?deleted=true.
          Registering a schema again brings the subject back; a permanent delete removes it.
        </p>
      )}
      {registering && (
        <RegisterVersion
          subject={subject}
          initial={current.data ? schemaText(current.data.schema, kind) : null}
          initialType={kind}
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
                  {vs.all.map((x) => (
                    <option key={x} value={x}>
                      {x}
                      {vs.deleted.includes(x) ? ' (soft-deleted)' : ''}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Compare with
                <select value={against ?? ''} onChange={(e) => setQuery({ diff: e.target.value })}>
                  <option value="">—</option>
                  {vs.all
                    .filter((x) => x !== v)
                    .map((x) => (
                      <option key={x} value={x}>
                        {x}
                      </option>
                    ))}
                </select>
              </label>
              {current.data && (
                <span className="small muted" data-testid="schema-facts">
                  schema id {current.data.id} · {schemaFacts(current.data)}
                </span>
              )}
              {v !== null && !subjectDeleted && (
                <SchemaDelete
                  subject={subject}
                  version={v}
                  softDeleted={vs.deleted.includes(v)}
                  onlyVersion={vs.all.length === 1}
                />
              )}
            </div>
            {v !== null && vs.deleted.includes(v) && !subjectDeleted && (
              <p className="small muted">Version {v} is soft-deleted.</p>
            )}
            {against && other.data && current.data ? (
              <SchemaDiff left={other.data.schema} right={current.data.schema} />
            ) : against && (other.loading || current.loading) ? (
              <Loading what="versions to compare" />
            ) : (
              <QueryView q={current} what={`version ${v}`}>
                {(s) => <SchemaView s={s} />}
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
        aria-label="New subject"
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
  return <RegisterVersion subject={name} initial={null} initialType="AVRO" onDone={onDone} />;
}

export function SchemasPage({ route }: { route: Route }) {
  const on = useServiceOn('registry');
  const showDeleted = route.query.get('deleted') === '1';
  const subjects = useSubjects({ enabled: on === true, deleted: showDeleted });
  // Without ?deleted=1 this is the same query as `subjects` (same key), so no second request.
  const live = useSubjects({ enabled: on === true });
  const selected = route.segments[1];
  const q = route.query.get('q') ?? '';
  const [creating, setCreating] = useState(false);
  return (
    <section>
      <div className="page-head">
        <h1>Schemas</h1>
        {on === true && <GlobalCompatibility />}
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
            <label className="check small">
              <input
                type="checkbox"
                checked={showDeleted}
                onChange={(e) => setQuery({ deleted: e.target.checked ? '1' : null })}
              />{' '}
              Show soft-deleted
            </label>
            <QueryView q={subjects} what="subjects">
              {(list) => {
                const shown = list.filter((s) => s.toLowerCase().includes(q.toLowerCase())).sort();
                if (list.length === 0)
                  return <Empty>No subjects yet. Register one, or let an Avro connector register its schema.</Empty>;
                return (
                  <ul className="list">
                    {shown.map((s) => (
                      <li key={s}>
                        <Link
                          href={href(['schemas', s], { q, deleted: showDeleted ? '1' : null })}
                          aria-current={s === selected ? 'page' : undefined}
                        >
                          {s}
                        </Link>
                        {showDeleted && live.data && !live.data.includes(s) && (
                          <span className="badge badge-muted">soft-deleted</span>
                        )}
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
