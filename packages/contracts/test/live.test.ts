import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ClientMessage, GeneratorRunRequest, MapVesselsResponse, ServerFrame } from '../src/index.ts';

test('a tail frame on /ws parses as a server frame', () => {
  const f = ServerFrame.parse({
    type: 'tail',
    topic: 't',
    dropped: 0,
    records: [{ partition: 0, offset: '1', timestamp: 1, key: null, value: 'AA==', headers: [], size: 1 }],
  });
  assert.equal(f.type === 'tail' && f.records.length, 1);
});

test('a tail subscription needs a topic; untail needs nothing', () => {
  assert.equal(ClientMessage.safeParse({ type: 'tail' }).success, false);
  assert.equal(ClientMessage.safeParse({ type: 'tail', topic: '' }).success, false);
  assert.equal(ClientMessage.parse({ type: 'untail' }).type, 'untail');
});

test('a generator run request fills defaults and refuses wildcard topics', () => {
  const r = GeneratorRunRequest.parse({});
  assert.equal(r.qos, 1);
  assert.equal(r.origin, '/ais');
  assert.equal(GeneratorRunRequest.safeParse({ origin: '/ais/#' }).success, false);
  assert.equal(GeneratorRunRequest.safeParse({ qos: 3 }).success, false);
});

test('a vessel without a position is rejected', () => {
  const base = { topic: 't', scanned: 1, undecodable: 0, truncated: false, ts: 1 };
  const v = {
    mmsi: '1',
    name: null,
    lat: 1,
    lon: 2,
    speed: null,
    course: null,
    heading: null,
    status: null,
    lastSeen: 1,
  };
  assert.equal(MapVesselsResponse.safeParse({ ...base, vessels: [v] }).success, true);
  assert.equal(MapVesselsResponse.safeParse({ ...base, vessels: [{ ...v, lat: undefined }] }).success, false);
});
