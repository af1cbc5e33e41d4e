import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import avro from 'avsc';
import { roundTripAvroSchema } from '../src/converters/avro-roundtrip.ts';
import { avroType } from '../src/converters/avro-types.ts';
import { type ConvertInput, createConverter } from '../src/converters/convert.ts';
import { AvroSerializer } from '../src/converters/serialize.ts';
import { encodeWith } from '../src/converters/worker-converters.ts';
import { BridgeErrorCodes, isBridgeError } from '../src/errors.ts';
import { aisSchemaPath } from './helpers.ts';

const COM = 'com.datamountaineer.streamreactor.connect.converters.source.';
const IO = 'io.lenses.streamreactor.connect.converters.source.';

function input(payload: string | Buffer, extra: Partial<ConvertInput> = {}): ConvertInput {
  return {
    kafkaTopic: 't',
    sourceTopic: '/sensors/1',
    kcqlSource: '/sensors/+',
    messageId: '7',
    payload: Buffer.isBuffer(payload) ? payload : Buffer.from(payload),
    keys: [],
    keyDelimiter: '.',
    ...extra,
  };
}

const MSGKEY_COM =
  '{"type":"record","name":"MsgKey","namespace":"com.datamountaineer.streamreactor.connect.converters","fields":[{"name":"topic","type":"string"},{"name":"id","type":"string"}],"connect.name":"com.datamountaineer.streamreactor.connect.converters.MsgKey"}';

test('Bytes: value is the payload as Avro bytes, key the MsgKey struct {topic, id}', () => {
  const c = createConverter(`${COM}BytesConverter`, new Map());
  const out = c.convert(input(Buffer.from([1, 2, 3])));
  assert.deepEqual(out.value, {
    kind: 'avro',
    schema: '"bytes"',
    connect: { type: 'bytes', optional: false },
    value: Buffer.from([1, 2, 3]),
  });
  assert.equal(out.key.kind === 'avro' && out.key.schema, MSGKEY_COM);
  assert.deepEqual(out.key.kind === 'avro' && out.key.value, { topic: '/sensors/1', id: '7' });
  const io = createConverter(`${IO}BytesConverter`, new Map()).convert(input('x'));
  assert.match(io.key.kind === 'avro' ? io.key.schema : '', /"namespace":"io.lenses.streamreactor.common.converters"/);
});

test('JsonSimple: struct named after the topic, all optional, ints int64, decimals float64, null an optional string', () => {
  const c = createConverter(`${COM}JsonSimpleConverter`, new Map());
  const out = c.convert(
    input('{"id":12345678901234567,"t":21.5,"ok":true,"name":"k","none":null,"tags":[1,2],"pos":{"lat":1.0}}'),
  );
  assert.equal(out.value.kind, 'avro');
  if (out.value.kind !== 'avro') return;
  assert.equal(
    out.value.schema,
    '{"type":"record","name":"_sensors_1","fields":[' +
      '{"name":"id","type":["null","long"],"default":null},' +
      '{"name":"t","type":["null","double"],"default":null},' +
      '{"name":"ok","type":["null","boolean"],"default":null},' +
      '{"name":"name","type":["null","string"],"default":null},' +
      '{"name":"none","type":["null","string"],"default":null},' +
      '{"name":"tags","type":["null",{"type":"array","items":["null","long"]}],"default":null},' +
      '{"name":"pos","type":{"type":"record","name":"pos","fields":[{"name":"lat","type":["null","double"],"default":null}],"connect.name":"pos"}}' +
      '],"connect.name":"_sensors_1"}',
  );
  assert.deepEqual(out.value.value, {
    id: 12345678901234567n,
    t: 21.5,
    ok: true,
    name: 'k',
    none: null,
    tags: [1n, 2n],
    pos: { lat: 1 },
  });
});

test('JsonOptNull: only nulls and arrays are optional', () => {
  const out = createConverter(`${IO}JsonOptNullConverter`, new Map()).convert(input('{"a":1,"b":null,"c":[true]}'));
  assert.equal(
    out.value.kind === 'avro' && out.value.schema,
    '{"type":"record","name":"_sensors_1","fields":[{"name":"a","type":"long"},{"name":"b","type":["null","string"],"default":null},{"name":"c","type":["null",{"type":"array","items":"boolean"}],"default":null}],"connect.name":"_sensors_1"}',
  );
});

test('JsonConverterWithSchemaEvolution keeps fields seen before as null', () => {
  const c = createConverter(`${COM}JsonConverterWithSchemaEvolution`, new Map());
  c.convert(input('{"a":1,"b":"x"}'));
  const out = c.convert(input('{"c":2.5}'));
  assert.ok(out.value.kind === 'avro');
  if (out.value.kind !== 'avro') return;
  assert.deepEqual(
    (JSON.parse(out.value.schema) as { fields: { name: string }[] }).fields.map((f) => f.name),
    ['c', 'a', 'b'],
  );
  assert.deepEqual(out.value.value, { c: 2.5, a: null, b: null });
});

test('JsonPassThrough: key and value are plain strings; key falls back to topic.delimiter.id', () => {
  const c = createConverter(`${COM}JsonPassThroughConverter`, new Map());
  const plain = c.convert(input('{"id":"abc","n":{"m":3}}'));
  assert.deepEqual(plain.value, { kind: 'raw', bytes: Buffer.from('{"id":"abc","n":{"m":3}}') });
  assert.deepEqual(plain.key, { kind: 'raw', bytes: Buffer.from('/sensors/1.7') });
  const keyed = c.convert(input('{"id":"abc","n":{"m":3}}', { keys: ['id', 'n.m'], keyDelimiter: '|' }));
  assert.deepEqual(keyed.key, { kind: 'raw', bytes: Buffer.from('abc|3') });
});

test('WITHKEY gives a string key joined by the delimiter; a missing or null field is a conversion error', () => {
  const c = createConverter(`${COM}JsonSimpleConverter`, new Map());
  const out = c.convert(input('{"id":42,"d":{"s":"x","f":2.0}}', { keys: ['id', 'd.s', 'd.f'], keyDelimiter: '-' }));
  assert.deepEqual(out.key, {
    kind: 'avro',
    schema: '"string"',
    connect: { type: 'string', optional: false },
    value: '42-x-2.0',
  });
  for (const keys of [['nope'], ['d'], ['d.none']]) {
    assert.throws(
      () => c.convert(input('{"id":42,"d":{"s":"x","none":null}}', { keys })),
      (e: unknown) => isBridgeError(e, BridgeErrorCodes.CONVERT),
    );
  }
  // a non-struct value keeps the default key even with WITHKEY
  const arr = c.convert(input('[1,2]', { keys: ['id'] }));
  assert.equal(arr.key.kind === 'avro' && arr.key.schema, MSGKEY_COM);
});

test('malformed JSON and empty arrays are conversion errors', () => {
  const c = createConverter(`${COM}JsonSimpleConverter`, new Map());
  for (const bad of ['{"a":', '{"a":[]}', 'nope']) {
    assert.throws(
      () => c.convert(input(bad)),
      (e: unknown) => isBridgeError(e, BridgeErrorCodes.CONVERT),
      bad,
    );
  }
});

test('the AIS schema round-trips the way the Confluent AvroConverter registers it', () => {
  const schema = JSON.parse(readFileSync(aisSchemaPath(), 'utf8'));
  const rt = roundTripAvroSchema(schema) as Record<string, unknown>;
  assert.equal(rt.name, 'aisClassAPositionReport');
  assert.equal(rt.namespace, 'com.lensesio.ais');
  assert.equal(rt['connect.name'], 'com.lensesio.ais.aisClassAPositionReport');
  const params = rt['connect.parameters'] as Record<string, string>;
  assert.equal(params['io.confluent.connect.avro.record.doc'], schema.doc);
  const firstField = (schema.fields as { name: string; doc?: string }[])[0];
  if (firstField?.doc) assert.equal(params[`io.confluent.connect.avro.field.doc.${firstField.name}`], firstField.doc);
  // the binary layout is unchanged: a payload written with the .avsc decodes with the registered schema
  assert.equal(Object.keys(rt).join(','), 'type,name,namespace,doc,fields,connect.parameters,connect.name');
});

test('optional unions, enums and nested records round-trip with Connect annotations', () => {
  const rt = roundTripAvroSchema({
    type: 'record',
    name: 'R',
    namespace: 'n',
    fields: [
      { name: 'o', type: ['null', 'string'] },
      { name: 'd', type: ['int', 'null'], default: 3 },
      { name: 'e', type: { type: 'enum', name: 'E', symbols: ['A', 'B'] } },
      { name: 'in', type: { type: 'record', name: 'I', fields: [{ name: 'x', type: 'long' }] } },
    ],
  });
  assert.deepEqual(rt, {
    type: 'record',
    name: 'R',
    namespace: 'n',
    fields: [
      { name: 'o', type: ['null', 'string'], default: null },
      { name: 'd', type: ['int', 'null'], default: 3 },
      {
        name: 'e',
        type: {
          type: 'string',
          'connect.parameters': {
            'io.confluent.connect.avro.Enum': 'n.E',
            'io.confluent.connect.avro.Enum.A': 'A',
            'io.confluent.connect.avro.Enum.B': 'B',
          },
          'connect.name': 'n.E',
        },
      },
      { name: 'in', type: { type: 'record', name: 'I', fields: [{ name: 'x', type: 'long' }], 'connect.name': 'n.I' } },
    ],
    'connect.name': 'n.R',
  });
});

test('Avro: a payload of the configured schema converts; longs keep all 64 bits; garbage is refused', () => {
  const path = aisSchemaPath();
  const schema = JSON.parse(readFileSync(path, 'utf8'));
  const writer = avroType(JSON.stringify(schema));
  const rec: Record<string, unknown> = {};
  for (const f of schema.fields as { name: string; type: string }[]) {
    rec[f.name] = { int: 1, long: 1_700_000_000_123_456_789n, float: 1.5, double: 2.25, boolean: true, string: 's' }[
      f.type
    ];
  }
  const payload = writer.toBuffer(rec);
  const c = createConverter(`${COM}AvroConverter`, new Map([['/ais', schema]]));
  const out = c.convert(input(payload, { kcqlSource: '/ais', sourceTopic: '/ais', keys: ['MMSI'] }));
  assert.ok(out.value.kind === 'avro');
  if (out.value.kind !== 'avro') return;
  assert.equal((out.value.value as { Timestamp: bigint }).Timestamp, 1_700_000_000_123_456_789n);
  assert.deepEqual(avroType(out.value.schema).toBuffer(out.value.value), payload);
  assert.deepEqual(out.key, {
    kind: 'avro',
    schema: '"string"',
    connect: { type: 'string', optional: false },
    value: '1700000000123456789',
  });
  assert.throws(
    () => c.convert(input(Buffer.from('not avro at all, definitely'), { kcqlSource: '/ais' })),
    (e: unknown) => isBridgeError(e, BridgeErrorCodes.CONVERT),
  );
});

test('the serializer registers <topic>-key and <topic>-value once and frames magic 0 + id + Avro', async () => {
  const calls: string[] = [];
  const ids = new Map<string, number>();
  const ser = new AvroSerializer({
    async register(subject, schema) {
      calls.push(subject);
      const k = `${subject}|${schema}`;
      if (!ids.has(k)) ids.set(k, ids.size + 10);
      return ids.get(k) as number;
    },
  });
  const c = createConverter(`${COM}BytesConverter`, new Map());
  const a = c.convert(input('hello'));
  const b = c.convert(input('world'));
  await ser.prepare([
    { topic: 'tt', ...a },
    { topic: 'tt', ...b },
  ]);
  await ser.prepare([{ topic: 'tt', ...a }]);
  assert.deepEqual(calls.sort(), ['tt-key', 'tt-value']);
  const value = ser.encode('tt', '-value', a.value);
  assert.ok(value);
  assert.equal(value[0], 0);
  const id = value.readInt32BE(1);
  assert.equal(id, ids.get('tt-value|"bytes"'));
  assert.equal(avro.Type.forSchema('bytes').fromBuffer(value.subarray(5)).toString(), 'hello');
});

test('worker converters: StringConverter, ByteArrayConverter and JsonConverter (with and without schemas)', () => {
  const bytes = createConverter(`${COM}BytesConverter`, new Map()).convert(input(Buffer.from('raw!')));
  const json = createConverter(`${COM}JsonSimpleConverter`, new Map()).convert(input('{"n":5,"f":2.0,"s":"x"}'));
  assert.deepEqual(encodeWith({ kind: 'bytearray', schemasEnable: true }, bytes.value), Buffer.from('raw!'));
  assert.throws(
    () => encodeWith({ kind: 'bytearray', schemasEnable: true }, json.value),
    (e: unknown) => isBridgeError(e, BridgeErrorCodes.CONVERT),
  );
  assert.equal(
    encodeWith({ kind: 'string', schemasEnable: true }, bytes.key)?.toString(),
    'Struct{topic=/sensors/1,id=7}',
  );
  assert.equal(encodeWith({ kind: 'string', schemasEnable: true }, json.value)?.toString(), 'Struct{n=5,f=2.0,s=x}');
  assert.equal(encodeWith({ kind: 'json', schemasEnable: false }, json.value)?.toString(), '{"n":5,"f":2.0,"s":"x"}');
  assert.equal(
    encodeWith({ kind: 'json', schemasEnable: true }, bytes.key)?.toString(),
    '{"schema":{"type":"struct","fields":[{"type":"string","optional":false,"field":"topic"},{"type":"string","optional":false,"field":"id"}],"optional":false,"name":"com.datamountaineer.streamreactor.connect.converters.MsgKey"},"payload":{"topic":"/sensors/1","id":"7"}}',
  );
  assert.equal(encodeWith({ kind: 'json', schemasEnable: false }, bytes.value)?.toString(), '"cmF3IQ=="');
});

test('Avro logical types come back as Connect logical schemas (connect.version 1, connect.name)', () => {
  const rt = roundTripAvroSchema({
    type: 'record',
    name: 'L',
    fields: [
      { name: 'ts', type: { type: 'long', logicalType: 'timestamp-millis' } },
      { name: 'd', type: { type: 'int', logicalType: 'date' } },
      { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
    ],
  }) as { fields: { type: unknown }[] };
  assert.deepEqual(rt.fields[0]?.type, {
    type: 'long',
    'connect.version': 1,
    'connect.name': 'org.apache.kafka.connect.data.Timestamp',
    logicalType: 'timestamp-millis',
  });
  assert.deepEqual(rt.fields[1]?.type, {
    type: 'int',
    'connect.version': 1,
    'connect.name': 'org.apache.kafka.connect.data.Date',
    logicalType: 'date',
  });
  assert.deepEqual(rt.fields[2]?.type, {
    type: 'bytes',
    scale: 2,
    precision: 10,
    'connect.version': 1,
    'connect.parameters': { scale: '2', 'connect.decimal.precision': '10' },
    'connect.name': 'org.apache.kafka.connect.data.Decimal',
    logicalType: 'decimal',
  });
});

test('a general Avro union keeps its branches (null first) and its values round-trip', () => {
  const schema = {
    type: 'record',
    name: 'U',
    namespace: 'n',
    fields: [
      {
        name: 'v',
        type: ['int', 'null', 'string', { type: 'record', name: 'P', fields: [{ name: 'x', type: 'int' }] }],
      },
    ],
  };
  const rt = roundTripAvroSchema(schema) as { fields: { type: unknown; default?: unknown }[] };
  assert.deepEqual(rt.fields[0]?.type, [
    'null',
    'int',
    'string',
    { type: 'record', name: 'P', fields: [{ name: 'x', type: 'int' }], 'connect.name': 'n.P' },
  ]);
  assert.equal(rt.fields[0]?.default, null);
  const c = createConverter(`${COM}AvroConverter`, new Map([['/u', schema]]));
  for (const v of [7, 'seven', null, { x: 7 }]) {
    const payload = avroType(JSON.stringify(schema)).toBuffer({ v });
    const out = c.convert(input(payload, { kcqlSource: '/u', sourceTopic: '/u' }));
    assert.ok(out.value.kind === 'avro');
    if (out.value.kind !== 'avro') return;
    const back = avroType(out.value.schema).fromBuffer(avroType(out.value.schema).toBuffer(out.value.value)) as {
      v: unknown;
    };
    assert.deepEqual(JSON.parse(JSON.stringify(back.v)), v);
  }
});

test('Avro: when the registered schema encodes like the .avsc, the payload is framed as is; with an enum it is re-encoded', async () => {
  const ser = new AvroSerializer({ register: async () => 7 });
  const same = {
    type: 'record',
    name: 'Pos',
    namespace: 'x',
    doc: 'a position',
    fields: [
      { name: 'mmsi', type: 'long', doc: 'vessel' },
      { name: 'name', type: ['null', 'string'], default: null },
    ],
  };
  const payloadA = avroType(JSON.stringify(same)).toBuffer({ mmsi: 123456789n, name: 'Aurora' });
  const a = createConverter(`${COM}AvroConverter`, new Map([['/a', same]])).convert(
    input(payloadA, { kcqlSource: '/a', sourceTopic: '/a' }),
  );
  assert.ok(a.value.kind === 'avro' && a.value.encoded === payloadA, 'the validated payload is carried along');
  await ser.prepare([{ topic: 'pa', ...a }]);
  assert.deepEqual(ser.encode('pa', '-value', a.value)?.subarray(5), payloadA);

  // an enum becomes a string in the registered schema: its bytes (index vs. text) differ
  const withEnum = {
    type: 'record',
    name: 'Nav',
    fields: [{ name: 'status', type: { type: 'enum', name: 'Status', symbols: ['UNDERWAY', 'MOORED'] } }],
  };
  const payloadB = avroType(JSON.stringify(withEnum)).toBuffer({ status: 'MOORED' });
  const b = createConverter(`${COM}AvroConverter`, new Map([['/b', withEnum]])).convert(
    input(payloadB, { kcqlSource: '/b', sourceTopic: '/b' }),
  );
  assert.ok(b.value.kind === 'avro' && b.value.encoded === undefined, 'no pass-through when the bytes differ');
  await ser.prepare([{ topic: 'pb', ...b }]);
  const framed = ser.encode('pb', '-value', b.value) as Buffer;
  assert.notDeepEqual(framed.subarray(5), payloadB);
  assert.equal((avroType(b.value.schema).fromBuffer(framed.subarray(5)) as { status: string }).status, 'MOORED');
});
