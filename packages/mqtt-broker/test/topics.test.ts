import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileFilter, filterCovers, filterProblem, topicMatches } from '../src/topics.ts';

test('topic filters match names as MQTT 3.1.1 section 4.7 describes', () => {
  const cases: [string, string, boolean][] = [
    ['a/b', 'a/b', true],
    ['a/b', 'a/bc', false],
    ['a/+', 'a/b', true],
    ['a/+', 'a/', true],
    ['a/+', 'a', false],
    ['a/+', 'a/b/c', false],
    ['a/#', 'a', true],
    ['a/#', 'a/b/c', true],
    ['#', 'a/b', true],
    ['#', '$SYS/x', false],
    ['+/x', '$SYS/x', false],
    ['$SYS/#', '$SYS/x', true],
    ['+/+', '/x', true],
    ['a/b/c', 'a/b', false],
  ];
  for (const [f, t, want] of cases) assert.equal(topicMatches(compileFilter(f), t), want, `${f} vs ${t}`);
});

test('an allowed filter covers a requested one only when every match of the request is allowed', () => {
  const cases: [string, string, boolean][] = [
    ['a/#', 'a/b/+', true],
    ['a/#', 'a', true],
    ['a/#', '#', false],
    ['a/+', 'a/b', true],
    ['a/+', 'a/+', true],
    ['a/+', 'a/#', false],
    ['a/b', 'a/+', false],
    ['+/b', 'x/b', true],
    ['a', 'a/b', false],
    ['#', 'anything/#', true],
  ];
  for (const [allowed, req, want] of cases) {
    assert.equal(filterCovers(compileFilter(allowed), compileFilter(req)), want, `${allowed} covers ${req}`);
  }
});

test('invalid filters are named with the rule they break', () => {
  assert.equal(filterProblem('a/#'), null);
  assert.match(filterProblem('a/#/b') ?? '', /MQTT-4.7.1-2/);
  assert.match(filterProblem('a/b#') ?? '', /MQTT-4.7.1-2/);
  assert.match(filterProblem('a/b+') ?? '', /MQTT-4.7.1-3/);
  assert.match(filterProblem('') ?? '', /MQTT-4.7.3-1/);
});
