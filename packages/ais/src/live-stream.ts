// A slow live stream of ship positions for the lab (RUNNING_SAMPLEDATA and the thin path): a few
// vessels moving on straight courses, published as JSON over MQTT QoS 1 to <origin>/<mmsi>.
// The fleet simulator and the Avro formats replace the motion model and the encoding.
import mqtt from 'mqtt';

export interface LiveStreamConfig {
  mqttUrl: string;
  /** Topic prefix, as the seed generator's -origin (default /ais). */
  origin: string;
  /** Messages per second across the fleet. */
  rate: number;
  vessels: number;
}

export interface LiveStreamStats {
  messages: number;
  bytes: number;
  errors: number;
}

export interface LiveStream {
  stats(): LiveStreamStats;
  stop(): Promise<void>;
}

interface Vessel {
  mmsi: number;
  lat: number;
  lon: number;
  sog: number;
  cog: number;
}

export async function startLiveStream(cfg: LiveStreamConfig): Promise<LiveStream> {
  const client = await mqtt.connectAsync(cfg.mqttUrl, { clientId: `seaway-ais-live-${process.pid}` });
  const stats: LiveStreamStats = { messages: 0, bytes: 0, errors: 0 };
  const vessels: Vessel[] = Array.from({ length: cfg.vessels }, (_, i) => ({
    mmsi: 244_000_000 + i * 7919,
    lat: 51.9 + (i % 10) * 0.05,
    lon: 3.9 + Math.floor(i / 10) * 0.05,
    sog: 8 + (i % 7),
    cog: (i * 37) % 360,
  }));
  let next = 0;
  const timer = setInterval(
    () => {
      const v = vessels[next++ % vessels.length]!;
      const rad = (v.cog * Math.PI) / 180;
      v.lat += (Math.cos(rad) * v.sog) / 3600 / 60;
      v.lon += (Math.sin(rad) * v.sog) / 3600 / 60 / Math.cos((v.lat * Math.PI) / 180);
      const payload = Buffer.from(
        JSON.stringify({
          Type: 1,
          MMSI: v.mmsi,
          Latitude: v.lat,
          Longitude: v.lon,
          Speed: v.sog,
          Course: v.cog,
          Timestamp: Date.now(),
        }),
      );
      client.publish(`${cfg.origin}/${v.mmsi}`, payload, { qos: 1 }, (err) => {
        if (err) stats.errors++;
        else {
          stats.messages++;
          stats.bytes += payload.length;
        }
      });
    },
    Math.max(1, Math.round(1000 / cfg.rate)),
  );
  return {
    stats: () => ({ ...stats }),
    async stop() {
      clearInterval(timer);
      await client.endAsync();
    },
  };
}
