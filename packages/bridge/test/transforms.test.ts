// Single message transforms and predicates with Kafka Connect's config syntax: each transform on a
// record made by the real JsonSimple converter, its output checked with avsc against the Avro
// schema Seaway would register; validate's Transforms/Predicates groups and messages; the chain in
// a running task (topic rewritten, records dropped, errors.tolerance / dead letters).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { validateMqttSourceConfig } from '../src/connector/validate.ts';
import { avroType } from '../src/converters/avro-types.ts';
import { createConverter, type Datum } from '../src/converters/convert.ts';
import { connectRestPlugin } from '../src/rest/connect-plugin.ts';
import { ConnectWorker } from '../src/runtime/worker.ts';
import { memoryStore } from '../src/store/store.ts';
import { buildChain, type ChainEntry, ToleranceExceeded } from '../src/transforms/chain.ts';
import { FakeGate, FakeSink, fakeRegistry, until } from './fakes.ts';

const CLS = 'io.lenses.streamreactor.connect.mqtt.source.MqttSourceConnector';
const JSON_SIMPLE = 'io.lenses.streamreactor.connect.converters.source.JsonSimpleConverter';
const T = 'org.apache.kafka.connect.transforms.';
const base = {
  name: 'smt',
  'connector.class': CLS,
  'connect.mqtt.hosts': 'tcp://127.0.0.1:1883',
  'connect.mqtt.kcql': `INSERT INTO ships SELECT * FROM /ships WITHCONVERTER=\`${JSON_SIMPLE}\``,
  'connect.mqtt.service.quality': '1',
};

function entry(json: unknown, topic = 'ships'): ChainEntry {
  const payload = Buffer.from(JSON.stringify(json));
  const c = createConverter(JSON_SIMPLE, new Map()).convert({
    kafkaTopic: topic,
    sourceTopic: '/ships',
    kcqlSource: '/ships',
    messageId: '1',
    payload,
    keys: [],
    keyDelimiter: '.',
  });
  return { topic, key: c.key, value: c.value, headers: { 'mqtt.topic': '/ships' }, payload, mqttTopic: '/ships' };
}

/** Run the chain a config describes on one record; the config must validate. */
function run(extra: Record<string, string>, e: ChainEntry): boolean {
  const r = validateMqttSourceConfig({ ...base, ...extra });
  assert.deepEqual(r.errors, [], 'the config validates');
  const chain = buildChain({ ...base, ...extra }, r.settings as NonNullable<typeof r.settings>, {
    connector: 'smt',
    task: 0,
  });
  assert.ok(chain);
  return chain(e);
}

/** The datum's value is valid for the Avro schema Seaway would register for it. */
function avroValid(d: Datum): Record<string, unknown> {
  assert.equal(d.kind, 'avro');
  if (d.kind !== 'avro') throw new Error('not avro');
  assert.ok(
    avroType(d.schema).isValid(d.value),
    `${JSON.stringify(d.value, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))} fits ${d.schema}`,
  );
  return d.value as Record<string, unknown>;
}

const one = (alias: string, type: string, cfg: Record<string, string> = {}) => ({
  transforms: alias,
  [`transforms.${alias}.type`]: type,
  ...Object.fromEntries(Object.entries(cfg).map(([k, v]) => [`transforms.${alias}.${k}`, v])),
});

test('RegexRouter rewrites a topic the regex matches whole, by simple or full class name', () => {
  const e = entry({ a: 1 }, 'ships-raw');
  assert.equal(run(one('r', `${T}RegexRouter`, { regex: '(.*)-raw', replacement: '$1-clean' }), e), true);
  assert.equal(e.topic, 'ships-clean');
  const other = entry({ a: 1 }, 'planes');
  run(one('r', 'RegexRouter', { regex: '(.*)-raw', replacement: '$1-clean' }), other);
  assert.equal(other.topic, 'planes');
});

test('InsertField$Value adds topic, timestamp and static fields to the schema and the value', () => {
  const e = entry({ mmsi: 7 });
  run(
    one('i', `${T}InsertField$Value`, {
      'topic.field': 'src',
      'timestamp.field': 'ts!',
      'static.field': 'lab',
      'static.value': 'seaway',
    }),
    e,
  );
  const v = avroValid(e.value);
  assert.equal(v.src, 'ships');
  assert.equal(v.lab, 'seaway');
  assert.equal(typeof v.ts, 'number');
  assert.match((e.value as { schema: string }).schema, /"timestamp-millis"/);
});

test('ReplaceField$Value drops and renames; MaskField$Value blanks; Cast$Value changes types', () => {
  const e = entry({ a: 1, b: 'x', c: true });
  run(one('r', `${T}ReplaceField$Value`, { exclude: 'c', renames: 'a:alpha' }), e);
  assert.deepEqual(avroValid(e.value), { alpha: 1n, b: 'x' });
  const m = entry({ a: 5, b: 'secret' });
  run(one('m', `${T}MaskField$Value`, { fields: 'a,b' }), m);
  assert.deepEqual(avroValid(m.value), { a: 0n, b: '' });
  const c = entry({ a: 5, b: '12', d: 1.5 });
  run(one('c', `${T}Cast$Value`, { spec: 'a:string,b:int32,d:int64' }), c);
  assert.deepEqual(avroValid(c.value), { a: '5', b: 12, d: 1n });
});

test('ValueToKey makes a key struct; ExtractField$Key then takes one field of it', () => {
  const e = entry({ mmsi: 244, name: 'Ever' });
  run(
    {
      transforms: 'vk,ex',
      'transforms.vk.type': `${T}ValueToKey`,
      'transforms.vk.fields': 'mmsi',
      'transforms.ex.type': `${T}ExtractField$Key`,
      'transforms.ex.field': 'mmsi',
    },
    e,
  );
  assert.equal(e.key.kind, 'avro');
  assert.equal((e.key as { value: unknown }).value, 244n);
  assert.ok(avroType((e.key as { schema: string }).schema).isValid(244n));
});

test('Flatten$Value joins nested names; HoistField$Value wraps; SetSchemaMetadata$Value renames the schema', () => {
  const e = entry({ pos: { lat: 1.5, lon: 2.5 }, id: 3 });
  run(one('f', `${T}Flatten$Value`, { delimiter: '_' }), e);
  assert.deepEqual(Object.keys(avroValid(e.value)).sort(), ['id', 'pos_lat', 'pos_lon']);
  const h = entry({ id: 3 });
  run(one('h', `${T}HoistField$Value`, { field: 'wrapped' }), h);
  assert.deepEqual(avroValid(h.value), { wrapped: { id: 3n } });
  const s = entry({ id: 3 });
  run(one('s', `${T}SetSchemaMetadata$Value`, { 'schema.name': 'com.example.Ship' }), s);
  avroValid(s.value);
  const avro = JSON.parse((s.value as { schema: string }).schema) as unknown[] | Record<string, unknown>;
  const rec = (Array.isArray(avro) ? avro[1] : avro) as Record<string, unknown>;
  assert.equal(rec.name, 'Ship');
  assert.equal(rec.namespace, 'com.example');
});

test('TimestampConverter$Value turns unix ms into a formatted string or a Connect Timestamp', () => {
  const ms = Date.UTC(2024, 4, 17, 13, 45, 30);
  const e = entry({ ts: ms });
  run(
    one('t', `${T}TimestampConverter$Value`, { field: 'ts', 'target.type': 'string', format: "yyyy-MM-dd'T'HH:mm:ss" }),
    e,
  );
  assert.equal(avroValid(e.value).ts, '2024-05-17T13:45:30');
  const back = entry({ ts: '2024-05-17 13:45' });
  run(
    one('t', `${T}TimestampConverter$Value`, { field: 'ts', 'target.type': 'Timestamp', format: 'yyyy-MM-dd HH:mm' }),
    back,
  );
  assert.equal(avroValid(back.value).ts, Date.UTC(2024, 4, 17, 13, 45));
});

test('TimestampRouter formats the record timestamp into the topic', () => {
  const e = entry({ a: 1 });
  run(
    one('tr', `${T}TimestampRouter`, {
      'topic.format': ['$', '{topic}_$', '{timestamp}'].join(''),
      'timestamp.format': 'yyyy',
    }),
    e,
  );
  assert.equal(e.topic, `ships_${new Date().getUTCFullYear()}`);
});

test('HeaderFrom$Value copies or moves fields to headers; InsertHeader adds; DropHeaders removes', () => {
  const e = entry({ mmsi: 9, name: 'x' });
  run(
    {
      transforms: 'hf,ih,dh',
      'transforms.hf.type': `${T}HeaderFrom$Value`,
      'transforms.hf.fields': 'mmsi',
      'transforms.hf.headers': 'ship.mmsi',
      'transforms.hf.operation': 'move',
      'transforms.ih.type': `${T}InsertHeader`,
      'transforms.ih.header': 'source',
      'transforms.ih.value.literal': 'seaway',
      'transforms.dh.type': `${T}DropHeaders`,
      'transforms.dh.headers': 'mqtt.topic',
    },
    e,
  );
  assert.deepEqual(e.headers, { 'ship.mmsi': '9', source: 'seaway' });
  assert.deepEqual(avroValid(e.value), { name: 'x' });
});

test('Filter with TopicNameMatches / HasHeaderKey / RecordIsTombstone, and negate', () => {
  const filter = (pred: Record<string, string>, negate = 'false') => ({
    transforms: 'f',
    'transforms.f.type': `${T}Filter`,
    'transforms.f.predicate': 'p',
    'transforms.f.negate': negate,
    predicates: 'p',
    ...Object.fromEntries(Object.entries(pred).map(([k, v]) => [`predicates.p.${k}`, v])),
  });
  const tm = { type: `${T}predicates.TopicNameMatches`, pattern: 'ship.*' };
  assert.equal(run(filter(tm), entry({ a: 1 }, 'ships')), false, 'matching topic dropped');
  assert.equal(run(filter(tm), entry({ a: 1 }, 'planes')), true);
  assert.equal(run(filter(tm, 'true'), entry({ a: 1 }, 'planes')), false, 'negate drops the others');
  const hh = { type: `${T}predicates.HasHeaderKey`, name: 'mqtt.topic' };
  assert.equal(run(filter(hh), entry({ a: 1 })), false);
  const tomb = { type: `${T}predicates.RecordIsTombstone` };
  assert.equal(run(filter(tomb), entry({ a: 1 })), true);
});

test('a failing transform: tolerance none throws, all drops, all with a DLQ topic dead-letters with context headers', () => {
  const bad = one('x', `${T}ExtractField$Value`, { field: 'missing' });
  assert.throws(
    () => run(bad, entry({ a: 1 })),
    (e: unknown) => e instanceof ToleranceExceeded && /Tolerance exceeded/.test(e.message),
  );
  assert.equal(run({ ...bad, 'errors.tolerance': 'all' }, entry({ a: 1 })), false);
  const e = entry({ a: 1 });
  assert.equal(run({ ...bad, 'errors.tolerance': 'all', 'errors.deadletterqueue.topic.name': 'dead' }, e), true);
  assert.equal(e.topic, 'dead');
  assert.deepEqual(e.value, { kind: 'raw', bytes: e.payload });
  assert.equal(e.headers['__connect.errors.stage'], 'TRANSFORMATION');
  assert.equal(e.headers['__connect.errors.class.name'], `${T}ExtractField$Value`);
  assert.equal(e.headers['__connect.errors.topic'], 'ships');
  const quiet = entry({ a: 1 });
  run(
    {
      ...bad,
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': 'dead',
      'errors.deadletterqueue.context.headers.enable': 'false',
    },
    quiet,
  );
  assert.equal(quiet.headers['__connect.errors.stage'], undefined);
});

test("validate shows Transforms/Predicates groups with Connect's messages", () => {
  const r = validateMqttSourceConfig({
    ...base,
    transforms: 'ok,missing,nope,abstract,needs,badre,badenum,pred,ok',
    'transforms.ok.type': `${T}RegexRouter`,
    'transforms.ok.regex': '(.*)',
    'transforms.ok.replacement': 'x-$1',
    'transforms.nope.type': 'com.example.Nope',
    'transforms.abstract.type': `${T}InsertField`,
    'transforms.needs.type': `${T}RegexRouter`,
    'transforms.badre.type': `${T}RegexRouter`,
    'transforms.badre.regex': '(',
    'transforms.badre.replacement': 'x',
    'transforms.badenum.type': `${T}TimestampConverter$Value`,
    'transforms.badenum.target.type': 'Nope',
    'transforms.pred.type': `${T}Filter`,
    'transforms.pred.predicate': 'undefined-one',
    predicates: 'p',
    'predicates.p.type': `${T}predicates.HasHeaderKey`,
  });
  assert.deepEqual(
    r.infos.groups.filter((g) => g.includes(': ')),
    [
      'Transforms: ok',
      'Transforms: missing',
      'Transforms: nope',
      'Transforms: abstract',
      'Transforms: needs',
      'Transforms: badre',
      'Transforms: badenum',
      'Transforms: pred',
      'Predicates: p',
    ],
  );
  const errs = Object.fromEntries(r.errors.map((e) => [e.key, e.message]));
  assert.equal(
    errs.transforms,
    'Invalid value [ok, missing, nope, abstract, needs, badre, badenum, pred, ok] for configuration transforms: Duplicate alias provided.',
  );
  assert.equal(
    errs['transforms.missing.type'],
    'Missing required configuration "transforms.missing.type" which has no default value.',
  );
  assert.equal(
    errs['transforms.nope.type'],
    'Invalid value com.example.Nope for configuration transforms.nope.type: Class com.example.Nope could not be found.',
  );
  assert.equal(
    errs['transforms.abstract.type'],
    `This class is abstract and cannot be created. Did you mean ${T}InsertField$Key, ${T}InsertField$Value?`,
  );
  assert.equal(
    errs['transforms.needs.regex'],
    'Missing required configuration "transforms.needs.regex" which has no default value.',
  );
  assert.match(errs['transforms.badre.regex'] ?? '', /^Invalid value \( for configuration regex: Invalid regex: /);
  assert.equal(
    errs['transforms.badenum.target.type'],
    'Invalid value Nope for configuration target.type: String must be one of: string, unix, Date, Time, Timestamp',
  );
  assert.match(errs['transforms.pred.predicate'] ?? '', /undefined-one/);
  assert.equal(
    errs['predicates.p.name'],
    'Missing required configuration "predicates.p.name" which has no default value.',
  );
  assert.equal(r.settings, undefined);
  const ok = r.infos.configs.filter((c) => c.definition.group === 'Transforms: ok').map((c) => c.definition.name);
  assert.deepEqual(ok, [
    'transforms.ok.type',
    'transforms.ok.plugin.version',
    'transforms.ok.regex',
    'transforms.ok.replacement',
    'transforms.ok.negate',
    'transforms.ok.predicate',
  ]);
});

test('in a running task: RegexRouter renames the Kafka topic, Filter drops, tolerance none fails the task', async () => {
  const gate = new FakeGate();
  const sink = new FakeSink();
  const worker = new ConnectWorker({ store: memoryStore(), sink, registry: fakeRegistry(), gateFor: () => gate });
  const app = Fastify();
  await app.register(connectRestPlugin, { worker });
  try {
    const post = (name: string, config: Record<string, string>) =>
      app.inject({ method: 'POST', url: '/connectors', payload: { name, config: { ...base, name, ...config } } });
    const created = await post('routed', {
      'connect.mqtt.kcql': `INSERT INTO ships-raw SELECT * FROM \`/routed/#\` WITHCONVERTER=\`${JSON_SIMPLE}\``,
      transforms: 'drop,route',
      'transforms.drop.type': `${T}Filter`,
      'transforms.drop.predicate': 'test',
      predicates: 'test',
      'predicates.test.type': `${T}predicates.HasHeaderKey`,
      'predicates.test.name': 'never',
      'transforms.drop.negate': 'false',
      'transforms.route.type': `${T}RegexRouter`,
      'transforms.route.regex': '(.*)-raw',
      'transforms.route.replacement': '$1-clean',
    });
    assert.equal(created.statusCode, 201, created.body);
    let acked = 0;
    gate.publish({ topic: '/routed/a', payload: Buffer.from('{"a":1}') }, () => acked++);
    await until(() => acked === 1, 'ack');
    assert.equal(sink.records('ships-clean').length, 1);
    assert.equal(sink.records('ships-raw').length, 0);

    await post('failing', {
      'connect.mqtt.kcql': `INSERT INTO failing SELECT * FROM /failing WITHCONVERTER=\`${JSON_SIMPLE}\``,
      ...one('x', `${T}ExtractField$Value`, { field: 'missing' }),
    });
    let refused: Error | undefined;
    gate.publish({ topic: '/failing', payload: Buffer.from('{"a":1}') }, (e) => {
      refused = e;
    });
    await until(() => refused !== undefined, 'the refusal');
    const status = JSON.parse((await app.inject({ method: 'GET', url: '/connectors/failing/status' })).body);
    assert.equal(status.tasks[0].state, 'FAILED');
    assert.match(status.tasks[0].trace, /Tolerance exceeded in error handler/);
    assert.equal(sink.records('failing').length, 0, 'nothing written, the publisher redelivers');
  } finally {
    await worker.close();
    await app.close();
  }
});

test('/connector-plugins?connectorsOnly=false lists every transform and predicate the issue names', async () => {
  const app = Fastify();
  const worker = new ConnectWorker({
    store: memoryStore(),
    sink: new FakeSink(),
    registry: fakeRegistry(),
    gateFor: () => undefined,
  });
  await app.register(connectRestPlugin, { worker });
  try {
    const all = JSON.parse(
      (await app.inject({ method: 'GET', url: '/connector-plugins?connectorsOnly=false' })).body,
    ) as Array<{ class: string; type: string }>;
    const classes = new Set(all.map((p) => p.class));
    for (const t of ['RegexRouter', 'InsertHeader', 'DropHeaders', 'Filter', 'ValueToKey', 'TimestampRouter'])
      assert.ok(classes.has(`${T}${t}`), t);
    for (const t of [
      'InsertField',
      'ReplaceField',
      'MaskField',
      'ExtractField',
      'Cast',
      'TimestampConverter',
      'HeaderFrom',
      'Flatten',
      'SetSchemaMetadata',
    ])
      for (const side of ['Key', 'Value']) assert.ok(classes.has(`${T}${t}$${side}`), `${t}$${side}`);
    for (const p of ['TopicNameMatches', 'HasHeaderKey', 'RecordIsTombstone'])
      assert.equal(all.find((x) => x.class === `${T}predicates.${p}`)?.type, 'predicate');
    const regex = JSON.parse((await app.inject({ method: 'GET', url: '/connector-plugins/RegexRouter/config' })).body);
    assert.deepEqual(
      regex.map((d: { name: string; required: boolean }) => [d.name, d.required]),
      [
        ['regex', true],
        ['replacement', true],
      ],
    );
  } finally {
    await worker.close();
    await app.close();
  }
});
