// The data path generator -> MQTT -> bridge -> Kafka, with each hop's messages/s, bytes/s, total
// and a sparkline of the recent rate. Stacks vertically on narrow screens.
import type { Hop, MetricsFrame } from '@seaway/contracts';
import { bytes, count, rate } from '../format.ts';
import { Sparkline } from './Chart.tsx';

export const HOPS: { hop: Hop; title: string; what: string }[] = [
  { hop: 'generator', title: 'AIS generator', what: 'publishes position reports' },
  { hop: 'mqtt', title: 'MQTT broker', what: 'messages received' },
  { hop: 'bridge', title: 'Bridge', what: 'records written' },
  { hop: 'kafka', title: 'Kafka', what: 'new records' },
];

/**
 * Records the bridge wrote per message MQTT received, over the last 5 frames; null when there is
 * too little traffic to say. Above 1 when several connectors read the same MQTT topics (each one
 * writes its own record), so the bridge's rate is a multiple of MQTT's and not a double count.
 */
export function bridgeFanOut(frames: MetricsFrame[]): number | null {
  let mqtt = 0;
  let bridge = 0;
  for (const f of frames.slice(-5)) {
    mqtt += f.hops.mqtt.messagesPerSec;
    bridge += f.hops.bridge.messagesPerSec;
  }
  return mqtt >= 1 ? bridge / mqtt : null;
}

export function PipelineDiagram({ frames, live }: { frames: MetricsFrame[]; live: boolean }) {
  const last = frames[frames.length - 1];
  const recent = frames.slice(-60);
  const fanOut = bridgeFanOut(frames);
  return (
    <ol className={`pipeline ${live ? 'is-live' : 'is-idle'}`} aria-label="Data pipeline">
      {HOPS.map(({ hop, title, what }, i) => {
        const c = last?.hops[hop];
        return (
          <li key={hop} className="hop" data-hop={hop}>
            {i > 0 && <span className="hop-arrow" aria-hidden="true" />}
            <div className="hop-box">
              <div className="hop-title">{title}</div>
              <div className="hop-rate">
                <span className="num" data-testid={`${hop}-rate`}>
                  {c ? rate(c.messagesPerSec) : '—'}
                </span>{' '}
                msg/s
              </div>
              <div className="hop-bytes muted">
                {c && c.bytes === 0 && c.messages > 0 ? (
                  <span data-testid={`${hop}-bytes`}>bytes not measured</span>
                ) : (
                  <>
                    <span data-testid={`${hop}-bytes`}>{c ? bytes(c.bytesPerSec) : '—'}</span>/s
                  </>
                )}
              </div>
              <Sparkline
                values={recent.map((f) => f.hops[hop].messagesPerSec)}
                label={`${title} messages per second, last minute`}
              />
              {hop === 'bridge' && fanOut !== null && fanOut >= 1.2 && (
                <div className="small warn-text" data-testid="bridge-fanout">
                  {fanOut.toFixed(1)} records per MQTT message: several connectors read the same MQTT topics, each
                  writes its own
                </div>
              )}
              <div className="hop-total muted small">
                {c ? count(c.messages) : '—'} {what}
              </div>
            </div>
          </li>
        );
      })}
    </ol>
  );
}
