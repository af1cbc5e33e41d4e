export * from './health.ts';
export * from './metrics.ts';
export * from './topics.ts';
