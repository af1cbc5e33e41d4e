// Consumer groups: one row per group (state, members, topics, total lag); a row opens into its
// members with their assignments and committed offsets with lag per partition. ?open= holds it.
import type { ConsumerGroup } from '@seaway/contracts';
import { Fragment } from 'react';
import { useConsumerGroups } from '../api/resources.ts';
import { Link } from '../components/Link.tsx';
import { Badge, Empty, QueryView } from '../components/States.tsx';
import { count } from '../format.ts';
import { href, type Route, setQuery } from '../router.ts';
import { GroupActions } from './GroupActions.tsx';

/** Groups the lab's own services use (the schema registry's store reader, Kafka's `_`-prefixed ones);
 * the server marks them (`internal`); the names also catch a real Confluent registry's group. */
export const isInternalGroup = (g: Pick<ConsumerGroup, 'groupId'> & { internal?: boolean }) =>
  g.internal === true ||
  g.groupId.startsWith('seaway-schema-registry-') ||
  g.groupId === 'schema-registry' ||
  g.groupId.startsWith('_');

function GroupDetail({ g }: { g: ConsumerGroup }) {
  return (
    <>
      {g.members.length > 0 ? (
        <table className="table compact">
          <caption>Members</caption>
          <tbody>
            {g.members.map((m) => (
              <tr key={m.memberId}>
                <th scope="row" className="mono small">
                  {m.clientId}
                </th>
                <td className="mono small">{m.host}</td>
                <td className="small">
                  {m.assignments.map((a) => `${a.topic} [${a.partitions.join(', ')}]`).join('; ') || '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="small muted">No members: nobody is consuming with this group right now.</p>
      )}
      {g.offsets.length > 0 ? (
        <table className="table compact">
          <caption>Committed offsets</caption>
          <thead>
            <tr>
              <th scope="col">Topic</th>
              <th scope="col" className="num">
                Partition
              </th>
              <th scope="col" className="num">
                Committed
              </th>
              <th scope="col" className="num">
                End
              </th>
              <th scope="col" className="num">
                Lag
              </th>
            </tr>
          </thead>
          <tbody>
            {g.offsets.map((o) => (
              <tr key={`${o.topic}:${o.partition}`}>
                <td>
                  <Link href={href(['topics', o.topic])}>{o.topic}</Link>
                </td>
                <td className="num">{o.partition}</td>
                <td className="num mono">{o.committed ?? 'none'}</td>
                <td className="num mono">{o.high}</td>
                <td className="num">{count(o.lag)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="small muted">No committed offsets.</p>
      )}
      {g.offsets.some((o) => o.committed === null) && (
        <p className="small muted">
          “none”: nothing committed yet on that partition, so its lag counts every record in its log.
        </p>
      )}
      <GroupActions g={g} />
    </>
  );
}

export function GroupsPage({ route }: { route: Route }) {
  const groups = useConsumerGroups({ refreshMs: 5000 });
  const q = route.query.get('q') ?? '';
  const open = route.query.get('open');
  const showInternal = route.query.get('internal') === '1';
  return (
    <section>
      <h1>Consumer groups</h1>
      <div className="filters">
        <input
          type="search"
          data-search
          placeholder="Search groups ( / )"
          aria-label="Search groups"
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
      <QueryView q={groups} what="consumer groups">
        {(d) => {
          const list = d.groups.filter(
            (g) => (showInternal || !isInternalGroup(g)) && g.groupId.toLowerCase().includes(q.toLowerCase()),
          );
          const hidden = d.groups.filter((g) => isInternalGroup(g)).length;
          if (d.groups.length === 0)
            return <Empty>No consumer groups. They appear when a client consumes with a group id.</Empty>;
          if (list.length === 0)
            return (
              <Empty>
                {q ? `No group matches “${q}”.` : 'No consumer groups besides internal ones.'}
                {!showInternal && hidden > 0 && ` ${hidden} internal group${hidden === 1 ? ' is' : 's are'} hidden.`}
              </Empty>
            );
          return (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Group</th>
                  <th scope="col">State</th>
                  <th scope="col" className="num">
                    Members
                  </th>
                  <th scope="col">Topics</th>
                  <th scope="col" className="num">
                    Lag
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((g) => {
                  const isOpen = open === g.groupId;
                  const topics = [...new Set(g.offsets.map((o) => o.topic))];
                  return (
                    <Fragment key={g.groupId}>
                      <tr className={isOpen ? 'msg-row open' : ''}>
                        <td>
                          <button
                            type="button"
                            className="link mono"
                            aria-expanded={isOpen}
                            onClick={() => setQuery({ open: isOpen ? null : g.groupId })}
                          >
                            {isOpen ? '▾' : '▸'} {g.groupId}
                          </button>
                        </td>
                        <td>
                          <Badge state={g.state} />
                        </td>
                        <td className="num">{g.members.length}</td>
                        <td className="small">{topics.join(', ') || '—'}</td>
                        <td className="num">{count(g.totalLag)}</td>
                      </tr>
                      {isOpen && (
                        <tr className="msg-detail">
                          <td colSpan={5}>
                            <GroupDetail g={g} />
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          );
        }}
      </QueryView>
    </section>
  );
}
