// Stream Reactor's task split for the MQTT source (MqttSourceConnector.taskConfigs):
// - one task config (the connector's own, client id unchanged) when tasks.max is 1 or there is one KCQL;
// - otherwise the statements are cut into groups of floor(n / tasks) + n % tasks; with
//   connect.mqtt.share.replicate=true every statement with `$share/` goes to every task instead;
//   empty tasks are dropped and each task's client id gets the suffix -<index>.
// With spreadShared (a Seaway cluster, cluster/herder.ts), a connector with a `$share/` statement
// and tasks.max = N gets N tasks even with one statement: each holds every shared statement (as
// share.replicate does), so N workers subscribe to the share group and the broker spreads the load.
import { randomBytes } from 'node:crypto';
import type { KcqlStatement } from '../kcql/parse.ts';

/** Like paho's generateClientId: used when connect.mqtt.client.id is not set. */
export function generateClientId(): string {
  return `seaway-${randomBytes(6).toString('hex')}`;
}

export interface TaskAssignment {
  statements: KcqlStatement[];
  /** undefined when the connector has no client id (each task then generates one). */
  clientId: string | undefined;
}

export function splitTasks(
  statements: KcqlStatement[],
  tasksMax: number,
  clientId: string | undefined,
  replicateShared: boolean,
  spreadShared = false,
): TaskAssignment[] {
  const spread = spreadShared && tasksMax > 1 && statements.some((s) => s.text.includes('$share/'));
  if (spread) replicateShared = true;
  else if (tasksMax <= 1 || statements.length <= 1) return [{ statements, clientId }];
  const size = Math.floor(statements.length / tasksMax) + (statements.length % tasksMax);
  const replicated = replicateShared ? statements.filter((s) => s.text.includes('$share/')) : [];
  const distributed = replicateShared ? statements.filter((s) => !s.text.includes('$share/')) : statements;
  const groups: KcqlStatement[][] = [];
  for (let i = 0; i < distributed.length; i += size) groups.push(distributed.slice(i, i + size));
  const n = Math.max(tasksMax, groups.length);
  const out: TaskAssignment[] = [];
  for (let i = 0; i < n; i++) {
    const own = [...(groups[i] ?? []), ...(i < tasksMax ? replicated : [])];
    if (own.length > 0) out.push({ statements: own, clientId: undefined });
  }
  const base = clientId ?? generateClientId();
  return out.map((t, index) => ({ statements: t.statements, clientId: `${base}-${index}` }));
}
