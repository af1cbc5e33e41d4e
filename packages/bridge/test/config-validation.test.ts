import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitTasks } from '../src/connector/task-split.ts';
import { type ConfigInfos, validateMqttSourceConfig } from '../src/connector/validate.ts';
import { parseKcql } from '../src/kcql/parse.ts';
import { aisSchemaPath, seedConfig } from './helpers.ts';

function errorsOf(infos: ConfigInfos): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const c of infos.configs) if (c.value.errors.length > 0) out[c.definition.name] = c.value.errors;
  return out;
}

const base = {
  name: 'c1',
  'connector.class': 'io.lenses.streamreactor.connect.mqtt.source.MqttSourceConnector',
  'connect.mqtt.hosts': 'tcp://127.0.0.1:1883',
  'connect.mqtt.kcql': 'INSERT INTO t SELECT * FROM /x',
  'connect.mqtt.service.quality': '1',
};

test('the seed (2017) config validates and resolves its legacy keys', () => {
  const { name, config } = seedConfig('127.0.0.1:1883');
  const r = validateMqttSourceConfig({ ...config, name });
  assert.equal(r.infos.error_count, 0, JSON.stringify(errorsOf(r.infos)));
  const s = r.settings;
  assert.ok(s);
  assert.deepEqual(s.hosts, ['tcp://127.0.0.1:1883']);
  assert.equal(s.kcql[0]?.target, 'position-reports');
  assert.equal(s.qos, 1);
  assert.equal(s.clean, true);
  assert.equal(s.connectTimeoutSec, 1000);
  assert.equal(s.keepAliveSec, 1000);
  assert.equal(s.clientId, 'landoop-mqtt-connector');
  assert.equal(s.throwOnError, true);
  assert.equal(s.converters.get('/ais'), 'com.datamountaineer.streamreactor.connect.converters.source.AvroConverter');
  assert.ok(s.avroSchemas.has('/ais'));
});

test('the current-era keys validate with Stream Reactor defaults (and Seaway processing duplicates)', () => {
  const r = validateMqttSourceConfig(base);
  assert.equal(r.infos.error_count, 0);
  const s = r.settings;
  assert.ok(s);
  assert.equal(s.connectTimeoutSec, 3000);
  assert.equal(s.keepAliveSec, 5000);
  assert.equal(s.pollingTimeoutMs, 1000);
  assert.equal(s.clean, true);
  assert.equal(s.processDuplicates, true);
  assert.equal(s.throwOnError, false);
  assert.equal(s.tasksMax, 1);
  assert.equal(s.dlqTopic, 'c1-dlq');
  assert.equal(s.converters.get('/x'), 'com.datamountaineer.streamreactor.connect.converters.source.BytesConverter');
});

test('a current key wins over its 2017 alias', () => {
  const r = validateMqttSourceConfig({
    ...base,
    'connect.mqtt.clean': 'false',
    'connect.mqtt.connection.clean': 'true',
    'connect.mqtt.user': 'old',
    'connect.mqtt.username': 'new',
  });
  assert.equal(r.settings?.clean, false);
  assert.equal(r.settings?.username, 'new');
});

test('missing required keys are per-key errors in the ConfigInfos shape', () => {
  const r = validateMqttSourceConfig({ 'connector.class': base['connector.class'] });
  assert.equal(r.settings, undefined);
  const errs = errorsOf(r.infos);
  assert.deepEqual(Object.keys(errs).sort(), [
    'connect.mqtt.hosts',
    'connect.mqtt.kcql',
    'connect.mqtt.service.quality',
    'name',
  ]);
  assert.equal(
    errs['connect.mqtt.hosts']?.[0],
    'Missing required configuration "connect.mqtt.hosts" which has no default value.',
  );
  assert.equal(r.infos.error_count, 4);
  assert.equal(r.infos.name, base['connector.class']);
  const hosts = r.infos.configs.find((c) => c.definition.name === 'connect.mqtt.hosts');
  assert.deepEqual(Object.keys(hosts?.definition ?? {}).sort(), [
    'default_value',
    'dependents',
    'display_name',
    'documentation',
    'group',
    'importance',
    'name',
    'order',
    'required',
    'type',
    'width',
  ]);
  assert.deepEqual(Object.keys(hosts?.value ?? {}).sort(), [
    'errors',
    'name',
    'recommended_values',
    'value',
    'visible',
  ]);
  assert.equal(hosts?.definition.required, true);
  assert.ok(r.infos.groups.includes('Connection'));
});

test('bad values are errors on the key that holds them', () => {
  const r = validateMqttSourceConfig({
    ...base,
    'connect.mqtt.service.quality': '3',
    'connect.mqtt.connection.timeout': 'soon',
    'connect.mqtt.clean': 'maybe',
    'tasks.max': '0',
    'connect.mqtt.hosts': 'http://x:1',
  });
  const errs = errorsOf(r.infos);
  assert.equal(
    errs['connect.mqtt.service.quality']?.[0],
    'Invalid value 3 for configuration connect.mqtt.service.quality: Value must be no more than 2',
  );
  assert.equal(
    errs['connect.mqtt.connection.timeout']?.[0],
    'Invalid value soon for configuration connect.mqtt.connection.timeout: Not a number of type INT',
  );
  assert.equal(
    errs['connect.mqtt.clean']?.[0],
    'Invalid value maybe for configuration connect.mqtt.clean: Expected value to be either true or false',
  );
  assert.match(errs['tasks.max']?.[0] ?? '', /at least 1/);
  assert.match(errs['connect.mqtt.hosts']?.[0] ?? '', /tcp:\/\/host:port/);
});

test('a KCQL parse error lands on the KCQL key actually used', () => {
  const r = validateMqttSourceConfig({
    ...base,
    'connect.mqtt.kcql': undefined as never,
    'connect.mqtt.source.kcql': 'INSERT INTO t SELEKT * FROM /x',
  });
  const errs = errorsOf(r.infos);
  assert.match(errs['connect.mqtt.source.kcql']?.[0] ?? '', /expected SELECT/);
});

test('converter classes are checked under both package prefixes, unknown ones refused', () => {
  for (const prefix of [
    'com.datamountaineer.streamreactor.connect.converters.source.',
    'io.lenses.streamreactor.connect.converters.source.',
  ]) {
    for (const c of [
      'BytesConverter',
      'JsonSimpleConverter',
      'JsonOptNullConverter',
      'JsonPassThroughConverter',
      'JsonConverterWithSchemaEvolution',
    ]) {
      const r = validateMqttSourceConfig({
        ...base,
        'connect.mqtt.kcql': `INSERT INTO t SELECT * FROM /x WITHCONVERTER=\`${prefix}${c}\``,
      });
      assert.equal(r.infos.error_count, 0, `${prefix}${c}`);
    }
  }
  const r = validateMqttSourceConfig({
    ...base,
    'connect.mqtt.kcql': 'INSERT INTO t SELECT * FROM /x WITHCONVERTER=`com.example.Nope`',
  });
  assert.match(errorsOf(r.infos)['connect.mqtt.kcql']?.[0] ?? '', /com.example.Nope can't be found/);
  const legacy = validateMqttSourceConfig({
    ...base,
    'connect.mqtt.source.converters':
      '/other=com.datamountaineer.streamreactor.connect.converters.source.BytesConverter',
  });
  assert.match(errorsOf(legacy.infos)['connect.mqtt.source.converters']?.[0] ?? '', /Source '\/other' is not found/);
});

test('the Avro converter needs a readable schema file for its source', () => {
  const avro =
    'INSERT INTO t SELECT * FROM /x WITHCONVERTER=`io.lenses.streamreactor.connect.converters.source.AvroConverter`';
  const missing = validateMqttSourceConfig({ ...base, 'connect.mqtt.kcql': avro });
  assert.match(errorsOf(missing.infos)['connect.converter.avro.schemas']?.[0] ?? '', /not configured for \[\/x\]/);
  const noFile = validateMqttSourceConfig({
    ...base,
    'connect.mqtt.kcql': avro,
    'connect.converter.avro.schemas': '/x=/nonexistent.avsc',
  });
  assert.match(errorsOf(noFile.infos)['connect.converter.avro.schemas']?.[0] ?? '', /doesn't exist/);
  const ok = validateMqttSourceConfig({ ...base, 'connect.mqtt.kcql': avro, 'avro.schemas': `/X=${aisSchemaPath()}` });
  assert.equal(ok.infos.error_count, 0);
});

test('SSL files are all or none', () => {
  const r = validateMqttSourceConfig({ ...base, 'connect.mqtt.ssl.ca.cert': aisSchemaPath() });
  assert.equal(r.infos.error_count, 1);
  assert.match(JSON.stringify(errorsOf(r.infos)), /without the other/);
});

test('a password is shown as [hidden] in the validation answer', () => {
  const r = validateMqttSourceConfig({ ...base, 'connect.mqtt.password': 'secret' });
  assert.equal(r.infos.configs.find((c) => c.definition.name === 'connect.mqtt.password')?.value.value, '[hidden]');
  assert.equal(r.settings?.password, 'secret');
});

test('task split follows Stream Reactor: groups, -N client ids, $share replication', () => {
  const k = parseKcql(
    'INSERT INTO a SELECT * FROM /a;INSERT INTO b SELECT * FROM /b;INSERT INTO c SELECT * FROM /c;INSERT INTO s SELECT * FROM `$share/g/s`',
  );
  assert.deepEqual(splitTasks(k, 1, 'cid', false), [{ statements: k, clientId: 'cid' }]);
  const two = splitTasks(k, 2, 'cid', false);
  assert.deepEqual(
    two.map((t) => [t.clientId, t.statements.map((s) => s.target)]),
    [
      ['cid-0', ['a', 'b']],
      ['cid-1', ['c', 's']],
    ],
  );
  const three = splitTasks(k, 3, 'cid', true);
  assert.deepEqual(
    three.map((t) => [t.clientId, t.statements.map((s) => s.target)]),
    [
      ['cid-0', ['a', 'b', 's']],
      ['cid-1', ['c', 's']],
      ['cid-2', ['s']],
    ],
  );
  const oneKcql = splitTasks(k.slice(0, 1), 4, 'cid', false);
  assert.equal(oneKcql.length, 1);
  assert.equal(oneKcql[0]?.clientId, 'cid');
});
