// The Avro schemas AIS position reports are written with. SEED_SCHEMA is the record of the 2017
// generator in the seed article (com.landoop.ais.aisClassAPositionReport); FDD_VALUE_SCHEMA and
// FDD_KEY_SCHEMA are fast-data-dev's sea_vessel_position_reports schemas (com.lensesio.ais), which
// add `location` ("lat,lon" for Elasticsearch). Field layouts are the published ones; the docs are
// ours. Longs are JavaScript bigints (nanosecond timestamps do not fit a double).
import avro from 'avsc';

type Field = { name: string; type: string; doc: string };

const POSITION_FIELDS: Field[] = [
  { name: 'Type', type: 'int', doc: 'AIS message type; 1, 2 and 3 are Class A position reports, 18 Class B' },
  { name: 'Repeat', type: 'int', doc: 'Repeat indicator' },
  { name: 'MMSI', type: 'long', doc: 'Maritime Mobile Service Identity of the sender' },
  { name: 'Speed', type: 'float', doc: 'Speed over ground, knots' },
  { name: 'Accuracy', type: 'boolean', doc: 'Position accuracy flag' },
  { name: 'Longitude', type: 'double', doc: 'Longitude, degrees' },
  { name: 'Latitude', type: 'double', doc: 'Latitude, degrees' },
  { name: 'location', type: 'string', doc: "Position as 'lat,lon'" },
  { name: 'Course', type: 'float', doc: 'Course over ground, degrees' },
  { name: 'Heading', type: 'int', doc: 'True heading, degrees (511 = not available)' },
  { name: 'Second', type: 'int', doc: 'UTC second of the report' },
  { name: 'RAIM', type: 'boolean', doc: 'RAIM flag' },
  { name: 'Radio', type: 'long', doc: 'Radio status' },
  { name: 'Status', type: 'int', doc: 'Navigation status' },
  { name: 'Turn', type: 'float', doc: 'Rate of turn, degrees per minute (-128 n/a, +-127 turning fast)' },
  { name: 'Maneuver', type: 'int', doc: 'Special manoeuvre indicator' },
  { name: 'Timestamp', type: 'long', doc: 'Time the record was encoded, nanoseconds since the epoch' },
];

export const SEED_SCHEMA = {
  type: 'record',
  name: 'aisClassAPositionReport',
  namespace: 'com.landoop.ais',
  doc: 'AIS Class A position report',
  fields: POSITION_FIELDS.filter((f) => f.name !== 'location'),
} as const;

export const FDD_VALUE_SCHEMA = {
  type: 'record',
  name: 'aisClassAPositionReport',
  namespace: 'com.lensesio.ais',
  doc: 'AIS Class A position report',
  fields: POSITION_FIELDS,
} as const;

export const FDD_KEY_SCHEMA = {
  type: 'record',
  name: 'Key',
  namespace: 'com.lensesio.ais',
  fields: [{ name: 'MMSI', type: 'long', doc: 'Maritime Mobile Service Identity of the sender' }],
} as const;

/** avsc long represented as bigint. */
export const BIGINT_LONG = avro.types.LongType.__with({
  fromBuffer: (buf: Buffer) => buf.readBigInt64LE(),
  toBuffer: (n: bigint) => {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(n);
    return buf;
  },
  fromJSON: (v: unknown) => BigInt(v as string),
  toJSON: (n: bigint) => Number(n),
  isValid: (n: unknown) => typeof n === 'bigint',
  compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
});

export function avroType(schema: unknown): avro.Type {
  return avro.Type.forSchema(schema as avro.Schema, { registry: { long: BIGINT_LONG } });
}
