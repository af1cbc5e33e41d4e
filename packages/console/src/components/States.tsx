// Loading, empty and error states. Loading never spins forever: every request has a timeout, after
// which the error state says what happened and what to do.
import type { ReactNode } from 'react';
import { type HttpError, hintFor } from '../api/http.ts';

export function Loading({ what }: { what: string }) {
  return (
    <div className="state" role="status" aria-live="polite">
      <span className="pulse" aria-hidden="true" /> Loading {what}…
    </div>
  );
}

export function ErrorState({
  error,
  what,
  hint,
  onRetry,
}: {
  error: HttpError;
  what: string;
  hint?: string;
  onRetry?: () => void;
}) {
  return (
    <div className="state state-error" role="alert">
      <strong>Could not load {what}.</strong>
      <p className="mono small">
        {error.status ? `${error.status}: ` : ''}
        {error.message}
      </p>
      <p>{hint ?? hintFor(error)}</p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="state state-empty">{children}</div>;
}

/** Render data, loading or error from a query, in that order of preference (stale data beats a spinner). */
export function QueryView<T>({
  q,
  what,
  hint,
  children,
}: {
  q: { data: T | undefined; error: HttpError | undefined; loading: boolean; reload: () => void };
  what: string;
  hint?: (e: HttpError) => string | undefined;
  children: (data: T) => ReactNode;
}) {
  if (q.error && q.data === undefined)
    return <ErrorState error={q.error} what={what} hint={hint?.(q.error)} onRetry={q.reload} />;
  if (q.data === undefined) return <Loading what={what} />;
  return <>{children(q.data)}</>;
}

export function Badge({ state }: { state: string }) {
  const s = state.toUpperCase();
  const tone =
    s === 'RUNNING' || s === 'UP' || s === 'OK' || s === 'STABLE' || s === 'DONE' || s === 'FINISHED'
      ? 'ok'
      : s === 'FAILED' || s === 'DOWN' || s === 'DEAD' || s === 'DEGRADED'
        ? 'bad'
        : s === 'PAUSED' || s === 'STOPPED' || s === 'DISABLED' || s === 'EMPTY'
          ? 'muted'
          : 'warn';
  return <span className={`badge badge-${tone}`}>{state}</span>;
}
