// MQTT: the embedded broker's counters, connected clients, subscriptions, topics seen with rates,
// retained messages, and a form to publish a test message. Lists appear when the broker offers them.
import type { MqttSummary } from '@seaway/contracts';
import { useState } from 'react';
import { HttpError, request } from '../api/http.ts';
import { invalidate } from '../api/query.ts';
import { useConnectionInfo, useMqtt } from '../api/resources.ts';
import { Sparkline } from '../components/Chart.tsx';
import { CopyField } from '../components/CopyField.tsx';
import { Empty, QueryView } from '../components/States.tsx';
import { bytes, count, duration, rate } from '../format.ts';
import { useLive } from '../live/LiveContext.tsx';
import { mqttHostPortFrom } from './connector-config.ts';

function PublishForm() {
  const [topic, setTopic] = useState('/ais/test');
  const [payload, setPayload] = useState('{"MMSI": 244000000, "Latitude": 51.95, "Longitude": 4.05}');
  const [qos, setQos] = useState(1);
  const [retain, setRetain] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    try {
      await request('/api/mqtt/publish', null, { method: 'POST', body: { topic, payload, qos, retain } });
      setResult({ ok: true, text: `Published to ${topic}.` });
      invalidate(['mqtt']);
    } catch (err) {
      setResult({ ok: false, text: err instanceof HttpError ? err.message : String(err) });
    }
  };
  return (
    <form className="panel form" onSubmit={submit} aria-label="Publish a test message">
      <h2>Publish a test message</h2>
      <div className="row">
        <label>
          Topic
          <input required value={topic} onChange={(e) => setTopic(e.target.value)} className="mono" />
        </label>
        <label>
          QoS
          <select value={qos} onChange={(e) => setQos(Number(e.target.value))}>
            <option value={0}>0</option>
            <option value={1}>1</option>
            <option value={2}>2</option>
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={retain} onChange={(e) => setRetain(e.target.checked)} /> retain
        </label>
      </div>
      <label>
        Payload (UTF-8)
        <textarea
          rows={3}
          className="mono"
          value={payload}
          onChange={(e) => setPayload(e.target.value)}
          spellCheck={false}
        />
      </label>
      <div className="row">
        <button type="submit" className="primary">
          Publish
        </button>
        {result && (
          <output className={result.ok ? 'ok-text' : 'error-text'} role={result.ok ? undefined : 'alert'}>
            {result.text}
          </output>
        )}
      </div>
    </form>
  );
}

function Lists({ m }: { m: MqttSummary }) {
  const now = Date.now();
  return (
    <>
      {m.clientList && (
        <div className="panel">
          <h2>Clients ({m.clientList.length})</h2>
          {m.clientList.length === 0 ? (
            <p className="muted small">No client is connected.</p>
          ) : (
            <table className="table compact">
              <thead>
                <tr>
                  <th scope="col">Client id</th>
                  <th scope="col">Address</th>
                  <th scope="col">Transport</th>
                  <th scope="col">Session</th>
                  <th scope="col" className="num">
                    Subs
                  </th>
                  <th scope="col" className="num">
                    Queued
                  </th>
                  <th scope="col">Connected</th>
                </tr>
              </thead>
              <tbody>
                {m.clientList.map((c) => (
                  <tr key={c.id}>
                    <td className="mono small">{c.id}</td>
                    <td className="mono small">{c.address ?? '—'}</td>
                    <td>
                      {c.transport ?? '—'}
                      {c.protocolVersion ? ` v${c.protocolVersion}` : ''}
                    </td>
                    <td>{c.session ?? '—'}</td>
                    <td className="num">{c.subscriptions ?? '—'}</td>
                    <td className="num">{c.queued ?? '—'}</td>
                    <td className="small">{c.connectedSinceMs ? `${duration(now - c.connectedSinceMs)} ago` : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
      <div className="grid-2">
        {m.subscriptions && (
          <div className="panel">
            <h2>Subscriptions ({m.subscriptions.length})</h2>
            {m.subscriptions.length === 0 && <p className="muted small">No subscriptions.</p>}
            <table className="table compact">
              <tbody>
                {m.subscriptions.map((s) => (
                  <tr key={`${s.clientId} ${s.topic}`}>
                    <td className="mono small">{s.topic}</td>
                    <td className="mono small muted">{s.clientId}</td>
                    <td className="small">QoS {s.qos}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {m.retained && (
          <div className="panel">
            <h2>Retained ({m.retained.length})</h2>
            {m.retained.length === 0 ? (
              <p className="muted small">No retained messages.</p>
            ) : (
              <table className="table compact">
                <tbody>
                  {m.retained.map((r) => (
                    <tr key={r.topic}>
                      <td className="mono small">{r.topic}</td>
                      <td className="small">{bytes(r.bytes)}</td>
                      <td className="small">QoS {r.qos}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        )}
      </div>
      {m.topics && (
        <div className="panel">
          <h2>Topics seen ({m.topics.length})</h2>
          <table className="table compact">
            <thead>
              <tr>
                <th scope="col">Topic</th>
                <th scope="col" className="num">
                  msg/s
                </th>
                <th scope="col" className="num">
                  Messages
                </th>
                <th scope="col" className="num">
                  Bytes
                </th>
                <th scope="col">Last seen</th>
              </tr>
            </thead>
            <tbody>
              {[...m.topics]
                .sort((a, b) => b.rate - a.rate || b.lastSeenMs - a.lastSeenMs)
                .map((t) => (
                  <tr key={t.topic}>
                    <td className="mono small">{t.topic}</td>
                    <td className="num">{rate(t.rate)}</td>
                    <td className="num">{count(t.messages)}</td>
                    <td className="num">{bytes(t.bytes)}</td>
                    <td className="small">{duration(Math.max(0, now - t.lastSeenMs))} ago</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

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
              <Lists m={m} />
              {m.canPublish && <PublishForm />}
            </>
          )
        }
      </QueryView>
      {info.data?.mqttUrl && (
        <div className="panel copy-list">
          <CopyField label="MQTT" value={info.data.mqttUrl} />
          <CopyField label="MQTT over WebSocket" value={info.data.mqttWebSocketUrl} />
          <p className="small muted">
            Try it:{' '}
            <code>
              mosquitto_sub -h {new URL(info.data.consoleUrl).hostname} -p{' '}
              {mqttHostPortFrom(info.data.mqttUrl).split(':')[1]} -q 1 -t '/ais/#' -v
            </code>
          </p>
        </div>
      )}
    </section>
  );
}
