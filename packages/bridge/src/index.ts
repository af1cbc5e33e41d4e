export type { BridgeStats, SimpleBridge, SimpleBridgeConfig } from './simple-bridge.ts';
export { startSimpleBridge } from './simple-bridge.ts';
