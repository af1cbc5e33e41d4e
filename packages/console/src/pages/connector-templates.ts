// The connector editor's catalogue: a working MQTT source connector per common shape of IoT data,
// each pointed at this lab's MQTT broker, writing to a topic of its own, with the command that
// feeds it. Converters are chosen so the template keeps working: a JSON converter that names its
// record after the MQTT topic (JsonSimple) would have every topic after the first refused by the
// registry (NAME_MISMATCH) under a wildcard, so wildcard templates pass the JSON text through.
import { aisTemplate, type ConnectorDraft, MQTT_SOURCE_CLASS } from './connector-config.ts';

const CONVERTERS = 'com.datamountaineer.streamreactor.connect.converters.source.';

export interface ConnectorTemplate {
  id: string;
  title: string;
  /** What it does, in one sentence. */
  about: string;
  /** A mosquitto_pub command that feeds it (host and port filled in). */
  tryIt: (host: string, port: string) => string;
  draft: (mqttHostPort: string) => ConnectorDraft;
}

/** The client id follows the connector's name (`seaway-<name>`), also when the editor renames it. */
const base = (mqttHostPort: string, name: string) => ({
  'connector.class': MQTT_SOURCE_CLASS,
  'tasks.max': '1',
  'connect.mqtt.hosts': `tcp://${mqttHostPort}`,
  'connect.mqtt.service.quality': '1',
  'connect.mqtt.client.id': `seaway-${name}`,
  'connect.mqtt.clean': 'true',
});

export const TEMPLATES: ConnectorTemplate[] = [
  {
    id: 'ais',
    title: 'AIS (seed article)',
    about: 'NMEA/AIS from /ais/# into ais-raw as bytes, as the seed article sets it up.',
    tryIt: (h, p) => `seaway ais-generator -server tcp://${h}:${p} -messages 100`,
    draft: (hp) => aisTemplate(hp),
  },
  {
    id: 'json-sensors',
    title: 'JSON sensors',
    about:
      'JSON readings from sensors/temperature into sensor-readings as Avro (JsonSimpleConverter; schema sensor-readings-value registered).',
    tryIt: (h, p) => `mosquitto_pub -h ${h} -p ${p} -q 1 -t sensors/temperature -m '{"sensor":"t1","celsius":21.5}'`,
    draft: (hp) => ({
      name: 'mqtt-json-sensors',
      config: {
        ...base(hp, 'mqtt-json-sensors'),
        'connect.mqtt.kcql': `INSERT INTO sensor-readings SELECT * FROM \`sensors/temperature\` WITHCONVERTER=\`${CONVERTERS}JsonSimpleConverter\``,
      },
    }),
  },
  {
    id: 'per-device',
    title: 'Per-device topics (wildcard)',
    about:
      'devices/+/telemetry from every device into device-telemetry; the JSON is passed through as text, so each device topic is accepted (no per-topic record name).',
    tryIt: (h, p) => `mosquitto_pub -h ${h} -p ${p} -q 1 -t devices/d1/telemetry -m '{"rpm":1200}'`,
    draft: (hp) => ({
      name: 'mqtt-device-telemetry',
      config: {
        ...base(hp, 'mqtt-device-telemetry'),
        'connect.mqtt.kcql': `INSERT INTO device-telemetry SELECT * FROM \`devices/+/telemetry\` WITHCONVERTER=\`${CONVERTERS}JsonPassThroughConverter\``,
      },
    }),
  },
  {
    id: 'keyed',
    title: 'Keyed by device id',
    about:
      'devices/+/state into device-state keyed by the payload’s deviceId (WITHKEY), so one device’s records stay in one partition, in order.',
    tryIt: (h, p) => `mosquitto_pub -h ${h} -p ${p} -q 1 -t devices/d1/state -m '{"deviceId":"d1","on":true}'`,
    draft: (hp) => ({
      name: 'mqtt-device-state',
      config: {
        ...base(hp, 'mqtt-device-state'),
        'connect.mqtt.kcql': `INSERT INTO device-state SELECT * FROM \`devices/+/state\` WITHCONVERTER=\`${CONVERTERS}JsonPassThroughConverter\` WITHKEY(deviceId)`,
      },
    }),
  },
  {
    id: 'share',
    title: 'Shared subscription ($share)',
    about:
      'readings/# and alerts/# through the share group seaway: with share.replicate both statements go to both tasks, and each message reaches one task (written once) into shared-readings. As in Stream Reactor, one statement alone makes one task.',
    tryIt: (h, p) => `mosquitto_pub -h ${h} -p ${p} -q 1 -t readings/r1 -m '{"v":1}'`,
    draft: (hp) => ({
      name: 'mqtt-shared-readings',
      config: {
        ...base(hp, 'mqtt-shared-readings'),
        'tasks.max': '2',
        'connect.mqtt.share.replicate': 'true',
        'connect.mqtt.kcql': ['readings', 'alerts']
          .map(
            (t) =>
              `INSERT INTO shared-readings SELECT * FROM \`$share/seaway/${t}/#\` WITHCONVERTER=\`${CONVERTERS}JsonPassThroughConverter\``,
          )
          .join('; '),
      },
    }),
  },
];
