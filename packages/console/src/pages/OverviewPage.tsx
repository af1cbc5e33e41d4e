// Overview: the live pipeline with rates per hop, throughput charts for the last minutes, health
// tiles with counts, service status, and connection strings to copy.
import type { Hop } from '@seaway/contracts';
import type { HttpError } from '../api/http.ts';
import {
  useConnectionInfo,
  useConnectors,
  useConsumerGroups,
  useHealth,
  useServiceOn,
  useSubjects,
  useTopics,
} from '../api/resources.ts';
import { AreaChart } from '../components/Chart.tsx';
import { CopyField } from '../components/CopyField.tsx';
import { Link } from '../components/Link.tsx';
import { PipelineDiagram } from '../components/PipelineDiagram.tsx';
import { Badge, QueryView } from '../components/States.tsx';
import { duration } from '../format.ts';
import { useLive } from '../live/LiveContext.tsx';

function Tile({
  label,
  value,
  error,
  href,
  unavailable,
  off,
}: {
  off?: boolean;
  label: string;
  value: number | undefined;
  error: HttpError | undefined;
  href: string;
  unavailable?: string;
}) {
  const down = (error && value === undefined) || off;
  return (
    <Link href={href} className={`tile ${down ? 'tile-down' : ''}`}>
      <span className="tile-value">{value !== undefined ? value.toLocaleString('en-US') : down ? '—' : '…'}</span>
      <span className="tile-label">{label}</span>
      {down && (
        <span className="tile-note small" title={error?.message}>
          {off || error?.status === 404 || error?.status === 503 ? (unavailable ?? 'not available') : 'could not load'}
        </span>
      )}
    </Link>
  );
}

const SERIES: { hop: Hop; name: string }[] = [
  { hop: 'generator', name: 'generator' },
  { hop: 'mqtt', name: 'MQTT' },
  { hop: 'bridge', name: 'bridge' },
  { hop: 'kafka', name: 'Kafka' },
];

export function OverviewPage() {
  const live = useLive();
  const health = useHealth({ refreshMs: 5000 });
  const topics = useTopics({ refreshMs: 10_000 });
  const connectOn = useServiceOn('connect');
  const registryOn = useServiceOn('registry');
  const connectors = useConnectors({ refreshMs: 10_000, enabled: connectOn === true });
  const subjects = useSubjects({ refreshMs: 30_000, enabled: registryOn === true });
  const groups = useConsumerGroups({ refreshMs: 15_000 });
  const info = useConnectionInfo();
  const frames = live.frames;
  const last = frames[frames.length - 1];
  const seconds = Math.max(60, Math.min(300, frames.length));
  return (
    <section className="overview">
      <h1>Overview</h1>
      <div className="panel">
        <div className="panel-head">
          <h2>Pipeline</h2>
          <span className="muted small">
            {live.status === 'open'
              ? 'updated every second'
              : live.status === 'disconnected'
                ? 'not receiving metrics: the lab server is unreachable; reconnecting'
                : live.status === 'stale'
                  ? 'no metrics for 5 s'
                  : 'connecting'}
          </span>
        </div>
        <PipelineDiagram frames={frames} live={live.status === 'open'} />
      </div>

      <div className="grid-2">
        <div className="panel">
          <h2>Messages per second</h2>
          <AreaChart
            unit="msg/s"
            seconds={seconds}
            series={SERIES.map((s) => ({
              name: s.name,
              className: `s-${s.hop}`,
              values: frames.map((f) => f.hops[s.hop].messagesPerSec),
            }))}
          />
        </div>
        <div className="panel">
          <h2>Bytes per second</h2>
          <AreaChart
            unit="bytes/s"
            seconds={seconds}
            series={SERIES.filter((s) => s.hop !== 'kafka').map((s) => ({
              name: s.name,
              className: `s-${s.hop}`,
              values: frames.map((f) => f.hops[s.hop].bytesPerSec),
            }))}
          />
        </div>
      </div>

      <div className="tiles">
        <Tile
          label="topics"
          value={topics.data?.topics.filter((t) => !t.internal).length}
          error={topics.error}
          href="/topics"
        />
        <Tile
          label="connectors"
          value={connectors.data ? Object.keys(connectors.data).length : undefined}
          error={connectors.error}
          href="/connectors"
          unavailable="Connect not running"
          off={connectOn === false}
        />
        <Tile
          label="schemas"
          value={subjects.data?.length}
          error={subjects.error}
          href="/schemas"
          unavailable="registry not running"
          off={registryOn === false}
        />
        <Tile label="MQTT clients" value={last?.mqttClients} error={undefined} href="/mqtt" />
        <Tile label="consumer groups" value={groups.data?.groups.length} error={groups.error} href="/groups" />
      </div>

      <div className="grid-2">
        <div className="panel">
          <h2>Services</h2>
          <QueryView q={health} what="health">
            {(h) => (
              <>
                <p className="small muted">
                  Seaway {h.version} · up {duration(h.uptimeSeconds * 1000)} · <Badge state={h.status} />
                </p>
                <table className="table compact">
                  <tbody>
                    {Object.entries(h.services).map(([name, s]) => (
                      <tr key={name}>
                        <th scope="row">{name}</th>
                        <td>
                          <Badge state={s.status} />
                        </td>
                        <td className="mono small">{s.address ?? ''}</td>
                        <td className="small muted">{s.detail ?? ''}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            )}
          </QueryView>
        </div>
        <div className="panel">
          <h2>Connect your clients</h2>
          <QueryView q={info} what="connection strings">
            {(c) => (
              <div className="copy-list">
                <CopyField label="Kafka bootstrap" value={c.kafkaBootstrap} />
                <CopyField label="MQTT" value={c.mqttUrl} />
                <CopyField label="MQTT over WebSocket" value={c.mqttWebSocketUrl} />
                <CopyField label="Schema registry" value={c.schemaRegistryUrl} note="not running in this lab" />
                <CopyField label="Kafka Connect" value={c.connectUrl} note="not running in this lab" />
                <CopyField label="Console" value={c.consoleUrl} />
              </div>
            )}
          </QueryView>
        </div>
      </div>
    </section>
  );
}
