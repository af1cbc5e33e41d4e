// Where a connector writes: its KCQL targets and its dead-letter topic, each a link to the topic's
// page, and, once something was dead-lettered, why: the newest dead letter's __connect.errors.*
// headers (exception message and class, the MQTT topic it came from), read from the topic itself.
import { MessagesResponse } from '@seaway/contracts';
import { request } from '../api/http.ts';
import { useQuery } from '../api/query.ts';
import { Link } from '../components/Link.tsx';
import { fromBase64 } from '../decode/base64.ts';
import { href } from '../router.ts';

/** KCQL targets (INSERT INTO x …; …), '$' meaning "named after the MQTT topic". */
export function kcqlTargets(kcql: string | undefined): string[] {
  if (!kcql) return [];
  const out: string[] = [];
  for (const m of kcql.matchAll(/INSERT\s+INTO\s+(`[^`]*`|'[^']*'|[^\s;]+)/gi)) {
    const t = (m[1] as string).replace(/^[`']|[`']$/g, '');
    if (!out.includes(t)) out.push(t);
  }
  return out;
}

/** errors.deadletterqueue.topic.name, or the bridge's default `<connector name>-dlq`. */
export const deadLetterTopic = (name: string, config: Record<string, string>) =>
  config['errors.deadletterqueue.topic.name'] || `${name}-dlq`;

const text = (b64: string | null | undefined) => (b64 ? new TextDecoder().decode(fromBase64(b64)) : undefined);

function DeadLetterReason({ topic, count }: { topic: string; count: number }) {
  // The key has the count: a new dead letter asks again.
  const q = useQuery(['topics', topic, 'dead-letter', count], (signal) =>
    request(`/api/topics/${encodeURIComponent(topic)}/messages?limit=1&timeoutMs=3000`, MessagesResponse, {
      signal,
    }),
  );
  if (q.error) return <span className="small muted">reason unknown: {q.error.message}</span>;
  const m = q.data?.messages[q.data.messages.length - 1];
  if (!m) return q.data ? <span className="small muted">no dead letter left in {topic}</span> : null;
  const h = (k: string) => text(m.headers.find((x) => x.key === k)?.value);
  const reason = h('__connect.errors.exception.message') ?? 'no __connect.errors headers on the record';
  const cls = h('__connect.errors.exception.class.name');
  const from = h('mqtt.topic') ?? text(m.key);
  return (
    <p className="small warn-text" role="note" aria-label="Why the newest message was dead-lettered">
      Newest dead letter{from ? ` (from MQTT ${from})` : ''}: {reason}
      {cls ? <span className="muted"> · {cls}</span> : null}
    </p>
  );
}

export function ConnectorTopics({
  name,
  config,
  deadLettered,
}: {
  name: string;
  config: Record<string, string>;
  deadLettered: number;
}) {
  const targets = kcqlTargets(config['connect.mqtt.kcql']);
  const dlq = deadLetterTopic(name, config);
  return (
    <div className="connector-topics">
      <p className="small">
        Writes to {targets.length === 0 && <span className="muted">no KCQL target</span>}
        {targets.map((t, i) => (
          <span key={t}>
            {i > 0 && ', '}
            {t === '$' ? (
              <span title="KCQL target $: one Kafka topic per MQTT topic">a topic per MQTT topic ($)</span>
            ) : (
              <Link href={href(['topics', t])}>{t}</Link>
            )}
          </span>
        ))}{' '}
        · dead letters to <Link href={href(['topics', dlq])}>{dlq}</Link>
      </p>
      {deadLettered > 0 && <DeadLetterReason topic={dlq} count={deadLettered} />}
    </div>
  );
}
