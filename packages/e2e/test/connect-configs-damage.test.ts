// A damaged connect-configs topic while the lab is stopped, on the embedded broker and on Apache
// Kafka: a record that is not JSON and a connector whose config record is gone (its target state
// is still there). The lab starts anyway, runs the intact connector, and says in its log which
// offset it skipped and which connector was lost, instead of dropping it without a word.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { type LabConfig, parseConfig, startLab } from '@seaway/lab';
import { Kafka, logLevel } from 'kafkajs';
import { realKafka } from '../../../scripts/testing/needs.mjs';
import { freePort } from '../src/ports.ts';

const apache = realKafka();
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const connector = (mqttPort: number, topic: string) => ({
  properties: {
    name: 'intact',
    'connector.class': 'io.lenses.streamreactor.connect.mqtt.source.MqttSourceConnector',
    'connect.mqtt.hosts': `tcp://127.0.0.1:${mqttPort}`,
    'connect.mqtt.service.quality': '1',
    'connect.mqtt.kcql': `INSERT INTO ${topic} SELECT * FROM \`intact/#\``,
  },
});

for (const target of [
  { name: 'embedded Kafka broker', kafka: null, skip: false as const },
  { name: 'Apache Kafka', kafka: apache || null, skip: !apache && 'no real Kafka' },
]) {
  test(`a damaged connect-configs topic on the ${target.name}: the lab starts and names what it lost`, {
    skip: target.skip,
    timeout: 120_000,
  }, async () => {
    const run = `damage-${process.pid}-${Date.now()}`;
    const dataDir = mkdtempSync(join(tmpdir(), 'seaway-damage-'));
    dirs.push(dataDir);
    const [webPort, mqttPort, brokerPort] = [await freePort(), await freePort(), await freePort()];
    const cfg: LabConfig = parseConfig({
      ...(target.kafka ? { KAFKA_BROKERS: target.kafka } : { BROKER_PORT: String(brokerPort) }),
      BIND_HOST: '127.0.0.1',
      ADV_HOST: '127.0.0.1',
      WEB_PORT: String(webPort),
      MQTT_PORT: String(mqttPort),
      REGISTRY_PORT: '0',
      CONNECT_PORT: '0',
      DATA_DIR: dataDir,
      RUNNING_SAMPLEDATA: 'false',
      CONNECT_CONFIG_TOPIC: `${run}-configs`,
      CONNECT_STATUS_TOPIC: `${run}-status`,
      REGISTRY_TOPIC: `${run}-schemas`,
    });
    // A first start creates the Connect topics; while it runs (the runtime read the config topic
    // at start and does not read it again), the topic gets what damage leaves behind; then it stops.
    let lab = await startLab(cfg, { log: () => {} });
    const producer = new Kafka({ brokers: lab.kafkaBrokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await producer.send({
      topic: `${run}-configs`,
      acks: -1,
      messages: [
        { key: 'connector-intact', value: JSON.stringify(connector(mqttPort, `${run}-out`)) },
        { key: 'target-state-intact', value: JSON.stringify({ state: 'STARTED' }) },
        { key: 'connector-garbled', value: '{"properties": {"connector.cl\u0000\u0000' },
        { key: 'target-state-lost', value: JSON.stringify({ state: 'STARTED' }) },
      ],
    });
    await producer.disconnect();
    await lab.close();

    const lines: string[] = [];
    lab = await startLab(cfg, { log: (l) => lines.push(l) });
    try {
      const res = await fetch(`http://127.0.0.1:${lab.webPort}/api/connect/connectors`);
      assert.equal(res.status, 200);
      const names = (await res.json()) as string[];
      assert.ok(names.includes('intact'), `the intact connector runs: ${JSON.stringify(names)}`);
      assert.ok(!names.includes('garbled') && !names.includes('lost'), JSON.stringify(names));
      const log = lines.join('\n');
      assert.match(log, /offset \d+ \(key "connector-garbled"\) is not valid JSON; skipped/);
      assert.match(log, /target state for connector "lost" but no config/);
    } finally {
      await lab.close();
    }
  });
}
