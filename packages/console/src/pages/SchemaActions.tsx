// Schema registry operations: the global and per-subject compatibility level, and deleting a subject
// or one version, soft first and then permanently (`?permanent=true`), as Confluent's registry
// does it: a permanent delete is refused (40405/40407) until the soft delete happened, and a
// soft-deleted version stays readable with ?deleted=true until then.
import { Compatibility } from '@seaway/contracts';
import { useState } from 'react';
import { HttpError, request } from '../api/http.ts';
import { invalidate } from '../api/query.ts';
import { REGISTRY, useCompatibility, useGlobalCompatibility } from '../api/resources.ts';
import { toast } from '../components/Toasts.tsx';
import { href, navigate, setQuery } from '../router.ts';

const enc = encodeURIComponent;
const errText = (e: unknown) => (e instanceof HttpError ? e.message : String(e));

function LevelSelect({ label, value, onChange }: { label: string; value: string; onChange: (v: string) => void }) {
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
      {Compatibility.options.map((o) => (
        <option key={o} value={o}>
          {o}
        </option>
      ))}
    </select>
  );
}

/** PUT /config: the level every subject without its own level follows. */
export function GlobalCompatibility() {
  const g = useGlobalCompatibility();
  const change = async (level: string) => {
    try {
      await request(`${REGISTRY}/config`, null, { method: 'PUT', body: { compatibility: level } });
      toast(`Global compatibility set to ${level}`);
      invalidate(['registry']);
    } catch (e) {
      toast(`Global compatibility not changed: ${errText(e)}`, 'bad');
    }
  };
  if (g.error && !g.data)
    return <span className="small error-text">global compatibility unknown: {g.error.message}</span>;
  if (!g.data) return <span className="small muted">compatibility…</span>;
  return (
    <span className="inline">
      Global compatibility <LevelSelect label="Global compatibility" value={g.data} onChange={change} />
    </span>
  );
}

/** PUT /config/{subject} sets the subject's own level; DELETE /config/{subject} makes it follow the global one. */
export function SubjectCompatibility({ subject }: { subject: string }) {
  const c = useCompatibility(subject);
  const set = async (level: string | null) => {
    try {
      await request(`${REGISTRY}/config/${enc(subject)}`, null, {
        method: level ? 'PUT' : 'DELETE',
        body: level ? { compatibility: level } : undefined,
      });
      toast(level ? `${subject}: compatibility set to ${level}` : `${subject}: follows the global compatibility`);
      invalidate(['registry', 'subjects', subject, 'config']);
    } catch (e) {
      toast(`${subject}: compatibility not changed: ${errText(e)}`, 'bad');
    }
  };
  if (c.error && !c.data) return <span className="small error-text">compatibility unknown: {c.error.message}</span>;
  if (!c.data) return <span className="small muted">compatibility…</span>;
  return (
    <span className="inline">
      Compatibility <LevelSelect label="Subject compatibility" value={c.data.level} onChange={(v) => void set(v)} />
      {c.data.inherited ? (
        <span className="small muted"> (same as global)</span>
      ) : (
        <>
          {' '}
          <span className="small muted">(global is {c.data.global})</span>{' '}
          <button type="button" className="small" onClick={() => void set(null)}>
            Use global
          </button>
        </>
      )}
    </span>
  );
}

interface DeleteProps {
  subject: string;
  /** A version number, or null for the whole subject. */
  version: number | null;
  /** Already soft-deleted: the only step left is the permanent delete. */
  softDeleted: boolean;
  /** The subject's last version: deleting it permanently removes the subject. */
  onlyVersion?: boolean;
}

/** Soft delete, then (once soft-deleted) permanent delete, each behind a confirmation. */
export function SchemaDelete({ subject, version, softDeleted, onlyVersion = false }: DeleteProps) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const what = version === null ? `subject ${subject}` : `version ${version} of ${subject}`;
  const url = `${REGISTRY}/subjects/${enc(subject)}${version === null ? '' : `/versions/${version}`}`;
  const del = async () => {
    try {
      await request(softDeleted ? `${url}?permanent=true` : url, null, { method: 'DELETE', timeoutMs: 15_000 });
      setConfirming(false);
      setError(null);
      toast(
        softDeleted
          ? `Permanently deleted ${what}`
          : `Soft-deleted ${what}: still readable with ?deleted=true, gone for good after a permanent delete`,
      );
      // Leave a view that no longer exists before its queries are refetched (no 404s in the console);
      // after a soft delete show the deleted entries, which is where the permanent delete is.
      if (softDeleted && (version === null || onlyVersion)) navigate(href(['schemas'], { deleted: '1' }));
      else if (softDeleted) setQuery({ v: null, diff: null });
      else setQuery({ deleted: '1' });
      // After React let go of the old view's queries (a task later), or they would be refetched.
      setTimeout(() => invalidate(['registry']), 0);
    } catch (e) {
      setError(errText(e));
    }
  };
  const label = `${softDeleted ? 'Delete permanently' : 'Delete'} ${version === null ? 'subject' : `version ${version}`}`;
  return (
    <span className="inline">
      {confirming ? (
        <span className="confirm">
          {softDeleted ? (
            <>
              Permanently delete <strong>{what}</strong>? Its schema id can no longer be read through it.{' '}
            </>
          ) : (
            <>
              Soft-delete <strong>{what}</strong>? New registrations no longer see it; a permanent delete can follow.{' '}
            </>
          )}
          <button type="button" className="danger" onClick={del}>
            {softDeleted ? 'Delete permanently' : 'Soft delete'}
          </button>{' '}
          <button type="button" onClick={() => setConfirming(false)}>
            Keep
          </button>
        </span>
      ) : (
        <button type="button" className="danger" onClick={() => setConfirming(true)}>
          {label}
        </button>
      )}
      {error && (
        <span className="error-text" role="alert">
          {' '}
          {error}
        </span>
      )}
    </span>
  );
}
