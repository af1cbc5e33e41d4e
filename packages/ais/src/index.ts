export type { LiveStream, LiveStreamConfig, LiveStreamStats } from './live-stream.ts';
export { startLiveStream } from './live-stream.ts';
