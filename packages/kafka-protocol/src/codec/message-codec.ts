/**
 * Request/response codec for the APIs in definitions.generated.ts, with Kafka's framing:
 *
 *   frame    = int32 size + header + body
 *   request  header v1 (non-flexible APIs): apiKey int16, apiVersion int16, correlationId int32,
 *            clientId nullable string (never compact); v2 (flexible APIs) adds tagged fields
 *   response header v0: correlationId int32; v1 (flexible APIs) adds tagged fields.
 *            ApiVersions responses always use v0 so a client can read them before it knows
 *            which versions the broker speaks.
 *
 * encode* return the whole frame including the int32 size prefix (ready for socket.write);
 * decode* take the frame after the size prefix (what a length-prefixed framer yields).
 * Compiled codecs are cached per (api, version, direction) on first use.
 */

import { type ApiDef, inRange, type MessageDef } from '../messages/definition-types.ts';
import { API_DEFINITIONS, REQUEST_HEADER, RESPONSE_HEADER } from '../messages/definitions.generated.ts';
import type { RequestBodies, ResponseBodies } from '../messages/types.generated.ts';
import { KafkaCodecError } from '../primitives/codec-error.ts';
import { Reader } from '../primitives/reader.ts';
import { Writer } from '../primitives/writer.ts';
import { type CompiledStruct, compileStruct, type Value } from './compile.ts';

export type { Value } from './compile.ts';

/**
 * What encoders accept for a decoded type T: every field optional (missing = default), Buffers as
 * any Uint8Array, int64 as bigint or safe-integer number.
 */
export type Input<T> = T extends Buffer
  ? Uint8Array
  : T extends bigint
    ? bigint | number
    : T extends readonly (infer U)[]
      ? readonly Input<U>[]
      : T extends object
        ? { [K in keyof T]?: Input<T[K]> }
        : T;

/** Decoded request body for a literal api key (e.g. 0 -> ProduceRequest); plain Value otherwise. */
export type RequestBody<K extends number> = K extends keyof RequestBodies ? RequestBodies[K] : Value;
export type ResponseBody<K extends number> = K extends keyof ResponseBodies ? ResponseBodies[K] : Value;
export type RequestInput<K extends number> = K extends keyof RequestBodies ? Input<RequestBodies[K]> : Value;
export type ResponseInput<K extends number> = K extends keyof ResponseBodies ? Input<ResponseBodies[K]> : Value;

export const API_VERSIONS_KEY = 18;

export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  /** Absent in header v0 only, which none of the served APIs use; null when the client sends none. */
  clientId: string | null;
}

export interface DecodedRequest {
  header: RequestHeader;
  body: Value;
}

export interface DecodedResponse<B = Value> {
  correlationId: number;
  body: B;
}

const apis: Array<ApiDef | undefined> = [];
for (const api of API_DEFINITIONS) {
  if (apis[api.apiKey] !== undefined) throw new Error(`duplicate definition for api key ${api.apiKey}`);
  apis[api.apiKey] = api;
}

/** The definition of an API key, or undefined if the codec does not know it. */
export function apiDefinition(apiKey: number): ApiDef | undefined {
  return apis[apiKey];
}

/** All API definitions, ascending by key. */
export function apiDefinitions(): readonly ApiDef[] {
  return apis.filter((a): a is ApiDef => a !== undefined);
}

function message(apiKey: number, version: number, response: boolean): MessageDef {
  const api = apis[apiKey];
  if (api === undefined) {
    throw new KafkaCodecError('SEAWAY_KPROTO_UNSUPPORTED', `api key ${apiKey} is not one the codec knows`);
  }
  const def = response ? api.response : api.request;
  if (!Number.isInteger(version) || !inRange(def.validVersions, version)) {
    throw new KafkaCodecError(
      'SEAWAY_KPROTO_UNSUPPORTED',
      `${api.name} version ${version} is outside the defined versions ` +
        `${def.validVersions[0]}-${def.validVersions[1]}; negotiate a version with ApiVersions first`,
    );
  }
  return def;
}

/** True when the API's messages at this version use compact types and tagged fields. */
export function isFlexible(apiKey: number, version: number): boolean {
  return inRange(message(apiKey, version, false).flexibleVersions, version);
}

export function requestHeaderVersion(apiKey: number, version: number): 1 | 2 {
  return isFlexible(apiKey, version) ? 2 : 1;
}

export function responseHeaderVersion(apiKey: number, version: number): 0 | 1 {
  if (apiKey === API_VERSIONS_KEY) return 0;
  return isFlexible(apiKey, version) ? 1 : 0;
}

const bodies = new Map<number, CompiledStruct>();

function body(apiKey: number, version: number, response: boolean): CompiledStruct {
  const key = (apiKey << 17) | (version << 1) | (response ? 1 : 0);
  let compiled = bodies.get(key);
  if (compiled === undefined) {
    const def = message(apiKey, version, response);
    compiled = compileStruct(def.fields, version, inRange(def.flexibleVersions, version));
    bodies.set(key, compiled);
  }
  return compiled;
}

function header(def: MessageDef, version: number): CompiledStruct {
  return compileStruct(def.fields, version, inRange(def.flexibleVersions, version));
}

const requestHeaders = [header(REQUEST_HEADER, 0), header(REQUEST_HEADER, 1), header(REQUEST_HEADER, 2)] as const;
const responseHeaders = [header(RESPONSE_HEADER, 0), header(RESPONSE_HEADER, 1)] as const;

const SHARED_SIZE = 64 * 1024;
const shared = new Writer(SHARED_SIZE);

/** Copies the shared writer's bytes out and lets go of its buffer if one message made it huge. */
function takeShared(): Buffer {
  const out = shared.toBuffer();
  shared.shrink(16 * SHARED_SIZE, SHARED_SIZE);
  return out;
}

/** Reads apiKey, apiVersion and correlationId (the fixed first 8 bytes) without decoding the rest. */
export function peekRequestHeader(frame: Buffer): { apiKey: number; apiVersion: number; correlationId: number } {
  const r = new Reader(frame);
  return { apiKey: r.int16(), apiVersion: r.int16(), correlationId: r.int32() };
}

/** Appends a request frame to `w` (reusable writer; nothing is allocated besides growth). */
export function writeRequest<K extends number>(
  w: Writer,
  apiKey: K,
  version: number,
  value: RequestInput<K>,
  head: { correlationId: number; clientId?: string | null },
): void {
  const compiled = body(apiKey, version, false);
  const sizeAt = w.reserveInt32();
  const h = requestHeaders[requestHeaderVersion(apiKey, version)];
  h.encode(w, {
    requestApiKey: apiKey,
    requestApiVersion: version,
    correlationId: head.correlationId,
    clientId: head.clientId ?? null,
  });
  compiled.encode(w, value as Value);
  w.patchInt32(sizeAt, w.pos - sizeAt - 4);
}

/** A request frame (with size prefix) as a new Buffer. */
export function encodeRequest<K extends number>(
  apiKey: K,
  version: number,
  value: RequestInput<K>,
  head: { correlationId: number; clientId?: string | null },
): Buffer {
  shared.reset();
  writeRequest(shared, apiKey, version, value, head);
  return takeShared();
}

/**
 * Decodes a request frame (without its size prefix): header by the API's flexibility, then the body.
 * Bytes after the body's last field are ignored, as Kafka's broker ignores them (its generated readers
 * stop after the last field; librdkafka 2.1+ sends Metadata v12 with 7 trailing bytes). Everything
 * inside the fields stays strict: a truncated field, a bad length or a malformed tagged section throws.
 * Responses (decodeResponse) and decodeBody stay strict.
 */
export function decodeRequest(frame: Buffer): DecodedRequest {
  const { apiKey, apiVersion } = peekRequestHeader(frame);
  const compiled = body(apiKey, apiVersion, false);
  const r = new Reader(frame);
  const h = requestHeaders[requestHeaderVersion(apiKey, apiVersion)].decode(r);
  const value = compiled.decode(r);
  return {
    header: { apiKey, apiVersion, correlationId: h.correlationId as number, clientId: h.clientId as string | null },
    body: value,
  };
}

/** Appends a response frame to `w`. */
export function writeResponse<K extends number>(
  w: Writer,
  apiKey: K,
  version: number,
  value: ResponseInput<K>,
  correlationId: number,
): void {
  const compiled = body(apiKey, version, true);
  const sizeAt = w.reserveInt32();
  responseHeaders[responseHeaderVersion(apiKey, version)].encode(w, { correlationId });
  compiled.encode(w, value as Value);
  w.patchInt32(sizeAt, w.pos - sizeAt - 4);
}

/** A response frame (with size prefix) as a new Buffer. */
export function encodeResponse<K extends number>(
  apiKey: K,
  version: number,
  value: ResponseInput<K>,
  correlationId: number,
): Buffer {
  shared.reset();
  writeResponse(shared, apiKey, version, value, correlationId);
  return takeShared();
}

/** Decodes a response frame (without its size prefix); the caller knows the api and version it asked with. */
export function decodeResponse<K extends number>(
  apiKey: K,
  version: number,
  frame: Buffer,
): DecodedResponse<ResponseBody<K>> {
  const compiled = body(apiKey, version, true);
  const r = new Reader(frame);
  const h = responseHeaders[responseHeaderVersion(apiKey, version)].decode(r);
  const value = compiled.decode(r);
  expectEnd(r, apiKey, version, 'response');
  return { correlationId: h.correlationId as number, body: value as ResponseBody<K> };
}

/** Encodes only a body (no header, no size prefix), e.g. for golden tests or embedding. */
export function encodeBody(apiKey: number, version: number, kind: 'request' | 'response', value: Value): Buffer {
  shared.reset();
  body(apiKey, version, kind === 'response').encode(shared, value);
  return takeShared();
}

export function decodeBody(apiKey: number, version: number, kind: 'request' | 'response', bytes: Buffer): Value {
  const r = new Reader(bytes);
  const value = body(apiKey, version, kind === 'response').decode(r);
  expectEnd(r, apiKey, version, kind);
  return value;
}

function expectEnd(r: Reader, apiKey: number, version: number, kind: string): void {
  if (r.remaining === 0) return;
  throw new KafkaCodecError(
    'SEAWAY_KPROTO_INVALID',
    `${apis[apiKey]?.name ?? apiKey} v${version} ${kind} has ${r.remaining} byte(s) left after the last field; ` +
      'the sender used another version or layout',
  );
}
