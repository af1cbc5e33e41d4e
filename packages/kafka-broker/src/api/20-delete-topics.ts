// DeleteTopics (key 20), versions 1-6.
// v1: throttleTimeMs. v4: flexible. v5: errorMessage. v6: topics by name or id.
// Deleting removes the partition logs (and their directories) and the groups' committed offsets for
// the topic. Internal topics (__consumer_offsets) cannot be deleted: INVALID_REQUEST.
// Authorization (SASL on, ../acl/authorizer.ts): DELETE on the topic, else TOPIC_AUTHORIZATION_FAILED.

import { ErrorCode, type RequestBody, ZERO_UUID } from '@seaway/kafka-protocol';
import { authorizeTopic, Operation } from '../acl/authorizer.ts';
import type { RequestContext } from './context.ts';

export const apiKey = 20;
export const minVersion = 1;
export const maxVersion = 6;

export async function handle(req: RequestBody<20>, ctx: RequestContext) {
  const { cluster, groups } = ctx.broker;
  const wanted =
    ctx.version >= 6 ? req.topics : req.topicNames.map((name) => ({ name: name as string | null, topicId: ZERO_UUID }));
  const responses = [];
  for (const w of wanted) {
    const t = w.name !== null ? cluster.topics.get(w.name) : cluster.topicById(w.topicId);
    if (!t) {
      responses.push({
        name: w.name,
        topicId: w.topicId,
        errorCode: w.name !== null ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.UNKNOWN_TOPIC_ID,
        errorMessage: 'This server does not host this topic.',
      });
      continue;
    }
    if (!authorizeTopic(ctx, Operation.DELETE, t.name)) {
      responses.push({
        name: t.name,
        topicId: t.id,
        errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
        errorMessage: 'Authorization failed.',
      });
      continue;
    }
    if (t.internal) {
      responses.push({
        name: t.name,
        topicId: t.id,
        errorCode: ErrorCode.INVALID_REQUEST,
        errorMessage: `${t.name} is an internal topic and cannot be deleted`,
      });
      continue;
    }
    await cluster.deleteTopic(t.name);
    groups.forgetTopic(t.name);
    responses.push({ name: t.name, topicId: t.id, errorCode: ErrorCode.NONE, errorMessage: null });
  }
  return { throttleTimeMs: 0, responses };
}
