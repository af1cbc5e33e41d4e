// The AIVDM codec against gpsd's sample.aivdm and its decoded expectations (sample.aivdm.js.chk),
// plus round trips and the malformed-input paths. The gpsd files live in ../shared beside the repo
// (BSD-2-Clause, not shipped): without them the tests against gpsd's values skip with one notice.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { sharedData } from '../../../scripts/testing/needs.mjs';
import type { AisError } from '../src/errors.ts';
import {
  type AisMessage,
  armor,
  BitReader,
  decodePayload,
  decodeText,
  encodePositionSentences,
  FragmentAssembler,
  type PositionReportA,
  type PositionReportB,
  parseSentence,
  rotDegPerMin,
  rotIndicator,
  unarmor,
} from '../src/nmea/index.ts';

const DATA = sharedData('data/gpsd');
const skip = !DATA && 'no ../shared/data/gpsd beside the repository';
const sample = DATA ? readFileSync(`${DATA}/sample.aivdm`, 'utf8') : '';
const expected = (DATA ? readFileSync(`${DATA}/sample.aivdm.js.chk`, 'utf8') : '')
  .split('\n')
  .filter((l) => l.startsWith('{'))
  .map((l) => JSON.parse(l) as Record<string, unknown>);

function expectationsFor(type: number): Record<string, unknown>[] {
  return expected.filter((e) => e.type === type);
}

function turnFromGpsd(v: unknown): number | null {
  if (v === 'fastleft') return -127;
  if (v === 'fastright') return 127;
  if (v === 'n/a') return -128;
  return null;
}

const decoded = decodeText(sample);

test('types 1, 2 and 3 decode to the values gpsd reports', { skip }, () => {
  for (const type of [1, 2, 3]) {
    const want = expectationsFor(type);
    const got = decoded.messages.filter((m): m is PositionReportA => m.type === type);
    assert.equal(got.length, want.length, `count of type ${type}`);
    for (const [i, e] of want.entries()) {
      const m = got[i]!;
      assert.equal(m.mmsi, e.mmsi);
      assert.equal(m.repeat, e.repeat);
      assert.equal(m.status, e.status);
      assert.equal(m.speed, e.speed);
      assert.equal(m.accuracy, e.accuracy);
      assert.ok(Math.abs(m.lon - (e.lon as number)) < 1e-6, `lon ${m.lon} vs ${e.lon}`);
      assert.ok(Math.abs(m.lat - (e.lat as number)) < 1e-6, `lat ${m.lat} vs ${e.lat}`);
      assert.equal(m.course, e.course);
      assert.equal(m.heading, e.heading);
      assert.equal(m.second, e.second);
      assert.equal(m.maneuver, e.maneuver);
      assert.equal(m.raim, e.raim);
      assert.equal(m.radio, e.radio);
      const sentinel = turnFromGpsd(e.turn);
      if (sentinel !== null) assert.equal(m.turn, sentinel);
      else assert.ok(Math.abs((rotDegPerMin(m.turn) ?? Number.NaN) - Number(e.turn)) < 0.01, `turn ${e.turn}`);
    }
  }
});

test('type 18 decodes to the values gpsd reports', { skip }, () => {
  const want = expectationsFor(18);
  const got = decoded.messages.filter((m): m is PositionReportB => m.type === 18);
  assert.equal(got.length, want.length);
  assert.ok(want.length >= 3);
  for (const [i, e] of want.entries()) {
    const m = got[i]!;
    for (const k of ['mmsi', 'reserved', 'speed', 'accuracy', 'course', 'heading', 'second', 'regional'] as const) {
      assert.equal(m[k], e[k], k);
    }
    for (const k of ['cs', 'display', 'dsc', 'band', 'msg22', 'raim', 'radio'] as const) assert.equal(m[k], e[k], k);
    assert.ok(Math.abs(m.lon - (e.lon as number)) < 1e-6);
    assert.ok(Math.abs(m.lat - (e.lat as number)) < 1e-6);
  }
});

test('type 5 decodes ship name, call sign, type, dimensions, ETA and destination as gpsd does', { skip }, () => {
  const want = expectationsFor(5);
  const got = decoded.messages.filter((m) => m.type === 5);
  assert.equal(got.length, want.length);
  for (const [i, e] of want.entries()) {
    const m = got[i]!;
    const eta = `${String(m.month).padStart(2, '0')}-${String(m.day).padStart(2, '0')}T${String(m.hour).padStart(2, '0')}:${String(m.minute).padStart(2, '0')}Z`;
    assert.equal(eta, e.eta);
    for (const k of ['mmsi', 'imo', 'ais_version', 'callsign', 'shipname', 'shiptype', 'to_bow', 'to_stern'] as const) {
      assert.equal(m[k], e[k], k);
    }
    for (const k of ['to_port', 'to_starboard', 'epfd', 'draught', 'destination', 'dte'] as const)
      assert.equal(m[k], e[k], k);
  }
});

test('type 24 parts A and B decode to the merged record gpsd reports', { skip }, () => {
  const want = expectationsFor(24);
  assert.ok(want.length >= 2);
  const parts = decoded.messages.filter((m) => m.type === 24);
  for (const e of want) {
    const a = parts.find((m) => m.mmsi === e.mmsi && m.partno === 0);
    const b = parts.find((m) => m.mmsi === e.mmsi && m.partno === 1);
    assert.ok(a && a.partno === 0 && b && b.partno === 1, `both parts for ${e.mmsi}`);
    assert.equal(a.shipname, e.shipname);
    for (const k of ['shiptype', 'vendorid', 'model', 'serial', 'callsign', 'to_bow', 'to_stern', 'to_port'] as const) {
      assert.equal(b[k], e[k], k);
    }
    assert.equal(b.to_starboard, e.to_starboard);
  }
});

test('multi-fragment messages are reassembled per channel and sequence id', () => {
  const asm = new FragmentAssembler();
  const lines = [
    '!AIVDM,2,1,6,B,542M92h00001@<7;?G0PD4i@R0<tqA8tj37>220o0h:2240Ht50000000000,0*3B',
    '!AIVDM,2,1,2,A,542M92h00001@<7;?G0PD4i@R0<tqA8tj37>220o0h:2240Ht500000000000000,0*3C',
    '!AIVDM,2,2,2,A,0000002,2*24',
    '!AIVDM,2,2,6,B,00000000000,2*21',
  ];
  const out = lines.map((l) => asm.pushLine(l));
  assert.equal(out[0], null);
  assert.equal(out[1], null);
  assert.ok(out[2] && out[3]);
  assert.equal(decodePayload(out[2]).mmsi, 271010059);
  assert.equal(decodePayload(out[3]).mmsi, 271010059);
  assert.equal(asm.pushLine('!AIVDM,2,2,1,B,00000000000,2*26'), null);
  assert.equal(asm.stats.orphans, 1);
});

test('malformed lines are counted and skipped with a code saying why', () => {
  const asm = new FragmentAssembler();
  assert.equal(asm.pushLine('AIVDM,2,2,1,B,00000000000,2*26'), null);
  assert.equal(asm.pushLine('!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4B'), null);
  assert.equal((asm.lastError as AisError).code, 'SEAWAY_AIS_NMEA_CHECKSUM');
  assert.equal(asm.pushLine('# comment'), null);
  assert.equal(asm.pushLine('garbage'), null);
  assert.equal(asm.stats.malformed, 3);
  assert.throws(
    () => unarmor('15RT|'),
    (e: AisError) => e.code === 'SEAWAY_AIS_NMEA_ARMOR',
  );
  assert.throws(
    () => parseSentence('!AIVDM,1,1,,A,15RT,0'),
    (e: AisError) => e.code === 'SEAWAY_AIS_NMEA_SENTENCE',
  );
});

test('receiver metadata after the checksum is ignored', () => {
  const s = parseSentence('!AIVDM,1,1,,B,:6TMCD1GOS60,0*5B,s36310,d-081,T59.01777335');
  assert.equal(s.payload, ':6TMCD1GOS60');
});

test('every supported sample sentence re-encodes to the same payload bits', { skip }, () => {
  let checked = 0;
  for (const line of sample.split('\n')) {
    if (!line.startsWith('!AIVDM,1,1')) continue;
    const s = parseSentence(line);
    const bits = unarmor(s.payload, s.fillBits);
    if (bits.length !== 168) continue;
    const t = new BitReader(bits).uint(0, 6);
    if (![1, 2, 3, 18].includes(t)) continue;
    const m = decodePayload(s) as PositionReportA | PositionReportB;
    const again = encodePositionSentences(m, { channel: s.channel });
    const s2 = parseSentence(again[0]!);
    const original = unarmor(s.payload, s.fillBits);
    const reencoded = unarmor(s2.payload, s2.fillBits);
    // Spare bits (145-147 for types 1-3) are not modelled; compare everything else.
    if (t !== 18) for (let i = 145; i < 148; i++) original[i] = 0;
    assert.deepEqual(reencoded, original, line);
    checked++;
  }
  assert.ok(checked >= 6);
});

test('position reports round-trip through sentences', () => {
  const a: PositionReportA = {
    type: 1,
    repeat: 0,
    mmsi: 244123456,
    status: 0,
    turn: rotIndicator(-12),
    speed: 14.2,
    accuracy: true,
    lon: -4.123456,
    lat: -33.5,
    course: 271.3,
    heading: 270,
    second: 59,
    maneuver: 0,
    raim: false,
    radio: 81920,
  };
  const [line] = encodePositionSentences(a);
  assert.match(line!, /^!AIVDM,1,1,,A,[0-W`-w]{28},0\*[0-9A-F]{2}$/);
  const back = decodePayload(parseSentence(line!)) as PositionReportA;
  assert.equal(back.mmsi, a.mmsi);
  assert.equal(back.turn, a.turn);
  assert.ok(Math.abs(back.lon - a.lon) < 1 / 600000);
  assert.ok(Math.abs(back.lat - a.lat) < 1 / 600000);
  assert.equal(back.speed, a.speed);
  assert.equal(back.course, a.course);
  assert.ok(Math.abs((rotDegPerMin(back.turn) ?? 0) + 12) < 1.5);
  const b: PositionReportB = {
    type: 18,
    repeat: 0,
    mmsi: 338000001,
    reserved: 0,
    speed: 6.5,
    accuracy: false,
    lon: 12.5,
    lat: 55.25,
    course: 45,
    heading: 44,
    second: 10,
    regional: 0,
    cs: true,
    display: false,
    dsc: true,
    band: true,
    msg22: true,
    assigned: false,
    raim: true,
    radio: 917510,
  };
  const back18 = decodePayload(parseSentence(encodePositionSentences(b, { kind: 'VDO' })[0]!)) as AisMessage;
  assert.deepEqual(back18, b);
});

test('armoring round-trips all 64 six-bit values and reports fill bits', () => {
  const bits = new Uint8Array(64 * 6 - 4);
  for (let v = 0; v < 64; v++)
    for (let b = 0; b < 6; b++) if (v * 6 + b < bits.length) bits[v * 6 + b] = (v >> (5 - b)) & 1;
  const { payload, fillBits } = armor(bits);
  assert.equal(fillBits, 4);
  assert.deepEqual(unarmor(payload, fillBits), bits);
});
