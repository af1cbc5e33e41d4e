// A slow live stream of ship positions for the lab (RUNNING_SAMPLEDATA): the fleet simulator in
// real time (each report sent when it is due, timestamps are wall-clock), published over MQTT QoS 1
// through the generator engine until stop(). `rate` caps the messages per second; the fleet is
// grown beyond `vessels` when needed so that it reports about `rate` messages per second (a ship
// under way reports every 2-10 s, one in port every 3 min). Config fields are the lab's; the
// optional ones default to what the lab relied on before (JSON payloads on <origin>/<MMSI>).
import type { FormatName } from './formats/encode.ts';
import { type GeneratorRun, startGeneratorRun } from './gen/run.ts';

export interface LiveStreamConfig {
  /** mqtt://host:port or tcp://host:port */
  mqttUrl: string;
  /** Topic prefix, as the seed generator's -origin (default /ais). */
  origin: string;
  /** Messages per second across the fleet. */
  rate: number;
  vessels: number;
  /** Payload format (default json). */
  format?: FormatName;
  /** Publish to <origin>/<MMSI> (default true) or to <origin>. */
  topicPerVessel?: boolean;
  seed?: number;
  username?: string;
  password?: string;
  qos?: 0 | 1 | 2;
}

export interface LiveStreamStats {
  messages: number;
  bytes: number;
  errors: number;
}

export interface LiveStream {
  stats(): LiveStreamStats;
  stop(): Promise<void>;
  /** The underlying generator run (state, msg/s). */
  readonly run: GeneratorRun;
}

/** Starts the stream; resolves once connected, rejects (SEAWAY_AIS_CONNECT) when it cannot be. */
export async function startLiveStream(cfg: LiveStreamConfig): Promise<LiveStream> {
  const run = startGeneratorRun({
    server: cfg.mqttUrl,
    origin: cfg.origin,
    topicPerVessel: cfg.topicPerVessel ?? true,
    format: cfg.format ?? 'json',
    rate: cfg.rate,
    realtime: true,
    fleet: Math.max(1, cfg.vessels, Math.ceil(cfg.rate * 8)),
    seed: cfg.seed ?? 1,
    messages: 0,
    workers: 1,
    inflight: Math.max(1, Math.min(100, Math.ceil(cfg.rate / 10))),
    qos: cfg.qos ?? 1,
    username: cfg.username,
    password: cfg.password,
    clientId: 'seaway-ais-live',
  });
  // Surface a start failure (bad address, refused connection) to the caller.
  const failed = run.done.then(
    () => null,
    (err: unknown) => err,
  );
  while (run.stats().state === 'preparing') {
    const err = await Promise.race([failed, new Promise((r) => setTimeout(() => r(null), 20))]);
    if (err) throw err;
  }
  return {
    run,
    stats() {
      const s = run.stats();
      return { messages: s.messages, bytes: s.bytes, errors: s.errors };
    },
    async stop() {
      run.stop();
      await run.done.catch(() => {});
    },
  };
}
