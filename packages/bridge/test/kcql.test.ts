import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BridgeErrorCodes, isBridgeError } from '../src/errors.ts';
import { parseKcql } from '../src/kcql/parse.ts';
import { buildRoutes, dollarTarget, kafkaTopicFor, plainFilter, routeFor, topicMatches } from '../src/kcql/routes.ts';

function parseError(kcql: string): { position: number; expected: string; statement: number; message: string } {
  try {
    parseKcql(kcql);
  } catch (e) {
    assert.ok(isBridgeError(e, BridgeErrorCodes.KCQL_PARSE), `expected SEAWAY_KCQL_PARSE, got ${e}`);
    return { ...(e.details as { position: number; expected: string; statement: number }), message: e.message };
  }
  assert.fail(`expected a parse error for ${kcql}`);
}

test('the seed statement parses to target, source, select star and defaults', () => {
  const [s] = parseKcql('INSERT INTO position-reports SELECT * FROM /ais');
  assert.deepEqual(s, {
    text: 'INSERT INTO position-reports SELECT * FROM /ais',
    target: 'position-reports',
    source: '/ais',
    fields: ['*'],
    converter: undefined,
    withKeys: [],
    keyDelimiter: '.',
    withRegex: undefined,
    properties: {},
  });
});

test('keywords are case-insensitive and whitespace (newlines included) is free', () => {
  const [s] = parseKcql('insert   into\n t1 select *\tfrom\n/a/b');
  assert.equal(s?.target, 't1');
  assert.equal(s?.source, '/a/b');
});

test('every optional clause is read: WITHCONVERTER, WITHKEY, KEYDELIMITER, WITHREGEX, PROPERTIES', () => {
  const [s] = parseKcql(
    "INSERT INTO t SELECT * FROM /sensors/+ WITHCONVERTER=`io.lenses.streamreactor.connect.converters.source.JsonSimpleConverter` WITHKEY(id, device.serial) KEYDELIMITER='-' WITHREGEX=`/sensors/[0-9]+` PROPERTIES('a'='1', 'b'='x')",
  );
  assert.equal(s?.converter, 'io.lenses.streamreactor.connect.converters.source.JsonSimpleConverter');
  assert.deepEqual(s?.withKeys, ['id', 'device.serial']);
  assert.equal(s?.keyDelimiter, '-');
  assert.equal(s?.withRegex, '/sensors/[0-9]+');
  assert.deepEqual(s?.properties, { a: '1', b: 'x' });
});

test('WITHCONVERTER takes a bare class name too', () => {
  const [s] = parseKcql(
    'INSERT INTO t SELECT * FROM /x WITHCONVERTER=com.datamountaineer.streamreactor.connect.converters.source.AvroConverter',
  );
  assert.equal(s?.converter, 'com.datamountaineer.streamreactor.connect.converters.source.AvroConverter');
});

test('several statements split on ; but not on ; inside backticks or quotes', () => {
  const all = parseKcql(
    "INSERT INTO a SELECT * FROM /a; INSERT INTO b SELECT * FROM /b WITHREGEX=`x;y`;INSERT INTO `c;d` SELECT * FROM 'e;f';",
  );
  assert.deepEqual(
    all.map((s) => [s.target, s.source, s.withRegex]),
    [
      ['a', '/a', undefined],
      ['b', '/b', 'x;y'],
      ['c;d', 'e;f', undefined],
    ],
  );
});

test('wildcards, $share and the $ target need backticks and are kept verbatim', () => {
  const all = parseKcql(
    'INSERT INTO `$` SELECT * FROM `/ais/#`;INSERT INTO t SELECT * FROM `$share/g1/sensors/+/temp`;INSERT INTO u SELECT * FROM /plus/+/x',
  );
  assert.equal(all[0]?.target, '$');
  assert.equal(all[0]?.source, '/ais/#');
  assert.equal(all[1]?.source, '$share/g1/sensors/+/temp');
  assert.equal(all[2]?.source, '/plus/+/x');
});

test('a field list with aliases is accepted', () => {
  const [s] = parseKcql('INSERT INTO t SELECT a, b.c AS d FROM /x');
  assert.deepEqual(s?.fields, ['a', 'b.c AS d']);
});

test('parse errors name the statement, the position and what was expected', () => {
  let e = parseError('INSERT INTO t SELECT * FORM /x');
  assert.equal(e.expected, 'FROM');
  assert.equal(e.position, 23);
  e = parseError('INSERT t SELECT * FROM /x');
  assert.equal(e.expected, 'INTO');
  assert.equal(e.position, 7);
  e = parseError('INSERT INTO a SELECT * FROM /a;INSERT INTO b SELECT FROM /b');
  assert.equal(e.statement, 1);
  assert.equal(e.position, 31 + 21);
  assert.match(e.expected, /field name/);
  e = parseError('INSERT INTO t SELECT * FROM /ais/#');
  assert.match(e.expected, /backticks/);
  assert.equal(e.position, 33);
  e = parseError('INSERT INTO $ SELECT * FROM /x');
  assert.equal(e.position, 12);
  e = parseError('INSERT INTO t SELECT * FROM /x WITHKEY(a');
  assert.equal(e.expected, "',' or ')'");
  e = parseError("INSERT INTO t SELECT * FROM /x KEYDELIMITER='ab'");
  assert.match(e.expected, /one-character delimiter/);
  e = parseError('INSERT INTO t SELECT * FROM /x WITHREGEX=`(`');
  assert.match(e.expected, /valid regular expression/);
  e = parseError('INSERT INTO t SELECT * FROM `/x');
  assert.equal(e.expected, 'a closing `');
  e = parseError('');
  assert.equal(e.expected, 'INSERT');
  e = parseError('INSERT INTO t SELECT * FROM /x WITHFOO');
  assert.match(e.expected, /WITHCONVERTER/);
});

test('clauses out of Stream Reactor order are refused, naming what may still follow', () => {
  const e = parseError("INSERT INTO t SELECT * FROM /x WITHREGEX=`a` KEYDELIMITER='-'");
  assert.equal(e.expected, 'one of PROPERTIES or the end of the statement');
  assert.equal(e.position, 45);
});

test('MQTT filter matching: + one level, # the parent and all children, $ topics not by wildcards', () => {
  assert.ok(topicMatches('/ais', '/ais'));
  assert.ok(!topicMatches('/ais', '/ais/1'));
  assert.ok(topicMatches('/ais/#', '/ais'));
  assert.ok(topicMatches('/ais/#', '/ais/1/2'));
  assert.ok(topicMatches('/s/+/t', '/s/9/t'));
  assert.ok(!topicMatches('/s/+/t', '/s/9/x/t'));
  assert.ok(topicMatches('#', 'a/b'));
  assert.ok(!topicMatches('#', '$SYS/x'));
  assert.equal(plainFilter('$share/group/a/+'), 'a/+');
});

test('the $ target maps /a/b to a_b as Stream Reactor does', () => {
  assert.equal(dollarTarget('/a/b'), 'a_b');
  assert.equal(dollarTarget('a//b/c'), 'a_b_c');
  assert.equal(dollarTarget('plain'), 'plain');
  const routes = buildRoutes(parseKcql('INSERT INTO `$` SELECT * FROM `/sensors/#`'));
  const r = routeFor(routes, '/sensors/kitchen/temp');
  assert.ok(r);
  assert.equal(kafkaTopicFor(r, '/sensors/kitchen/temp'), 'sensors_kitchen_temp');
});

test('routing picks the first matching statement; WITHREGEX replaces the filter test', () => {
  const routes = buildRoutes(
    parseKcql(
      'INSERT INTO digits SELECT * FROM `/d/+` WITHREGEX=`/d/[0-9]+`;INSERT INTO any SELECT * FROM `/d/#`;INSERT INTO shared SELECT * FROM `$share/g/s/+`',
    ),
  );
  assert.equal(routeFor(routes, '/d/42')?.statement.target, 'digits');
  assert.equal(routeFor(routes, '/d/abc')?.statement.target, 'any');
  assert.equal(routeFor(routes, 's/1')?.statement.target, 'shared');
  assert.equal(routeFor(routes, '/other'), undefined);
});
