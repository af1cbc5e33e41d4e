import { z } from 'zod';

export const TopicSummary = z.object({
  name: z.string(),
  partitions: z.number().int().nonnegative(),
  internal: z.boolean(),
  /** Sum over partitions of (high watermark - log start), when known. */
  records: z.number().int().nonnegative().optional(),
  /** Bytes on disk of the partitions' leader copies (DescribeLogDirs), when the cluster answers it. */
  bytes: z.number().int().nonnegative().optional(),
});
export type TopicSummary = z.infer<typeof TopicSummary>;

/** GET /api/topics */
export const TopicsResponse = z.object({ topics: z.array(TopicSummary) });
export type TopicsResponse = z.infer<typeof TopicsResponse>;

/** Every non-2xx answer of the lab's own API. */
export const ApiError = z.object({
  error_code: z.number().int(),
  message: z.string(),
  /** Stable Seaway error code (e.g. SEAWAY_CONSOLE_TOPIC_NOT_FOUND) when the lab knows one. */
  code: z.string().optional(),
});
export type ApiError = z.infer<typeof ApiError>;
