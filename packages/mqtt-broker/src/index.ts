export { Authenticator, hashPassword, parseUsersString } from './auth.ts';
export type {
  ClientView,
  MqttBroker,
  MqttBrokerConfig,
  MqttBrokerStats,
  SessionView,
  SubscriptionView,
} from './broker.ts';
export { startMqttBroker } from './broker.ts';
export type { MqttBrokerConfigInput, MqttBrokerConfigResolved, UserSpec } from './config.ts';
export { mqttBrokerConfigSchema, parseMqttBrokerConfig } from './config.ts';
export { MQTT_BROKER_ERRORS, MqttBrokerError, type MqttBrokerErrorCode } from './errors.ts';
export type {
  GateClient,
  IngestGate,
  IngestGateOptions,
  IngestGateStats,
  IngestMessage,
  MqttPublishProperties,
} from './ingest-gate.ts';
export { IngestGateImpl } from './ingest-gate.ts';
export type { MqttCounters, TopicView } from './observe.ts';
