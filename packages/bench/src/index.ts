// @seaway/bench: the benchmark harness behind `pnpm bench` (see README.md).
export { BENCH_ERRORS, BenchError, type BenchErrorCode } from './errors.ts';
export { type BenchOptions, parseBenchArgs, SWEEPS } from './options.ts';
export { type ProfileSummary, packageOf, summariseProfile } from './profile.ts';
export { type BenchResults, computeRatios, runBench } from './runner.ts';
export { type ProcUsage, readCpuTicks, readRssKB, Window } from './sampler.ts';
export type { RunResult } from './scenarios/types.ts';
export { type Verification, verifyTopic } from './verify.ts';
