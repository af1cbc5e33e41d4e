// Connector configs as users bring them: Connect's JSON ({name, config} or a flat map) or a
// .properties file; plus the template for this lab's AIS stream, after the seed article's
// connector (Stream Reactor MQTT source, QoS 1, KCQL from the /ais topics to position-reports).

export interface ConnectorDraft {
  name: string;
  config: Record<string, string>;
}

export class ConfigParseError extends Error {}

const str = (v: unknown) =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);

export function parseConnectorText(text: string): ConnectorDraft {
  const t = text.trim();
  if (!t)
    throw new ConfigParseError('Paste a connector config: JSON like {"name": …, "config": {…}} or key=value lines.');
  if (t.startsWith('{')) {
    let obj: unknown;
    try {
      obj = JSON.parse(t);
    } catch (e) {
      throw new ConfigParseError(`Not valid JSON: ${(e as Error).message}`);
    }
    const o = obj as Record<string, unknown>;
    const cfgObj = o.config && typeof o.config === 'object' ? (o.config as Record<string, unknown>) : o;
    const config: Record<string, string> = {};
    for (const [k, v] of Object.entries(cfgObj)) if (v !== null && v !== undefined) config[k] = str(v);
    const name = typeof o.name === 'string' ? o.name : (config.name ?? '');
    delete config.name;
    return { name, config };
  }
  const config: Record<string, string> = {};
  const lines = t.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!.trim();
    if (!line || line.startsWith('#') || line.startsWith('!')) continue;
    // Continuation lines end with a backslash.
    while (line.endsWith('\\') && i + 1 < lines.length) line = line.slice(0, -1) + lines[++i]!.trim();
    const m = /^([^=:\s]+)\s*[=:]\s*(.*)$/.exec(line);
    if (!m) throw new ConfigParseError(`Line ${i + 1} is not key=value: "${line.slice(0, 80)}"`);
    config[m[1]!] = m[2]!;
  }
  const name = config.name ?? '';
  delete config.name;
  return { name, config };
}

export function toProperties(d: ConnectorDraft): string {
  return [`name=${d.name}`, ...Object.entries(d.config).map(([k, v]) => `${k}=${v}`)].join('\n');
}

export const MQTT_SOURCE_CLASS = 'com.datamountaineer.streamreactor.connect.mqtt.source.MqttSourceConnector';

/** The seed's AIS connector, pointed at this lab's MQTT broker. */
export function aisTemplate(mqttHostPort = '127.0.0.1:1883'): ConnectorDraft {
  return {
    name: 'mqtt-ais-source',
    config: {
      'connector.class': MQTT_SOURCE_CLASS,
      'tasks.max': '1',
      'connect.mqtt.hosts': `tcp://${mqttHostPort}`,
      // KCQL wants names with # or / in backticks.
      // Its own topic: the lab's sample connector already writes Avro records to position-reports,
      // and a second schema (bytes) for that subject would be refused as incompatible.
      'connect.mqtt.kcql': 'INSERT INTO ais-raw SELECT * FROM `/ais/#`',
      'connect.mqtt.service.quality': '1',
      'connect.mqtt.client.id': 'seaway-ais-connector',
      'connect.mqtt.clean': 'true',
      'connect.mqtt.timeout': '1000',
      'connect.mqtt.keep.alive': '1000',
      'connect.mqtt.converter.throw.on.error': 'true',
    },
  };
}

/** host:port of the lab's MQTT listener as seen from the lab itself (the bridge runs beside it). */
export function mqttHostPortFrom(mqttUrl: string | null | undefined): string {
  // Parsed by hand: browsers differ on URL ports for non-special schemes such as mqtt:.
  const port = mqttUrl ? /:(\d+)\/?$/.exec(mqttUrl)?.[1] : undefined;
  return `127.0.0.1:${port ?? '1883'}`;
}
