// The mqtt-broker package's error catalogue: stable codes that tests and callers match on, messages
// that say what happened and what to do. Protocol outcomes (CONNACK/SUBACK codes) are data, not
// errors; these codes name why a connection was refused or closed.
export const MQTT_BROKER_ERRORS = {
  SEAWAY_MQTT_CONFIG: 'invalid MQTT broker setting',
  SEAWAY_MQTT_USERS: 'the users setting or users file cannot be parsed',
  SEAWAY_MQTT_TLS: 'the TLS certificate or key file cannot be read',
  SEAWAY_MQTT_PERSISTENCE: 'the session store in the data directory cannot be read or written',
  SEAWAY_MQTT_AUTH_FAILED: 'bad user name or password',
  SEAWAY_MQTT_NOT_AUTHORIZED: 'client not authorized',
  SEAWAY_MQTT_PACKET_TOO_LARGE: 'packet larger than maxPacketSize',
  SEAWAY_MQTT_TOPIC_INVALID: 'topic too long or too deep',
  SEAWAY_MQTT_INGEST_REFUSED: 'the ingest gate refused the message; the publisher must redeliver',
  SEAWAY_MQTT_INGEST_HELD:
    'no running connector task took the message within the hold bound; the publisher must redeliver',
  SEAWAY_MQTT_GATE_FILTER: 'invalid topic filter for the ingest gate',
} as const;

export type MqttBrokerErrorCode = keyof typeof MQTT_BROKER_ERRORS;

export class MqttBrokerError extends Error {
  readonly code: MqttBrokerErrorCode;
  /** CONNACK return code for authentication failures (MQTT 3.1.1 table 3.1). */
  returnCode?: number;
  /** MQTT 5 PUBACK/PUBREC reason code for a refused publish (hook for the v5 path; 3.1.1 closes the connection). */
  reasonCode?: number;
  constructor(code: MqttBrokerErrorCode, message: string, options?: { cause?: unknown }) {
    super(`${code}: ${message}`, options);
    this.name = 'MqttBrokerError';
    this.code = code;
  }
}
