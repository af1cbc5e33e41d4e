export type { MqttBroker, MqttBrokerConfig, MqttBrokerStats } from './broker.ts';
export { startMqttBroker } from './broker.ts';
