// GET /api/map/vessels?topic=position-reports&since=&maxAgeS=: the latest position per MMSI on an
// AIS position topic, for the console's live map.
//
// One tracker per topic keeps a bounded map MMSI -> Vessel (at most MAX_VESSELS, oldest dropped
// first, nothing older than maxAgeS). A request refreshes it with a bounded scan of the topic's
// newest records (the first scan reads more to fill the map), at most once per REFRESH_MS however
// many pages poll; concurrent requests share the scan in flight. Trackers idle for IDLE_MS are
// dropped, and there are at most MAX_TRACKERS.
import type { MapVesselsResponse, Vessel } from '@seaway/contracts';
import type { FastifyInstance } from 'fastify';
import type { ConsoleApiDeps } from './deps.ts';
import { ConsoleApiError, sendError } from './errors.ts';
import { type ConsoleKafka, requireKafka } from './kafka-access.ts';
import { scanMessages } from './message-scan.ts';
import { decodeValue, SchemaCache, toVessel } from './vessel-decode.ts';

export const MapLimits = {
  maxVessels: 5_000,
  firstScanPerPartition: 5_000,
  scanPerPartition: 1_000,
  refreshMs: 1_500,
  idleMs: 60_000,
  maxTrackers: 4,
  defaultMaxAgeS: 24 * 3600,
  maxMaxAgeS: 30 * 24 * 3600,
};

class VesselTracker {
  readonly vessels = new Map<string, Vessel>();
  scanned = 0;
  undecodable = 0;
  truncated = false;
  lastUsed = Date.now();
  private refreshedAt = 0;
  private inflight: Promise<void> | null = null;

  constructor(
    readonly topic: string,
    private readonly k: ConsoleKafka,
    private readonly schemas: SchemaCache,
  ) {}

  refresh(): Promise<void> {
    this.lastUsed = Date.now();
    if (this.inflight) return this.inflight;
    if (Date.now() - this.refreshedAt < MapLimits.refreshMs) return Promise.resolve();
    this.inflight = this.scan().finally(() => {
      this.refreshedAt = Date.now();
      this.inflight = null;
    });
    return this.inflight;
  }

  private async scan(): Promise<void> {
    const kafka = requireKafka(this.k.deps);
    const limit = this.refreshedAt === 0 ? MapLimits.firstScanPerPartition : MapLimits.scanPerPartition;
    const r = await this.k.admin.use((admin) =>
      scanMessages(kafka, admin, { topic: this.topic, from: { kind: 'newest' }, limit, timeoutMs: 5_000 }),
    );
    for (const m of r.messages) {
      this.scanned++;
      const decoded = m.value ? await decodeValue(Buffer.from(m.value, 'base64'), this.schemas) : null;
      const v = decoded && toVessel(decoded, m.timestamp);
      if (!v) {
        this.undecodable++;
        continue;
      }
      const old = this.vessels.get(v.mmsi);
      if (old && old.lastSeen > v.lastSeen) continue;
      // Re-insert so the Map's order stays oldest-updated first (dropped first when full).
      this.vessels.delete(v.mmsi);
      this.vessels.set(v.mmsi, v);
    }
    while (this.vessels.size > MapLimits.maxVessels) {
      const first = this.vessels.keys().next().value as string;
      this.vessels.delete(first);
      this.truncated = true;
    }
  }
}

type Query = Record<string, string | undefined>;

function intParam(q: Query, name: string, min: number, max: number, dflt: number): number {
  const raw = q[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new ConsoleApiError(
      'SEAWAY_CONSOLE_BAD_REQUEST',
      `${name} must be a whole number from ${min} to ${max}, got "${raw}"`,
    );
  }
  return n;
}

/** The registry to resolve schema ids with: the external one, or the embedded one on this server. */
export function registryBase(deps: ConsoleApiDeps, localPort: () => number | null): string | null {
  if (deps.registryUrl) return deps.registryUrl;
  if (!deps.ports.registry) {
    if (deps.embeddedRegistry === false) return null;
    // The embedded registry is also mounted under /api/schema-registry of the web server.
    const port = deps.ports.web || localPort();
    return port ? `http://127.0.0.1:${port}/api/schema-registry` : null;
  }
  return `http://127.0.0.1:${deps.ports.registry}`;
}

export function registerMapRoutes(app: FastifyInstance, k: ConsoleKafka): void {
  let lastLocalPort: number | null = null;
  const schemas = new SchemaCache(() => registryBase(k.deps, () => lastLocalPort));
  const trackers = new Map<string, VesselTracker>();
  const sweep = setInterval(() => {
    for (const [t, tr] of trackers) if (Date.now() - tr.lastUsed > MapLimits.idleMs) trackers.delete(t);
  }, MapLimits.idleMs).unref();
  app.addHook('onClose', async () => clearInterval(sweep));

  app.get<{ Querystring: Query }>('/api/map/vessels', async (req, reply) => {
    try {
      lastLocalPort = req.socket.localPort ?? lastLocalPort;
      const topic = req.query.topic ?? 'position-reports';
      if (!/^[a-zA-Z0-9._-]{1,249}$/.test(topic)) {
        throw new ConsoleApiError('SEAWAY_CONSOLE_BAD_REQUEST', `"${topic}" is not a Kafka topic name`);
      }
      const since = intParam(req.query, 'since', 0, Number.MAX_SAFE_INTEGER, 0);
      const maxAgeS = intParam(req.query, 'maxAgeS', 1, MapLimits.maxMaxAgeS, MapLimits.defaultMaxAgeS);
      let tr = trackers.get(topic);
      if (!tr) {
        if (trackers.size >= MapLimits.maxTrackers) {
          const idlest = [...trackers.values()].sort((a, b) => a.lastUsed - b.lastUsed)[0];
          if (idlest) trackers.delete(idlest.topic);
        }
        tr = new VesselTracker(topic, k, schemas);
        trackers.set(topic, tr);
      }
      try {
        await tr.refresh();
      } catch (e) {
        if (tr.vessels.size === 0) trackers.delete(topic);
        throw e;
      }
      const now = Date.now();
      const oldest = Math.max(since + 1, now - maxAgeS * 1000);
      const vessels = [...tr.vessels.values()].filter((v) => v.lastSeen >= oldest);
      const body: MapVesselsResponse = {
        topic,
        vessels,
        scanned: tr.scanned,
        undecodable: tr.undecodable,
        truncated: tr.truncated,
        ts: now,
      };
      return body;
    } catch (e) {
      return sendError(reply, e);
    }
  });
}
