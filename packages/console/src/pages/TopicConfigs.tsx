// A topic's configs: the settings set on the topic (or all, defaults included), each editable in
// place, reset to the broker default, or a new one set by name. Changes go to
// PUT /api/topics/:name/configs (IncrementalAlterConfigs); the broker validates, and its refusal is
// shown under the setting as Kafka worded it.
import type { TopicConfigChange, TopicDetail } from '@seaway/contracts';
import { useState } from 'react';
import { HttpError, request } from '../api/http.ts';
import { invalidate } from '../api/query.ts';
import { Empty } from '../components/States.tsx';
import { toast } from '../components/Toasts.tsx';

/** Settings people change most, offered as suggestions in "Set a config". */
const COMMON = [
  'retention.ms',
  'retention.bytes',
  'cleanup.policy',
  'segment.bytes',
  'segment.ms',
  'max.message.bytes',
  'min.insync.replicas',
  'compression.type',
  'delete.retention.ms',
  'min.compaction.lag.ms',
  'message.timestamp.type',
];

function errorText(e: unknown): string {
  return e instanceof HttpError ? e.message : String(e);
}

export async function changeTopicConfigs(topic: string, change: TopicConfigChange): Promise<void> {
  await request(`/api/topics/${encodeURIComponent(topic)}/configs`, null, {
    method: 'PUT',
    body: change,
    timeoutMs: 20_000,
  });
  invalidate(['topics', topic]);
}

function SetConfig({ topic }: { topic: string }) {
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await changeTopicConfigs(topic, { set: { [name.trim()]: value } });
      toast(`${topic}: ${name.trim()} set to ${value}`);
      setName('');
      setValue('');
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="form-inline panel" onSubmit={submit} aria-label="Set a config">
      <label>
        Config name
        <input required list="topic-config-names" value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <datalist id="topic-config-names">
        {COMMON.map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>
      <label>
        Value
        <input required value={value} onChange={(e) => setValue(e.target.value)} />
      </label>
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Setting…' : 'Set'}
      </button>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

function ConfigRow({ topic, c }: { topic: string; c: TopicDetail['configs'][number] }) {
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(c.value ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const apply = async (change: TopicConfigChange, done: string) => {
    setBusy(true);
    setError(null);
    try {
      await changeTopicConfigs(topic, change);
      toast(done);
      setEditing(false);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <tr className={error ? 'has-error' : undefined}>
      <th scope="row" className="mono">
        {c.name}
      </th>
      <td className="mono">
        {editing ? (
          <form
            className="confirm"
            aria-label={`Edit ${c.name}`}
            onSubmit={(e) => {
              e.preventDefault();
              void apply({ set: { [c.name]: value } }, `${topic}: ${c.name} set to ${value}`);
            }}
          >
            <input aria-label={`Value of ${c.name}`} value={value} onChange={(e) => setValue(e.target.value)} />
            <button type="submit" className="primary" disabled={busy}>
              {busy ? 'Saving…' : 'Save'}
            </button>
            <button
              type="button"
              onClick={() => {
                setEditing(false);
                setError(null);
                setValue(c.value ?? '');
              }}
            >
              Cancel
            </button>
          </form>
        ) : c.sensitive ? (
          '(sensitive)'
        ) : (
          (c.value ?? 'null')
        )}
        {error && (
          <p className="error-text" role="alert">
            {error}
          </p>
        )}
      </td>
      <td className="small muted">{c.isDefault ? 'default' : 'set on topic'}</td>
      <td className="actions">
        {!c.readOnly && !editing && (
          <button
            type="button"
            aria-label={`Edit ${c.name}`}
            onClick={() => {
              setValue(c.value ?? '');
              setEditing(true);
            }}
          >
            Edit
          </button>
        )}{' '}
        {!c.readOnly && !c.isDefault && !editing && (
          <button
            type="button"
            aria-label={`Reset ${c.name} to default`}
            disabled={busy}
            onClick={() => void apply({ delete: [c.name] }, `${topic}: ${c.name} back to the default`)}
          >
            Reset
          </button>
        )}
      </td>
    </tr>
  );
}

export function TopicConfigs({ t }: { t: TopicDetail }) {
  const [all, setAll] = useState(false);
  const list = all ? t.configs : t.configs.filter((c) => !c.isDefault);
  return (
    <>
      <SetConfig topic={t.name} />
      <label className="check">
        <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} /> show defaults (
        {t.configs.length} settings)
      </label>
      {list.length === 0 ? (
        <Empty>Every setting of this topic is inherited from the broker defaults.</Empty>
      ) : (
        <table className="table compact config-table" aria-label="Topic configs">
          <tbody>
            {list.map((c) => (
              <ConfigRow key={c.name} topic={t.name} c={c} />
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
