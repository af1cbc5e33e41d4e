/**
 * Turns Apache Kafka's message JSON (clients/src/main/resources/common/message/*.json, comments
 * and all) into the compact definitions module src/messages/definitions.generated.ts.
 * Pure: `generateDefinitions(messageDir)` returns the file text; scripts/generate.ts writes it and
 * test/definitions.test.ts checks that the committed file equals a fresh run.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DefaultValue, FieldDef, MessageDef, VersionRange } from '../src/messages/definition-types.ts';
import { NEWER_VERSIONS } from './newer-versions.ts';

/** APIs Seaway's broker serves, with the versions it advertises. */
export const SERVED_APIS: ReadonlyArray<readonly [name: string, min: number, max: number]> = [
  ['Produce', 0, 13],
  ['Fetch', 4, 18],
  ['ListOffsets', 1, 10],
  ['Metadata', 0, 13],
  ['OffsetCommit', 2, 9],
  ['OffsetFetch', 1, 9],
  ['FindCoordinator', 0, 6],
  ['JoinGroup', 0, 9],
  ['Heartbeat', 0, 4],
  ['LeaveGroup', 0, 5],
  ['SyncGroup', 0, 5],
  ['DescribeGroups', 0, 6],
  ['ListGroups', 0, 5],
  ['SaslHandshake', 0, 1],
  ['ApiVersions', 0, 4],
  ['CreateTopics', 2, 7],
  ['DeleteTopics', 1, 6],
  ['DeleteRecords', 0, 2],
  ['InitProducerId', 0, 5],
  ['OffsetForLeaderEpoch', 2, 4],
  ['AddPartitionsToTxn', 0, 5],
  ['AddOffsetsToTxn', 0, 4],
  ['EndTxn', 0, 5],
  ['WriteTxnMarkers', 0, 1],
  ['TxnOffsetCommit', 0, 4],
  ['DescribeAcls', 1, 3],
  ['CreateAcls', 1, 3],
  ['DeleteAcls', 1, 3],
  ['DescribeConfigs', 1, 4],
  ['AlterConfigs', 0, 2],
  ['DescribeLogDirs', 1, 4],
  ['SaslAuthenticate', 0, 2],
  ['CreatePartitions', 0, 3],
  ['DeleteGroups', 0, 2],
  ['ElectLeaders', 0, 2],
  ['IncrementalAlterConfigs', 0, 1],
  ['AlterPartitionReassignments', 0, 1],
  ['ListPartitionReassignments', 0, 0],
  ['OffsetDelete', 0, 0],
  ['DescribeQuorum', 0, 2],
  ['UpdateFeatures', 0, 2],
  ['DescribeCluster', 0, 2],
  ['DescribeProducers', 0, 0],
  ['DescribeTransactions', 0, 0],
  ['ListTransactions', 0, 1],
  ['ConsumerGroupHeartbeat', 0, 1],
  ['ConsumerGroupDescribe', 0, 0],
  ['ListClientMetricsResources', 0, 1],
  ['DescribeTopicPartitions', 0, 0],
];

const OPEN = 0x7fff;
const PRIMITIVES = new Set<string>([
  'bool',
  'int8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'float64',
  'uuid',
  'string',
  'bytes',
  'records',
]);

interface JsonField {
  name: string;
  type: string;
  versions?: string;
  nullableVersions?: string;
  taggedVersions?: string;
  tag?: number;
  default?: string | number | boolean;
  ignorable?: boolean;
  flexibleVersions?: string;
  fields?: JsonField[];
}

interface JsonMessage {
  apiKey?: number;
  type: 'request' | 'response' | 'header';
  name: string;
  validVersions: string;
  flexibleVersions: string;
  fields: JsonField[];
  commonStructs?: Array<{ name: string; versions: string; fields: JsonField[] }>;
}

/** Removes // and /* *\/ comments outside string literals, so JSON.parse accepts Kafka's files. */
export function stripJsonComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? text.length : close + 2;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

export function parseVersions(spec: string, where: string): VersionRange | null {
  const s = spec.trim();
  if (s === 'none') return null;
  let m = /^(\d+)\+$/.exec(s);
  if (m) return [Number(m[1]), OPEN];
  m = /^(\d+)-(\d+)$/.exec(s);
  if (m) return [Number(m[1]), Number(m[2])];
  m = /^(\d+)$/.exec(s);
  if (m) return [Number(m[1]), Number(m[1])];
  throw new Error(`${where}: cannot parse version range "${spec}"`);
}

function lowerCamel(name: string, where: string): string {
  const camel = name.charAt(0).toLowerCase() + name.slice(1);
  // The codec reads fields as plain properties: a name Object.prototype owns would read as inherited.
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(camel) || camel in Object.prototype) {
    throw new Error(
      `${where}: field name ${name} cannot be a plain property name; the codec needs a rename rule for it`,
    );
  }
  return camel;
}

function readMessage(messageDir: string, name: string): JsonMessage {
  const text = readFileSync(join(messageDir, `${name}.json`), 'utf8');
  const json = JSON.parse(stripJsonComments(text)) as JsonMessage;
  const newer = NEWER_VERSIONS[name];
  if (newer) {
    json.validVersions = newer.validVersions;
    const structAt = (path: string): JsonField[] => {
      let fields = json.fields;
      for (const step of path === '' ? [] : path.split('.')) {
        const next = fields.find((f) => f.name === step)?.fields;
        if (!next) throw new Error(`${name}: newer-versions path ${path} has no struct ${step}`);
        fields = next;
      }
      return fields;
    };
    for (const [path, fieldName, versions] of newer.limit ?? []) {
      const field = structAt(path).find((f) => f.name === fieldName);
      if (!field) throw new Error(`${name}: newer-versions limit names ${path}.${fieldName}, which is not in the JSON`);
      field.versions = versions;
    }
    for (const [path, added] of newer.add) {
      const fields = structAt(path);
      if (fields.some((f) => f.name === added.name)) {
        throw new Error(`${name}: ${added.name} is already in the JSON; drop it from newer-versions.ts`);
      }
      const { after, ...field } = added;
      if (after === undefined) {
        fields.push(field);
        continue;
      }
      const at = fields.findIndex((f) => f.name === after);
      if (at < 0) throw new Error(`${name}: newer-versions puts ${added.name} after ${after}, which is not in ${path}`);
      fields.splice(at + 1, 0, field);
    }
  }
  return json;
}

function parseDefault(field: JsonField, type: string, where: string): DefaultValue | undefined {
  const raw = field.default;
  if (raw === undefined) return undefined;
  const text = String(raw).trim();
  if (text === 'null') return null;
  switch (type) {
    case 'bool':
      if (text !== 'true' && text !== 'false') throw new Error(`${where}: bad bool default ${text}`);
      return text === 'true';
    case 'int8':
    case 'int16':
    case 'uint16':
    case 'int32':
    case 'uint32': {
      const n = /^-?0x/i.test(text) ? Number.parseInt(text, 16) : Number(text);
      if (!Number.isInteger(n)) throw new Error(`${where}: bad integer default ${text}`);
      return n;
    }
    case 'int64':
      return BigInt(text);
    case 'float64':
      return Number(text);
    case 'string':
      return String(raw);
    default:
      throw new Error(`${where}: default "${text}" on a ${type} field is not supported`);
  }
}

function convertField(field: JsonField, structs: Map<string, JsonField[]>, where: string): FieldDef {
  const at = `${where}.${field.name}`;
  const versions = parseVersions(field.versions ?? 'none', at);
  if (versions === null) throw new Error(`${at}: field has no versions`);
  const isArray = field.type.startsWith('[]');
  const base = isArray ? field.type.slice(2) : field.type;
  const primitive = PRIMITIVES.has(base);
  const def: Record<string, unknown> = {
    name: lowerCamel(field.name, at),
    type: isArray ? 'array' : primitive ? base : 'struct',
  };
  if (isArray) def.items = primitive ? base : 'struct';
  if (!primitive) def.struct = base;
  def.versions = versions;
  if (field.nullableVersions !== undefined) {
    const nullable = parseVersions(field.nullableVersions, at);
    if (nullable) def.nullableVersions = nullable;
  }
  if (field.taggedVersions !== undefined) {
    const tagged = parseVersions(field.taggedVersions, at);
    if (tagged) def.taggedVersions = tagged;
    if (field.tag === undefined) throw new Error(`${at}: taggedVersions without tag`);
    def.tag = field.tag;
  }
  const dflt = parseDefault(field, isArray ? 'array' : base, at);
  if (dflt !== undefined) def.default = dflt;
  if (field.ignorable) def.ignorable = true;
  if (field.flexibleVersions !== undefined) def.flexibleVersions = parseVersions(field.flexibleVersions, at);
  if (!primitive) {
    const fields = field.fields ?? structs.get(base);
    if (fields === undefined) throw new Error(`${at}: struct type ${base} has no fields and is not a common struct`);
    def.fields = fields.map((f) => convertField(f, structs, `${at}`));
  }
  return def as unknown as FieldDef;
}

function convertMessage(json: JsonMessage): MessageDef {
  const structs = new Map<string, JsonField[]>();
  for (const s of json.commonStructs ?? []) structs.set(s.name, s.fields);
  const validVersions = parseVersions(json.validVersions, json.name);
  if (validVersions === null) throw new Error(`${json.name}: no valid versions`);
  return {
    name: json.name,
    kind: json.type,
    validVersions,
    flexibleVersions: parseVersions(json.flexibleVersions, json.name),
    fields: json.fields.map((f) => convertField(f, structs, json.name)),
  };
}

/** TypeScript literal text for generated data (bigints as n-literals, arrays of numbers inline). */
function literal(value: unknown, indent: string): string {
  if (value === null) return 'null';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'number')) return `[${value.join(', ')}]`;
    if (value.length === 0) return '[]';
    const inner = `${indent}  `;
    return `[\n${value.map((v) => `${inner}${literal(v, inner)},`).join('\n')}\n${indent}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    const flat = entries.filter(([k]) => k !== 'fields');
    const head = flat.map(([k, v]) => `${k}: ${literal(v, indent)}`).join(', ');
    const nested = (value as { fields?: unknown }).fields;
    if (nested === undefined) return `{ ${head} }`;
    return `{ ${head}, fields: ${literal(nested, indent)} }`;
  }
  throw new Error(`cannot emit ${typeof value}`);
}

export interface ServedApi {
  apiKey: number;
  name: string;
  advertised: VersionRange;
  request: MessageDef;
  response: MessageDef;
}

export interface LoadedDefinitions {
  requestHeader: MessageDef;
  responseHeader: MessageDef;
  apis: ServedApi[];
}

/** Reads and converts the headers and every served API, checking advertised versions are covered. */
export function loadDefinitions(messageDir: string): LoadedDefinitions {
  const apis: ServedApi[] = [];
  for (const [name, min, max] of SERVED_APIS) {
    const reqJson = readMessage(messageDir, `${name}Request`);
    const resJson = readMessage(messageDir, `${name}Response`);
    if (reqJson.apiKey === undefined || reqJson.apiKey !== resJson.apiKey) {
      throw new Error(`${name}: request and response JSON disagree on apiKey`);
    }
    const request = convertMessage(reqJson);
    const response = convertMessage(resJson);
    for (const m of [request, response]) {
      if (min < m.validVersions[0] || max > m.validVersions[1]) {
        throw new Error(
          `${m.name}: advertised versions ${min}-${max} are outside the JSON's validVersions ` +
            `${m.validVersions[0]}-${m.validVersions[1]}; add hand-written definitions for the missing versions`,
        );
      }
    }
    apis.push({ apiKey: reqJson.apiKey, name, advertised: [min, max], request, response });
  }
  return {
    requestHeader: convertMessage(readMessage(messageDir, 'RequestHeader')),
    responseHeader: convertMessage(readMessage(messageDir, 'ResponseHeader')),
    apis,
  };
}

export const GENERATED_HEADER = [
  '// DO NOT EDIT: generated by scripts/generate.ts from Apache Kafka message JSON',
  '// (shared/kafka-protocol/message, Apache-2.0). Regenerate: cd packages/kafka-protocol && node --import tsx scripts/generate.ts',
];

export function generateDefinitions(loaded: LoadedDefinitions): string {
  const out: string[] = [...GENERATED_HEADER];
  out.push("import type { ApiDef, MessageDef } from './definition-types.ts';");
  out.push('');
  out.push(`export const REQUEST_HEADER: MessageDef = ${literal(loaded.requestHeader, '')};`);
  out.push('');
  out.push(`export const RESPONSE_HEADER: MessageDef = ${literal(loaded.responseHeader, '')};`);
  out.push('');
  out.push('export const API_DEFINITIONS: readonly ApiDef[] = [');
  for (const api of loaded.apis) {
    out.push('  {');
    out.push(`    apiKey: ${api.apiKey},`);
    out.push(`    name: ${JSON.stringify(api.name)},`);
    out.push(`    advertised: [${api.advertised[0]}, ${api.advertised[1]}],`);
    out.push(`    request: ${literal(api.request, '    ')},`);
    out.push(`    response: ${literal(api.response, '    ')},`);
    out.push('  },');
  }
  out.push('];');
  out.push('');
  return out.join('\n');
}
