// Operations on one consumer group, as kafka-consumer-groups does them: reset offsets (earliest,
// latest, timestamp, offset, shift by N) with a dry run shown first, then Apply; delete the group.
// Kafka refuses both while the group has members; the server's answer says so and is shown as is.
import { type ConsumerGroup, ResetOffsetsResponse } from '@seaway/contracts';
import { useState } from 'react';
import { HttpError, request } from '../api/http.ts';
import { invalidate } from '../api/query.ts';
import { toast } from '../components/Toasts.tsx';
import { setQuery } from '../router.ts';

type To = 'earliest' | 'latest' | 'timestamp' | 'offset' | 'shift';
const TO_LABEL: Record<To, string> = {
  earliest: 'earliest',
  latest: 'latest',
  timestamp: 'timestamp',
  offset: 'offset',
  shift: 'shift by N',
};

const errText = (e: unknown) => (e instanceof HttpError ? e.message : String(e));

/** The request body for a reset, or a sentence saying what is missing. */
export function resetBody(topic: string, to: To, raw: string, dryRun: boolean) {
  if (!topic) return 'Pick a topic.';
  if (to === 'earliest' || to === 'latest') return { topic, to, dryRun };
  if (to === 'timestamp') {
    const t = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Date.parse(raw);
    if (!Number.isFinite(t)) return `“${raw}” is not a date (2026-12-03T07:00:00Z) or epoch milliseconds.`;
    return { topic, to, value: t, dryRun };
  }
  if (!/^-?\d+$/.test(raw.trim()))
    return to === 'offset' ? 'Give the offset as a whole number.' : 'Give N as a whole number (negative goes back).';
  return { topic, to, value: Number(raw.trim()), dryRun };
}

function ResetOffsets({ g }: { g: ConsumerGroup }) {
  const topics = [...new Set(g.offsets.map((o) => o.topic))];
  const [topic, setTopic] = useState(topics[0] ?? '');
  const [to, setTo] = useState<To>('earliest');
  const [value, setValue] = useState('');
  const [plan, setPlan] = useState<ResetOffsetsResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (dryRun: boolean) => {
    const body = resetBody(topic, to, value, dryRun);
    if (typeof body === 'string') {
      setError(body);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await request(
        `/api/consumer-groups/${encodeURIComponent(g.groupId)}/reset-offsets`,
        ResetOffsetsResponse,
        { method: 'POST', body, timeoutMs: 15_000 },
      );
      setPlan(r);
      if (!dryRun) {
        toast(`${g.groupId}: offsets on ${topic} reset to ${TO_LABEL[to]}`);
        invalidate(['consumer-groups']);
        setPlan(null);
      }
    } catch (e) {
      setError(errText(e));
      setPlan(null);
    } finally {
      setBusy(false);
    }
  };
  if (topics.length === 0) return null;
  const needsValue = to !== 'earliest' && to !== 'latest';
  return (
    <form
      className="group-reset"
      aria-label={`Reset offsets of ${g.groupId}`}
      onSubmit={(e) => {
        e.preventDefault();
        void run(true);
      }}
    >
      <h3 className="small">Reset offsets</h3>
      <div className="filters">
        <label>
          Topic{' '}
          <select
            aria-label="Topic to reset"
            value={topic}
            onChange={(e) => {
              setTopic(e.target.value);
              setPlan(null);
            }}
          >
            {topics.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label>
          To{' '}
          <select
            aria-label="Reset to"
            value={to}
            onChange={(e) => {
              setTo(e.target.value as To);
              setPlan(null);
            }}
          >
            {(Object.keys(TO_LABEL) as To[]).map((k) => (
              <option key={k} value={k}>
                {TO_LABEL[k]}
              </option>
            ))}
          </select>
        </label>
        {needsValue && (
          <label>
            {to === 'timestamp' ? 'Time' : to === 'offset' ? 'Offset' : 'N'}{' '}
            <input
              aria-label={to === 'timestamp' ? 'Reset to time' : to === 'offset' ? 'Reset to offset' : 'Shift by N'}
              value={value}
              placeholder={to === 'timestamp' ? '2026-12-03T07:00:00Z' : to === 'shift' ? '-100' : '0'}
              onChange={(e) => {
                setValue(e.target.value);
                setPlan(null);
              }}
            />
          </label>
        )}
        <button type="submit" disabled={busy}>
          Dry run
        </button>
      </div>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {plan && (
        <>
          <table className="table compact">
            <caption>Dry run: nothing changed yet</caption>
            <thead>
              <tr>
                <th scope="col" className="num">
                  Partition
                </th>
                <th scope="col" className="num">
                  Committed now
                </th>
                <th scope="col" className="num">
                  New offset
                </th>
              </tr>
            </thead>
            <tbody>
              {plan.partitions.map((p) => (
                <tr key={p.partition} data-testid="reset-plan-row">
                  <td className="num">{p.partition}</td>
                  <td className="num mono">{p.current ?? 'none'}</td>
                  <td className="num mono">{p.next}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" className="danger" disabled={busy} onClick={() => void run(false)}>
            Apply reset
          </button>
        </>
      )}
    </form>
  );
}

function DeleteGroup({ g }: { g: ConsumerGroup }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const del = async () => {
    try {
      await request(`/api/consumer-groups/${encodeURIComponent(g.groupId)}`, null, {
        method: 'DELETE',
        timeoutMs: 15_000,
      });
      toast(`Deleted consumer group ${g.groupId}`);
      invalidate(['consumer-groups']);
      setQuery({ open: null });
    } catch (e) {
      setError(errText(e));
    }
  };
  return (
    <p>
      {confirming ? (
        <span className="confirm">
          Delete group <strong>{g.groupId}</strong> and its committed offsets?{' '}
          <button type="button" className="danger" onClick={del}>
            Delete
          </button>{' '}
          <button type="button" onClick={() => setConfirming(false)}>
            Keep
          </button>
        </span>
      ) : (
        <button type="button" className="danger" onClick={() => setConfirming(true)}>
          Delete group
        </button>
      )}
      {error && (
        <span className="error-text" role="alert">
          {' '}
          {error}
        </span>
      )}
    </p>
  );
}

export function GroupActions({ g }: { g: ConsumerGroup }) {
  if (g.members.length > 0)
    return (
      <p className="small muted">
        Reset and delete need an empty group: stop its {g.members.length} consumer{g.members.length === 1 ? '' : 's'}{' '}
        first (Kafka refuses while members are joined).
      </p>
    );
  return (
    <>
      <ResetOffsets g={g} />
      <DeleteGroup g={g} />
    </>
  );
}
