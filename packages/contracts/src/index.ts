export * from './cluster.ts';
export * from './connect.ts';
export * from './console.ts';
export * from './health.ts';
export * from './live.ts';
export * from './metrics.ts';
export * from './registry.ts';
export * from './topics.ts';
