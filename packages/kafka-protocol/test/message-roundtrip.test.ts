/**
 * Every served API at every advertised version survives encode -> decode, as full frames with
 * headers, for values generated from its definition (all defaults, all fields set, nulls/empties).
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  apiDefinitions,
  decodeRequest,
  decodeResponse,
  encodeRequest,
  encodeResponse,
  responseHeaderVersion,
} from '../src/codec/message-codec.ts';
import { type Mode, sampleStruct } from './support/sample-values.ts';

const MODES: Mode[] = ['defaults', 'filled', 'nulls'];

for (const api of apiDefinitions()) {
  test(`${api.name} (key ${api.apiKey}) requests and responses round-trip at versions ${api.advertised.join('-')}`, () => {
    for (let version = api.advertised[0]; version <= api.advertised[1]; version++) {
      for (const mode of MODES) {
        const where = `${api.name} v${version} ${mode}`;
        const request = sampleStruct(api.request.fields, version, mode);
        const input = mode === 'defaults' ? {} : request;
        const frame = encodeRequest(api.apiKey, version, input, { correlationId: 77 + version, clientId: 'rt-client' });
        assert.equal(frame.readInt32BE(0), frame.length - 4, `${where}: size prefix`);
        const decoded = decodeRequest(frame.subarray(4));
        assert.deepEqual(
          decoded.header,
          { apiKey: api.apiKey, apiVersion: version, correlationId: 77 + version, clientId: 'rt-client' },
          `${where}: request header`,
        );
        assert.deepEqual(decoded.body, request, `${where}: request body`);

        const response = sampleStruct(api.response.fields, version, mode);
        const rframe = encodeResponse(api.apiKey, version, mode === 'defaults' ? {} : response, 9000 + version);
        const rdecoded = decodeResponse(api.apiKey, version, rframe.subarray(4));
        assert.equal(rdecoded.correlationId, 9000 + version, `${where}: response correlation id`);
        assert.deepEqual(rdecoded.body, response, `${where}: response body`);
        // Re-encoding the decoded value gives the same bytes (nothing lost or invented).
        assert.deepEqual(encodeResponse(api.apiKey, version, rdecoded.body, 9000 + version), rframe, where);
      }
    }
  });
}

test('response header v1 adds an empty tagged-field byte for flexible versions except ApiVersions', () => {
  // Metadata v9 is the first flexible Metadata version; ApiVersions v3 is flexible but keeps header v0.
  assert.equal(responseHeaderVersion(3, 8), 0);
  assert.equal(responseHeaderVersion(3, 9), 1);
  assert.equal(responseHeaderVersion(18, 3), 0);
  const withV1 = encodeResponse(3, 9, {}, 1);
  const body = withV1.subarray(4 + 4); // size + correlation id
  assert.equal(body[0], 0, 'header tagged fields count');
});
