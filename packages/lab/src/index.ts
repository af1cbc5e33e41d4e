export { ConfigError, LabConfig, parseConfig } from './config.ts';
export type { Lab, LabOptions } from './lab.ts';
export { startLab } from './lab.ts';
