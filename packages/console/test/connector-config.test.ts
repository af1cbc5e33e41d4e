import { describe, expect, test } from 'vitest';
import {
  aisTemplate,
  ConfigParseError,
  mqttHostPortFrom,
  parseConnectorText,
  toProperties,
} from '../src/pages/connector-config.ts';

describe('parseConnectorText', () => {
  test('Connect JSON with name and config', () => {
    const d = parseConnectorText('{"name":"a","config":{"tasks.max":1,"x":"y"}}');
    expect(d).toEqual({ name: 'a', config: { 'tasks.max': '1', x: 'y' } });
  });

  test('a flat JSON map takes its name out of the config', () => {
    expect(parseConnectorText('{"name":"b","k":"v"}')).toEqual({ name: 'b', config: { k: 'v' } });
  });

  test('properties with comments, colons and continuation lines', () => {
    const d = parseConnectorText(
      '# seed\nname=mqtt-source\nconnect.mqtt.kcql = INSERT INTO t \\\n  SELECT * FROM /ais\nk: v\n',
    );
    expect(d).toEqual({
      name: 'mqtt-source',
      config: { 'connect.mqtt.kcql': 'INSERT INTO t SELECT * FROM /ais', k: 'v' },
    });
  });

  test('garbage is refused with a message naming the line', () => {
    expect(() => parseConnectorText('name=a\njust words')).toThrow(ConfigParseError);
    expect(() => parseConnectorText('name=a\njust words')).toThrow(/Line 2/);
    expect(() => parseConnectorText('{bad json')).toThrow(/Not valid JSON/);
  });

  test('properties round-trip', () => {
    const t = aisTemplate('127.0.0.1:1883');
    expect(parseConnectorText(toProperties(t))).toEqual(t);
  });
});

describe('AIS template', () => {
  test('points at the lab broker with QoS 1 and the seed KCQL', () => {
    const t = aisTemplate(mqttHostPortFrom('mqtt://localhost:11884'));
    expect(t.config['connect.mqtt.hosts']).toBe('tcp://127.0.0.1:11884');
    expect(t.config['connect.mqtt.service.quality']).toBe('1');
    expect(t.config['connect.mqtt.kcql']).toBe('INSERT INTO ais-raw SELECT * FROM `/ais/#`');
  });
});
