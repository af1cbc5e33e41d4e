// Workers of the Connect-style cluster the lab joined (CONNECT_GROUP_ID): each worker with what it
// runs (connector, tasks), the leader and this lab marked, and the last rebalances this lab saw.
// Shown on the Connectors page; renders nothing when the lab runs its connectors alone.
import { ClusterWorkersResponse } from '@seaway/contracts';
import { request } from '../api/http.ts';
import { useQuery } from '../api/query.ts';

const time = (ms: number) => new Date(ms).toLocaleTimeString();

export function WorkersPanel() {
  const q = useQuery(
    ['cluster', 'workers'],
    (signal) => request('/api/cluster/workers', ClusterWorkersResponse, { signal }),
    { refreshMs: 3000 },
  );
  const d = q.data;
  if (!d?.enabled) return null;
  return (
    <section className="panel" aria-label="Workers">
      <h2>
        Workers{' '}
        <span className="small muted">
          group {d.groupId}, generation {d.generation}
        </span>
      </h2>
      <table className="table compact">
        <thead>
          <tr>
            <th scope="col">worker</th>
            <th scope="col">runs</th>
          </tr>
        </thead>
        <tbody>
          {d.workers.map((w) => (
            <tr key={w.memberId} data-worker={w.url} data-member={w.memberId}>
              <td className="mono">
                {w.url} {w.leader && <span className="badge badge-ok">leader</span>}{' '}
                {w.self && <span className="badge badge-muted">this lab</span>}
              </td>
              <td>
                {w.units.length === 0 && <span className="muted">nothing</span>}
                {w.units.map((u) => (
                  <span key={`${u.connector}/${u.task}`} className="mono unit" data-unit={`${u.connector}/${u.task}`}>
                    {u.task < 0 ? `${u.connector} (connector)` : `${u.connector} task ${u.task}`}{' '}
                  </span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Last rebalances (as this lab saw them)</h3>
      <ul className="rebalances small">
        {[...d.rebalances].reverse().map((r) => (
          <li key={`${r.generation}-${r.at}`} data-generation={r.generation}>
            {time(r.at)}: generation {r.generation}
            {r.leader ? ' (this lab led)' : ''}: started {r.started.join(', ') || 'nothing'}; stopped{' '}
            {r.stopped.join(', ') || 'nothing'}
          </li>
        ))}
      </ul>
    </section>
  );
}
