// One topic: messages (browser), partitions with offsets (add, purge), configs (edit), consumer
// groups with lag, and produce. The tab is in the URL (?tab=).
import type { TopicDetail } from '@seaway/contracts';
import { useState } from 'react';
import { HttpError, request } from '../api/http.ts';
import { invalidate } from '../api/query.ts';
import { useTopic } from '../api/resources.ts';
import { Link } from '../components/Link.tsx';
import { Badge, Empty, QueryView } from '../components/States.tsx';
import { bytes, count } from '../format.ts';
import { href, navigate, type Route, setQuery } from '../router.ts';
import { MessageBrowser } from './MessageBrowser.tsx';
import { ProduceForm } from './ProduceForm.tsx';
import { TopicConfigs } from './TopicConfigs.tsx';
import { TopicPartitions } from './TopicPartitions.tsx';

const TABS = ['messages', 'partitions', 'configs', 'groups', 'produce'] as const;
type Tab = (typeof TABS)[number];

function Groups({ t }: { t: TopicDetail }) {
  if (t.consumerGroups.length === 0) return <Empty>No consumer group has committed offsets on this topic.</Empty>;
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">Group</th>
          <th scope="col">State</th>
          <th scope="col" className="num">
            Lag
          </th>
        </tr>
      </thead>
      <tbody>
        {t.consumerGroups.map((g) => (
          <tr key={g.groupId}>
            <td>
              <Link href={href(['groups'], { q: g.groupId })}>{g.groupId}</Link>
            </td>
            <td>
              <Badge state={g.state} />
            </td>
            <td className="num">{count(g.lag)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function DeleteTopic({ name }: { name: string }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const del = async () => {
    try {
      await request(`/api/topics/${encodeURIComponent(name)}`, null, { method: 'DELETE', timeoutMs: 15_000 });
      invalidate(['topics']);
      navigate('/topics');
    } catch (e) {
      setError(e instanceof HttpError ? e.message : String(e));
    }
  };
  if (!confirming)
    return (
      <button type="button" className="danger" onClick={() => setConfirming(true)}>
        Delete topic
      </button>
    );
  return (
    <span className="confirm">
      Delete <strong>{name}</strong> and all its records?{' '}
      <button type="button" className="danger" onClick={del}>
        Delete
      </button>{' '}
      <button type="button" onClick={() => setConfirming(false)}>
        Keep
      </button>
      {error && (
        <span className="error-text" role="alert">
          {' '}
          {error}
        </span>
      )}
    </span>
  );
}

export function TopicPage({ name, route }: { name: string; route: Route }) {
  const tabParam = route.query.get('tab') as Tab | null;
  const tab: Tab = tabParam && TABS.includes(tabParam) ? tabParam : 'messages';
  const topic = useTopic(name, { refreshMs: tab === 'messages' || tab === 'produce' ? 0 : 10_000 });
  if (topic.error?.status === 404 && !topic.data) {
    // Deleted or never created: nothing to browse, delete or produce to here.
    return (
      <section>
        <nav className="crumbs small" aria-label="Breadcrumb">
          <Link href="/topics">Topics</Link> / <span>{name}</span>
        </nav>
        <h1 className="mono">{name}</h1>
        <Empty>
          There is no topic <strong className="mono">{name}</strong> (any more). Go back to the{' '}
          <Link href="/topics">topics</Link>; a connector or a producer writing to this name creates it again.
        </Empty>
      </section>
    );
  }
  return (
    <section>
      <nav className="crumbs small" aria-label="Breadcrumb">
        <Link href="/topics">Topics</Link> / <span>{name}</span>
      </nav>
      <div className="page-head">
        <h1 className="mono">{name}</h1>
        {topic.data && (
          <span className="muted">
            {topic.data.partitions.length} partition{topic.data.partitions.length === 1 ? '' : 's'} ·{' '}
            {count(topic.data.records)} record{topic.data.records === 1 ? '' : 's'}
            {topic.data.bytes !== undefined && <> · {bytes(topic.data.bytes)} on disk</>}
          </span>
        )}
        <span className="spacer" />
        <DeleteTopic name={name} />
      </div>
      <div
        className="tabs"
        role="tablist"
        aria-label="Topic views"
        onKeyDown={(e) => {
          // Arrow keys move between tabs, as in any tab list.
          const i = TABS.indexOf(tab);
          const next =
            e.key === 'ArrowRight'
              ? TABS[(i + 1) % TABS.length]
              : e.key === 'ArrowLeft'
                ? TABS[(i + TABS.length - 1) % TABS.length]
                : null;
          if (!next) return;
          e.preventDefault();
          setQuery({ tab: next === 'messages' ? null : next }, true);
          requestAnimationFrame(() => document.querySelector<HTMLElement>(`[role="tab"][data-tab="${next}"]`)?.focus());
        }}
      >
        {TABS.map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            data-tab={t}
            tabIndex={tab === t ? 0 : -1}
            aria-selected={tab === t}
            className={tab === t ? 'on' : ''}
            onClick={() => setQuery({ tab: t === 'messages' ? null : t }, true)}
          >
            {t}
          </button>
        ))}
      </div>
      <div role="tabpanel">
        <QueryView
          q={topic}
          what={`topic ${name}`}
          hint={(e) =>
            e.status === 404 ? 'This topic does not exist (any more). Pick one from the Topics page.' : undefined
          }
        >
          {(t) =>
            tab === 'messages' ? (
              <MessageBrowser topic={name} partitions={t.partitions.length} route={route} />
            ) : tab === 'partitions' ? (
              <TopicPartitions t={t} />
            ) : tab === 'configs' ? (
              <TopicConfigs t={t} />
            ) : tab === 'groups' ? (
              <Groups t={t} />
            ) : (
              <ProduceForm topic={name} partitions={t.partitions.length} />
            )
          }
        </QueryView>
      </div>
    </section>
  );
}
