// Turns a Kafka record of an AIS position topic into a Vessel for the map. Values are
// Confluent-framed Avro (magic 0, 4-byte schema id, Avro body; the schema comes from the registry by
// id, cached) or JSON; field names are those of packages/ais/src/formats/schemas.ts (MMSI,
// Latitude, Longitude, Speed, Course, Heading, Status), matched case-insensitively so JSON with
// lower-case names works too. Anything else is counted as undecodable, never thrown.

import type { avroType } from '@seaway/ais';
import type { Vessel } from '@seaway/contracts';

type AvroType = ReturnType<typeof avroType>;

/** Fetches and caches Avro schemas by id from a Confluent-compatible registry. */
export class SchemaCache {
  private readonly types = new Map<number, Promise<AvroType | null>>();
  constructor(private readonly baseUrl: () => string | null) {}

  get(id: number): Promise<AvroType | null> {
    let t = this.types.get(id);
    if (!t) {
      t = this.load(id);
      this.types.set(id, t);
      // A failed lookup (registry still starting) is retried on a later poll.
      t.then((x) => {
        if (!x) setTimeout(() => this.types.delete(id), 5_000).unref();
      });
    }
    return t;
  }

  private async load(id: number): Promise<AvroType | null> {
    const base = this.baseUrl();
    if (!base) return null;
    try {
      const res = await fetch(`${base.replace(/\/$/, '')}/schemas/ids/${id}`, { signal: AbortSignal.timeout(5_000) });
      if (!res.ok) return null;
      const body = (await res.json()) as { schema?: string; schemaType?: string };
      if (!body.schema || (body.schemaType && body.schemaType !== 'AVRO')) return null;
      const { avroType } = await import('@seaway/ais');
      return avroType(JSON.parse(body.schema));
    } catch {
      return null;
    }
  }
}

/** The decoded value as a plain object, or null. */
export async function decodeValue(value: Buffer, schemas: SchemaCache): Promise<Record<string, unknown> | null> {
  if (value.length > 5 && value[0] === 0) {
    const type = await schemas.get(value.readUInt32BE(1));
    if (!type) return null;
    try {
      const v = type.decode(value, 5).value;
      return v && typeof v === 'object' ? (v as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  }
  if (value[0] === 0x7b /* { */) {
    try {
      const v = JSON.parse(value.toString('utf8'));
      return v && typeof v === 'object' ? (v as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  }
  return null;
}

function field(o: Record<string, unknown>, ...names: string[]): unknown {
  for (const n of names) if (n in o) return o[n];
  const lower = new Map(Object.keys(o).map((k) => [k.toLowerCase(), k]));
  for (const n of names) {
    const k = lower.get(n.toLowerCase());
    if (k !== undefined) return o[k];
  }
  return undefined;
}

function num(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

/** A Vessel from a decoded position record, or null when it has no usable MMSI and position. */
export function toVessel(o: Record<string, unknown>, lastSeen: number): Vessel | null {
  const mmsiRaw = field(o, 'MMSI', 'mmsi', 'UserID');
  const mmsi =
    typeof mmsiRaw === 'bigint' || typeof mmsiRaw === 'number' || typeof mmsiRaw === 'string' ? String(mmsiRaw) : '';
  const lat = num(field(o, 'Latitude', 'lat'));
  const lon = num(field(o, 'Longitude', 'lon', 'lng'));
  if (!/^\d{1,9}$/.test(mmsi) || lat === null || lon === null) return null;
  // AIS "not available" positions are 91 / 181.
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  const speed = num(field(o, 'Speed', 'sog'));
  const course = num(field(o, 'Course', 'cog'));
  const heading = num(field(o, 'Heading', 'hdg'));
  const status = num(field(o, 'Status', 'navStatus'));
  const name = field(o, 'Name', 'ShipName', 'VesselName');
  return {
    mmsi,
    name: typeof name === 'string' && name.trim() ? name.trim() : null,
    lat,
    lon,
    speed: speed === null || speed >= 102.3 ? null : Math.round(speed * 10) / 10,
    course: course === null || course >= 360 || course < 0 ? null : Math.round(course * 10) / 10,
    heading: heading === null || heading >= 360 || heading < 0 ? null : heading,
    status: status === null ? null : Math.trunc(status),
    lastSeen,
  };
}
