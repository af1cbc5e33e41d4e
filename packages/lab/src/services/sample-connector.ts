// RUNNING_SAMPLEDATA: the seed tutorial's pipeline, set up for the user. A connector named
// ais-positions reads the embedded broker's /ais topics into Kafka's position-reports, as the
// seed's config does (INSERT INTO position-reports SELECT * FROM /ais), unless one exists already.
import type { ConnectWorker } from '@seaway/bridge';

export const SAMPLE_ORIGIN = '/ais';
export const SAMPLE_CONNECTOR = 'ais-positions';
export const SAMPLE_TOPIC = 'position-reports';

export function sampleConnectorConfig(mqttPort: number): Record<string, string> {
  return {
    'connector.class': 'com.datamountaineer.streamreactor.connect.mqtt.source.MqttSourceConnector',
    'tasks.max': '1',
    'connect.mqtt.hosts': `tcp://127.0.0.1:${mqttPort}`,
    'connect.mqtt.service.quality': '1',
    'connect.mqtt.client.id': 'seaway-sample',
    'connect.mqtt.kcql': `INSERT INTO ${SAMPLE_TOPIC} SELECT * FROM \`${SAMPLE_ORIGIN}/#\``,
  };
}

export async function ensureSampleConnector(
  worker: ConnectWorker,
  mqttPort: number,
  log: (l: string) => void,
): Promise<void> {
  if (worker.has(SAMPLE_CONNECTOR)) return;
  await worker.create(SAMPLE_CONNECTOR, sampleConnectorConfig(mqttPort));
  log(`created connector ${SAMPLE_CONNECTOR}: ${SAMPLE_ORIGIN}/# -> ${SAMPLE_TOPIC}`);
}
