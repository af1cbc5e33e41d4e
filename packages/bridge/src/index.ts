// @seaway/bridge: the MQTT source connector runtime (Stream Reactor compatible configs and KCQL,
// converters, Connect REST API, PUBACK only after Kafka).
export type { ConfigKeyDef } from './connector/config-def.ts';
export { ALL_KEYS as MQTT_SOURCE_CONFIG_KEYS } from './connector/config-def.ts';
export { splitTasks } from './connector/task-split.ts';
export type { ConfigInfos, MqttSourceSettings, ValidationResult } from './connector/validate.ts';
export { MQTT_SOURCE_CLASSES, validateMqttSourceConfig } from './connector/validate.ts';
export type { SchemaRegistry } from './converters/registry-client.ts';
export { confluentFrame, httpSchemaRegistry } from './converters/registry-client.ts';
export { BridgeError, BridgeErrorCodes, isBridgeError } from './errors.ts';
export type { KcqlStatement } from './kcql/parse.ts';
export { parseKcql } from './kcql/parse.ts';
export { dollarTarget, topicMatches } from './kcql/routes.ts';
export type { ConnectPluginOptions } from './rest/connect-plugin.ts';
export { connectRestPlugin } from './rest/connect-plugin.ts';
export type { LevelSettable } from './rest/loggers.ts';
export { Levelled, LogLevels } from './rest/loggers.ts';
export type { IngestGate, IngestMessage } from './runtime/gate.ts';
export type { TaskMetrics } from './runtime/task.ts';
export type { ConnectorMetrics } from './runtime/worker.ts';
export { ConnectWorker } from './runtime/worker.ts';
export type { ConnectRuntime, StartConnectOptions } from './start-connect.ts';
export { pointsAtEmbedded, startConnect } from './start-connect.ts';
export { isLeadershipError } from './store/topic-offsets.ts';
export { TRANSFORM_PLUGINS } from './transforms/registry.ts';
