/**
 * Garbage in, typed error out: corrupted request frames for every served API either decode or
 * throw KafkaCodecError, never a RangeError or TypeError that would take a broker connection
 * handler down with an unexpected exception. Deterministic (seeded), bounded in size.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  apiDefinitions,
  decodeRequest,
  decodeResponse,
  encodeRequest,
  encodeResponse,
} from '../src/codec/message-codec.ts';
import { KafkaCodecError } from '../src/primitives/codec-error.ts';
import { sampleStruct } from './support/sample-values.ts';

/** Small deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function corrupt(frame: Buffer, random: () => number): Buffer {
  const copy = Buffer.from(frame);
  const flips = 1 + Math.floor(random() * 4);
  for (let i = 0; i < flips; i++) {
    // Keep the api key and version so the same api's decoder is exercised.
    const at = 4 + Math.floor(random() * Math.max(1, copy.length - 4));
    if (at < copy.length) copy[at] = Math.floor(random() * 256);
  }
  return copy;
}

test('corrupted requests and responses of every served API raise only KafkaCodecError', () => {
  const random = prng(20261125);
  let decodedAnyway = 0;
  let rejected = 0;
  for (const api of apiDefinitions()) {
    for (const version of [api.advertised[0], api.advertised[1]]) {
      const request = encodeRequest(api.apiKey, version, sampleStruct(api.request.fields, version, 'filled'), {
        correlationId: 1,
        clientId: 'fuzz',
      }).subarray(4);
      const response = encodeResponse(
        api.apiKey,
        version,
        sampleStruct(api.response.fields, version, 'filled'),
        1,
      ).subarray(4);
      for (let i = 0; i < 150; i++) {
        for (const decode of [
          () => decodeRequest(corrupt(request, random)),
          () => decodeResponse(api.apiKey, version, corrupt(response, random)),
        ]) {
          try {
            decode();
            decodedAnyway++;
          } catch (err) {
            assert.ok(err instanceof KafkaCodecError, `${api.name} v${version}: ${String(err)}`);
            rejected++;
          }
        }
      }
    }
  }
  assert.ok(rejected > 1000 && decodedAnyway > 1000, `rejected ${rejected}, decoded ${decodedAnyway}`);
});
