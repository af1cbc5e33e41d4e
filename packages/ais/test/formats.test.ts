// Output formats: Avro with the seed's and fast-data-dev's schemas, Confluent framing, JSON in
// fast-data-dev's sample shape, NMEA text, -schema checking, replay parsing and SAMPLEDATA.
// fast-data-dev's files live in ../shared beside the repo (Apache-2.0, not shipped): the tests that
// compare against them skip with one notice without it; replay parsing is also checked on lines the
// package writes itself.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { sharedData } from '../../../scripts/testing/needs.mjs';
import type { AisError } from '../src/errors.ts';
import { confluentFrame, createEncoder, encodeKey, recordJson } from '../src/formats/encode.ts';
import { fitSchema, loadSchemaFile, toRecord } from '../src/formats/record.ts';
import { avroType, FDD_KEY_SCHEMA, FDD_VALUE_SCHEMA, SEED_SCHEMA } from '../src/formats/schemas.ts';
import { parseReplayLine } from '../src/gen/sources.ts';
import { decodePayload, type PositionReportA, parseSentence } from '../src/nmea/index.ts';
import { sampleVesselPositions } from '../src/sample-data.ts';
import { replayLines } from './replay-fixture.ts';

const FDD_DIR = sharedData('data/fast-data-dev');
const FDD = new URL(`file://${FDD_DIR || '/nonexistent'}/`);
const skip = !FDD_DIR && 'no ../shared/data/fast-data-dev beside the repository';

const report: PositionReportA = {
  type: 1,
  repeat: 0,
  mmsi: 265650970,
  status: 0,
  turn: -128,
  speed: 12.3,
  accuracy: true,
  lon: 11.841745,
  lat: 57.661493,
  course: 326.8,
  heading: 511,
  second: 32,
  maneuver: 0,
  raim: false,
  radio: 197924,
};
const NS = 1491318143985992818n;

test("fast-data-dev's schemas as shipped match the ones the package writes with", { skip }, () => {
  const value = JSON.parse(readFileSync(new URL('classAPositionReportSchema.json', FDD), 'utf8'));
  const key = JSON.parse(readFileSync(new URL('classAPositionReportSchemaKey.json', FDD), 'utf8'));
  const shape = (s: { name: string; namespace: string; fields: Array<{ name: string; type: unknown }> }) => ({
    full: `${s.namespace}.${s.name}`,
    fields: s.fields.map((f) => [f.name, f.type]),
  });
  assert.deepEqual(shape(FDD_VALUE_SCHEMA as never), shape(value));
  assert.deepEqual(shape(FDD_KEY_SCHEMA as never), shape(key));
  assert.equal(`${SEED_SCHEMA.namespace}.${SEED_SCHEMA.name}`, 'com.landoop.ais.aisClassAPositionReport');
  assert.deepEqual(
    SEED_SCHEMA.fields.map((f) => f.name),
    value.fields.map((f: { name: string }) => f.name).filter((n: string) => n !== 'location'),
  );
});

test("the default avro format decodes with the seed's schema", () => {
  const enc = createEncoder({ format: 'avro' });
  const buf = enc.encode(report, NS);
  const decoded = avroType(JSON.parse(JSON.stringify(SEED_SCHEMA))).fromBuffer(buf);
  assert.equal(decoded.MMSI, 265650970n);
  assert.equal(decoded.Timestamp, NS);
  assert.equal(decoded.Turn, -128);
  assert.ok(Math.abs(decoded.Speed - 12.3) < 1e-5);
  assert.equal(decoded.Latitude, 57.661493);
  assert.equal(decoded.Heading, 511);
  assert.equal(decoded.location, undefined);
});

test("fdd and confluent formats carry location and decode with fast-data-dev's schema", () => {
  const fdd = createEncoder({ format: 'fdd' }).encode(report, NS);
  const valueType = avroType(FDD_VALUE_SCHEMA);
  assert.equal(valueType.fromBuffer(fdd).location, '57.661493,11.841745');
  const framed = createEncoder({ format: 'confluent', schemaId: 7 }).encode(report, NS);
  assert.equal(framed[0], 0);
  assert.equal(framed.readUInt32BE(1), 7);
  assert.deepEqual(valueType.fromBuffer(framed.subarray(5)), valueType.fromBuffer(fdd));
  assert.deepEqual(confluentFrame(7, fdd), framed);
  assert.throws(
    () => createEncoder({ format: 'confluent' }),
    (e: AisError) => e.code === 'SEAWAY_AIS_CONFIG',
  );
  assert.equal(avroType(FDD_KEY_SCHEMA).fromBuffer(encodeKey(265650970)).MMSI, 265650970n);
});

test("json matches fast-data-dev's sample line field for field", { skip }, () => {
  const line = gunzipSync(readFileSync(new URL('ais.txt.gz', FDD)))
    .toString('utf8')
    .split(/\r?\n/)[0]!;
  const sampleValue = line.split('\t')[1]!;
  const parsed = parseReplayLine(line);
  assert.ok(parsed);
  const json = recordJson(toRecord(parsed.m, parsed.timestamp));
  assert.equal(json.replace(/(\d)\.0(?=[,}])/g, '$1'), sampleValue.replace(/(\d)\.0(?=[,}])/g, '$1'));
});

function replayKeepsValues(lines: string[]): void {
  const enc = createEncoder({ format: 'fdd' });
  const t = avroType(FDD_VALUE_SCHEMA);
  for (const line of lines.slice(0, 500)) {
    const original = JSON.parse(line.split('\t')[1]!);
    const r = parseReplayLine(line)!;
    const back = t.fromBuffer(enc.encode(r.m, r.timestamp));
    for (const k of ['Type', 'Repeat', 'Heading', 'Second', 'Status', 'Maneuver', 'Accuracy', 'RAIM', 'location'])
      assert.equal(back[k], original[k], k);
    assert.equal(back.MMSI, BigInt(original.MMSI));
    assert.ok(Math.abs(back.Turn - original.Turn) < 1e-4, `Turn ${back.Turn} vs ${original.Turn}`);
    assert.ok(Math.abs(back.Speed - original.Speed) < 1e-4);
  }
  assert.equal(parseReplayLine('{"MMSI":1}\tnot json'), null);
  assert.equal(parseReplayLine('{"Type":5}'), null);
}

test("replayed records keep their values through Avro (fast-data-dev's sample)", { skip }, () => {
  replayKeepsValues(
    gunzipSync(readFileSync(new URL('ais.txt.gz', FDD)))
      .toString('utf8')
      .split('\n')
      .filter(Boolean),
  );
});

test('replayed records keep their values through Avro (lines the package writes)', () => {
  replayKeepsValues(replayLines(500));
});

test('nmea format writes a sentence that decodes back to the report', () => {
  const text = createEncoder({ format: 'nmea' }).encode(report, NS).toString();
  const m = decodePayload(parseSentence(text)) as PositionReportA;
  assert.equal(m.mmsi, report.mmsi);
  assert.equal(m.course, report.course);
});

test('a schema that does not fit the record fails with the field named', () => {
  const bad = {
    ...SEED_SCHEMA,
    fields: SEED_SCHEMA.fields.map((f) => (f.name === 'Speed' ? { ...f, type: 'string' } : f)),
  };
  assert.throws(
    () => fitSchema(bad),
    (e: AisError) => e.code === 'SEAWAY_AIS_SCHEMA_MISMATCH' && /"Speed"/.test(e.message),
  );
  const extra = { ...SEED_SCHEMA, fields: [...SEED_SCHEMA.fields, { name: 'Draught', type: 'float' }] };
  assert.throws(
    () => fitSchema(extra),
    (e: AisError) => /"Draught"/.test(e.message),
  );
  // Promotions, optional extras with defaults and fewer fields are fine.
  const ok = {
    type: 'record',
    name: 'Small',
    fields: [
      { name: 'MMSI', type: 'long' },
      { name: 'Speed', type: 'double' },
      { name: 'Heading', type: ['null', 'long'] },
      { name: 'Owner', type: 'string', default: 'unknown' },
    ],
  };
  const fitted = fitSchema(ok);
  const v = fitted.type.fromBuffer(fitted.type.toBuffer(fitted.adapt(toRecord(report, NS))));
  assert.equal(v.MMSI, 265650970n);
  assert.equal(v.Heading, 511n);
  assert.equal(v.Owner, 'unknown');
  const dir = mkdtempSync(join(tmpdir(), 'ais-schema-'));
  writeFileSync(join(dir, 'x.avsc'), '{not json');
  assert.throws(
    () => loadSchemaFile(join(dir, 'x.avsc')),
    (e: AisError) => e.code === 'SEAWAY_AIS_SCHEMA_FILE',
  );
  assert.throws(
    () => loadSchemaFile(join(dir, 'missing.avsc')),
    (e: AisError) => e.code === 'SEAWAY_AIS_SCHEMA_FILE',
  );
});

test('sample data yields N keyed records that decode with the fast-data-dev schemas', () => {
  const data = sampleVesselPositions(500, { seed: 2, startTime: Date.UTC(2020, 0, 1) });
  assert.equal(data.topic, 'sea_vessel_position_reports');
  assert.equal(data.partitions, 3);
  const keyType = avroType(data.keySchema);
  const valueType = avroType(data.valueSchema);
  let n = 0;
  let lastTs = 0;
  for (const r of data.records) {
    const key = keyType.fromBuffer(r.key);
    const value = valueType.fromBuffer(r.value);
    assert.equal(key.MMSI, BigInt(r.mmsi));
    assert.equal(value.MMSI, key.MMSI);
    assert.ok(r.timestamp >= lastTs);
    lastTs = r.timestamp;
    n++;
  }
  assert.equal(n, 500);
});
