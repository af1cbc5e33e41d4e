// Topics: searchable list with partitions, record counts, bytes on disk and rates, sortable by any
// column (?sort=&desc=1); create a topic.
import { useRef, useState } from 'react';
import { HttpError, request } from '../api/http.ts';
import { invalidate } from '../api/query.ts';
import { useTopics } from '../api/resources.ts';
import { Link } from '../components/Link.tsx';
import { Empty, QueryView } from '../components/States.tsx';
import { bytes, count, rate } from '../format.ts';
import { href, navigate, type Route, setQuery } from '../router.ts';
import { parseSortKey, type SortKey, sortTopics } from './topic-sort.ts';

function SortHeader({ k, label, sort, desc }: { k: SortKey; label: string; sort: SortKey; desc: boolean }) {
  const on = sort === k;
  return (
    <th
      scope="col"
      className={k === 'name' ? undefined : 'num'}
      aria-sort={on ? (desc ? 'descending' : 'ascending') : 'none'}
    >
      <button
        type="button"
        className="sort"
        onClick={() =>
          // First click on a number column sorts biggest first, on the name A to Z; again flips it.
          setQuery({ sort: k === 'name' ? null : k, desc: (on ? !desc : k !== 'name') ? '1' : null }, true)
        }
      >
        {label}
        <span aria-hidden="true">{on ? (desc ? ' ▼' : ' ▲') : ''}</span>
      </button>
    </th>
  );
}

function CreateTopic({ onDone }: { onDone: () => void }) {
  const [name, setName] = useState('');
  const [partitions, setPartitions] = useState(1);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await request('/api/topics', null, { method: 'POST', body: { name, partitions }, timeoutMs: 15_000 });
      invalidate(['topics']);
      onDone();
      navigate(href(['topics', name]));
    } catch (err) {
      setError(err instanceof HttpError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="panel form-inline" onSubmit={submit} aria-label="Create topic">
      <label>
        Name
        <input
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
          pattern="[a-zA-Z0-9._\-]+"
          placeholder="my-topic"
        />
      </label>
      <label>
        Partitions
        <input
          type="number"
          min={1}
          max={1000}
          value={partitions}
          onChange={(e) => setPartitions(Number(e.target.value))}
        />
      </label>
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Creating…' : 'Create'}
      </button>
      <button type="button" onClick={onDone}>
        Cancel
      </button>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

export function TopicsPage({ route }: { route: Route }) {
  const q = route.query.get('q') ?? '';
  const showInternal = route.query.get('internal') === '1';
  const sort = parseSortKey(route.query.get('sort'));
  const desc = route.query.get('desc') === '1';
  const topics = useTopics({ refreshMs: 5000 });
  // Records per second from two consecutive listings (high watermark growth; compaction and
  // retention can only make it look slower, never faster).
  const prev = useRef<{ at: number; records: Map<string, number> } | null>(null);
  const last = useRef<{ at: number; records: Map<string, number> } | null>(null);
  const rates = useRef(new Map<string, number>());
  if (topics.data && topics.updatedAt !== last.current?.at) {
    prev.current = last.current;
    last.current = { at: topics.updatedAt, records: new Map(topics.data.topics.map((t) => [t.name, t.records ?? 0])) };
    rates.current = new Map();
    if (prev.current) {
      const dt = (last.current.at - prev.current.at) / 1000;
      for (const [name, n] of last.current.records) {
        const before = prev.current.records.get(name);
        if (before !== undefined && dt > 0) rates.current.set(name, Math.max(0, (n - before) / dt));
      }
    }
  }
  const [creating, setCreating] = useState(false);
  return (
    <section>
      <div className="page-head">
        <h1>Topics</h1>
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          New topic
        </button>
      </div>
      {creating && <CreateTopic onDone={() => setCreating(false)} />}
      <div className="filters">
        <input
          type="search"
          data-search
          placeholder="Search topics  ( / )"
          aria-label="Search topics"
          value={q}
          onChange={(e) => setQuery({ q: e.target.value })}
        />
        <label className="check">
          <input
            type="checkbox"
            checked={showInternal}
            onChange={(e) => setQuery({ internal: e.target.checked ? '1' : null })}
          />{' '}
          show internal
        </label>
      </div>
      <QueryView q={topics} what="topics">
        {(d) => {
          const needle = q.toLowerCase();
          const list = sortTopics(
            d.topics.filter((t) => (showInternal || !t.internal) && t.name.toLowerCase().includes(needle)),
            sort,
            desc,
            rates.current,
          );
          if (d.topics.length === 0)
            return (
              <Empty>No topics yet. Create one, or start the lab with RUNNING_SAMPLEDATA=1 to stream AIS data.</Empty>
            );
          if (list.length === 0) return <Empty>No topic matches “{q}”.</Empty>;
          return (
            <table className="table" aria-label="Topics">
              <thead>
                <tr>
                  <SortHeader k="name" label="Name" sort={sort} desc={desc} />
                  <SortHeader k="partitions" label="Partitions" sort={sort} desc={desc} />
                  <SortHeader k="records" label="Records" sort={sort} desc={desc} />
                  <SortHeader k="bytes" label="Size" sort={sort} desc={desc} />
                  <SortHeader k="rate" label="In/s" sort={sort} desc={desc} />
                </tr>
              </thead>
              <tbody>
                {list.map((t) => (
                  <tr key={t.name} data-testid="topic-row">
                    <td>
                      <Link href={href(['topics', t.name])}>{t.name}</Link>
                      {t.internal && <span className="tag">internal</span>}
                    </td>
                    <td className="num">{t.partitions}</td>
                    <td className="num">{t.records !== undefined ? count(t.records) : '—'}</td>
                    <td className="num" title={t.bytes !== undefined ? `${count(t.bytes)} bytes` : undefined}>
                      {t.bytes !== undefined ? bytes(t.bytes) : '—'}
                    </td>
                    <td className="num">{rates.current.has(t.name) ? rate(rates.current.get(t.name)!) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          );
        }}
      </QueryView>
    </section>
  );
}
