// DescribeLogDirs (key 35), versions 1-4 (v0 is gone in Kafka 4).
// One log directory: <dataDir>/logs (absolute path), each partition's size being the bytes of its
// segment files on disk (the log's sizeBytes, kept equal to the files' lengths), offsetLag 0 (no
// replica moves between directories), isFutureKey false. Topics null = every topic, internal ones
// included; a topic or partition this broker does not have is left out, as Kafka does.
// v1: same as v0. v2: flexible. v3: top-level errorCode. v4: totalBytes/usableBytes of the file
// system holding the directory (statfs); -1 (unknown) when the broker runs without a data directory,
// whose log dir is reported as "memory".
// Authorization (SASL on): DESCRIBE on the cluster, else CLUSTER_AUTHORIZATION_FAILED (v3+) and no results.

import { statfs } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import { authorizeCluster, Operation } from '../acl/authorizer.ts';
import type { Topic } from '../state/cluster.ts';
import type { RequestContext } from './context.ts';

export const apiKey = 35;
export const minVersion = 1;
export const maxVersion = 4;

function partitionsOf(t: Topic, wanted: readonly number[] | null) {
  const out = [];
  for (const p of t.partitions) {
    if (wanted !== null && !wanted.includes(p.index)) continue;
    out.push({ partitionIndex: p.index, partitionSize: BigInt(p.log.sizeBytes), offsetLag: 0n, isFutureKey: false });
  }
  return out;
}

export async function handle(req: RequestBody<35>, ctx: RequestContext) {
  const { cluster, opts } = ctx.broker;
  if (!authorizeCluster(ctx, Operation.DESCRIBE)) {
    return { throttleTimeMs: 0, errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, results: [] };
  }
  const topics = [];
  if (req.topics === null) {
    for (const t of cluster.topics.values()) topics.push({ name: t.name, partitions: partitionsOf(t, null) });
  } else {
    for (const want of req.topics) {
      const t = cluster.topics.get(want.topic);
      if (!t) continue;
      const partitions = partitionsOf(t, want.partitions);
      if (partitions.length > 0) topics.push({ name: t.name, partitions });
    }
  }
  let logDir = 'memory';
  let totalBytes = -1n;
  let usableBytes = -1n;
  if (opts.dataDir !== null) {
    logDir = resolve(opts.dataDir, 'logs');
    const fs = await statfs(logDir, { bigint: true });
    totalBytes = fs.blocks * fs.bsize;
    usableBytes = fs.bavail * fs.bsize;
  }
  return {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    results: [{ errorCode: ErrorCode.NONE, logDir, topics, totalBytes, usableBytes }],
  };
}
