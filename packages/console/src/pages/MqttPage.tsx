// MQTT: the embedded broker's clients and traffic. Detailed client and subscription lists appear
// when the broker exposes them through /api/mqtt.
import { useConnectionInfo, useMqtt } from '../api/resources.ts';
import { Sparkline } from '../components/Chart.tsx';
import { CopyField } from '../components/CopyField.tsx';
import { Empty, QueryView } from '../components/States.tsx';
import { bytes, count, rate } from '../format.ts';
import { useLive } from '../live/LiveContext.tsx';
import { mqttHostPortFrom } from './connector-config.ts';

export function MqttPage() {
  const mqtt = useMqtt({ refreshMs: 3000 });
  const info = useConnectionInfo();
  const live = useLive();
  const last = live.frames[live.frames.length - 1];
  return (
    <section>
      <h1>MQTT</h1>
      <QueryView q={mqtt} what="MQTT broker state">
        {(m) =>
          !m.enabled ? (
            <Empty>
              The embedded MQTT broker is disabled (MQTT_PORT=0). Start the lab with MQTT_PORT=1883 to use it.
            </Empty>
          ) : (
            <>
              <div className="tiles">
                <div className="tile">
                  <span className="tile-value">{count(m.clients)}</span>
                  <span className="tile-label">connected clients</span>
                </div>
                <div className="tile">
                  <span className="tile-value">{count(m.messagesIn)}</span>
                  <span className="tile-label">messages received</span>
                </div>
                <div className="tile">
                  <span className="tile-value">{bytes(m.bytesIn)}</span>
                  <span className="tile-label">received</span>
                </div>
                <div className="tile">
                  <span className="tile-value">{last ? rate(last.hops.mqtt.messagesPerSec) : '—'}</span>
                  <span className="tile-label">msg/s now</span>
                  <Sparkline
                    values={live.frames.slice(-60).map((f) => f.hops.mqtt.messagesPerSec)}
                    label="MQTT messages per second"
                  />
                </div>
              </div>
              {m.clientList ? (
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">Client id</th>
                      <th scope="col">Subscriptions</th>
                    </tr>
                  </thead>
                  <tbody>
                    {m.clientList.map((c) => (
                      <tr key={c.id}>
                        <td className="mono">{c.id}</td>
                        <td className="mono small">{c.subscriptions?.join(', ') || '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : (
                <p className="muted small">
                  Per-client detail (ids, subscriptions, retained messages) appears here when the broker exposes it.
                </p>
              )}
            </>
          )
        }
      </QueryView>
      {info.data && (
        <div className="panel copy-list">
          <CopyField label="MQTT" value={info.data.mqttUrl} />
          <CopyField label="MQTT over WebSocket" value={info.data.mqttWebSocketUrl} />
          <p className="small muted">
            Try it:{' '}
            <code>
              mosquitto_pub -h {new URL(info.data.consoleUrl).hostname} -p{' '}
              {mqttHostPortFrom(info.data.mqttUrl).split(':')[1]} -q 1 -t /ais/test -m hello
            </code>
          </p>
        </div>
      )}
    </section>
  );
}
