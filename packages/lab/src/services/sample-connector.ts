// RUNNING_SAMPLEDATA: the seed tutorial's pipeline, set up for the user. A slow live stream
// publishes Avro position reports (the seed's schema com.landoop.ais.aisClassAPositionReport) to
// MQTT /ais, and the connector ais-positions runs the seed's config: AvroConverter for /ais with the
// schema file, INSERT INTO position-reports SELECT * FROM /ais. It is created only if absent.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConnectWorker } from '@seaway/bridge';

export const SAMPLE_ORIGIN = '/ais';
export const SAMPLE_CONNECTOR = 'ais-positions';
export const SAMPLE_TOPIC = 'position-reports';

/** Writes the seed's Avro schema where the connector config can name it; returns the path. */
export async function writeSeedSchema(dataDir: string): Promise<string> {
  const { SEED_SCHEMA } = await import('@seaway/ais');
  const dir = join(dataDir, 'schemas');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'classAPositionReport.avsc');
  writeFileSync(file, `${JSON.stringify(SEED_SCHEMA, null, 2)}\n`);
  return file;
}

export function sampleConnectorConfig(mqttPort: number, schemaFile: string): Record<string, string> {
  return {
    'connector.class': 'com.datamountaineer.streamreactor.connect.mqtt.source.MqttSourceConnector',
    'tasks.max': '1',
    'connect.mqtt.hosts': `tcp://127.0.0.1:${mqttPort}`,
    'connect.mqtt.service.quality': '1',
    'connect.mqtt.client.id': 'seaway-sample',
    'connect.mqtt.source.kcql': `INSERT INTO ${SAMPLE_TOPIC} SELECT * FROM ${SAMPLE_ORIGIN}`,
    'connect.mqtt.source.converters': `${SAMPLE_ORIGIN}=com.datamountaineer.streamreactor.connect.converters.source.AvroConverter`,
    'connect.source.converter.avro.schemas': `${SAMPLE_ORIGIN}=${schemaFile}`,
  };
}

export async function ensureSampleConnector(
  worker: ConnectWorker,
  mqttPort: number,
  dataDir: string,
  log: (l: string) => void,
): Promise<void> {
  if (worker.has(SAMPLE_CONNECTOR)) return;
  await worker.create(SAMPLE_CONNECTOR, sampleConnectorConfig(mqttPort, await writeSeedSchema(dataDir)));
  log(`created connector ${SAMPLE_CONNECTOR}: MQTT ${SAMPLE_ORIGIN} (Avro) -> Kafka ${SAMPLE_TOPIC}`);
}
