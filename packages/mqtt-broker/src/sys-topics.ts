// Mosquitto-style broker statistics under `$SYS/broker/...`, published retained every
// `sysIntervalSec` seconds (mosquitto's sys_interval, default 10), so tools written for mosquitto
// (`mosquitto_sub -t '$SYS/#' -v`) find the same names. aedes' own event topics live under
// `$SYS/<broker id>/...`; the id is the stable `brokerName` (not a new UUID on every start).
import type { MqttCounters } from './observe.ts';

export interface SysSource {
  counters: MqttCounters;
  clients(): number;
  retained(): number;
  subscriptions(): number;
  version: string;
}

/** The `$SYS/broker/...` topics and their current values. */
export function sysValues(s: SysSource, startedAt: number): [string, string][] {
  const c = s.counters;
  return [
    ['$SYS/broker/version', s.version],
    ['$SYS/broker/uptime', `${Math.floor((Date.now() - startedAt) / 1000)} seconds`],
    ['$SYS/broker/clients/connected', String(s.clients())],
    ['$SYS/broker/clients/total', String(s.clients())],
    ['$SYS/broker/connections/total', String(c.connectionsTotal)],
    ['$SYS/broker/messages/received', String(c.messagesIn)],
    ['$SYS/broker/messages/sent', String(c.messagesOut)],
    ['$SYS/broker/publish/messages/received', String(c.messagesIn)],
    ['$SYS/broker/publish/messages/sent', String(c.messagesOut)],
    ['$SYS/broker/publish/messages/dropped', String(c.droppedSlowSubscriber + c.droppedQueueFull)],
    ['$SYS/broker/bytes/received', String(c.bytesIn)],
    ['$SYS/broker/retained messages/count', String(s.retained())],
    ['$SYS/broker/subscriptions/count', String(s.subscriptions())],
  ];
}

type Publish = (packet: object, done: (err?: Error | null) => void) => void;

/** Publish the values now and then every `intervalSec` (0: never). Returns a stop function. */
export function startSysTopics(publish: Publish, s: SysSource, intervalSec: number): () => void {
  if (intervalSec <= 0) return () => {};
  const startedAt = Date.now();
  const tick = () => {
    for (const [topic, value] of sysValues(s, startedAt))
      publish({ cmd: 'publish', topic, payload: Buffer.from(value), qos: 0, retain: true, dup: false }, () => {});
  };
  tick();
  const timer = setInterval(tick, intervalSec * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
