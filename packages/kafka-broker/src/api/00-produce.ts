// Produce (key 0), versions 0-13 advertised (as Kafka 4.1 does, so old librdkafka keeps compression).
// v0-2 carry magic 0/1 message sets: they are converted to one v2 batch before the append.
// v1: throttleTimeMs. v2: logAppendTimeMs. v3: transactionalId, v2 record batches. v5: logStartOffset.
// v8: recordErrors/errorMessage. v9: flexible. v10-11: currentLeader/nodeEndpoints tagged fields (not
// sent: this broker always leads). v12 (KIP-890): same layout. v13 (KIP-516): topics by topic id in the
// request and the answer; an id no topic has answers UNKNOWN_TOPIC_ID (no auto-creation by id,
// as Kafka). acks=0 gets no response at all; acks=1 and acks=-1 are the same
// on one node. Batches are stored as received; the log rewrites only baseOffset and leader epoch and
// checks CRCs (CORRUPT_MESSAGE). Idempotent batches go through the partition's producer state:
// a duplicate answers with the original offset, a gap with OUT_OF_ORDER_SEQUENCE_NUMBER.
// LogAppendTime topics get their batches stamped by the log and the append time in the answer.
// A connection may run several Produce requests at once (see server/connection.ts); appends stay in
// request order because each is queued on its partition before the handler first waits.
// Transactional batches (attribute bit 4) must come from the transactional id's current producer
// epoch (else INVALID_PRODUCER_EPOCH; an unknown producer id INVALID_PRODUCER_ID_MAPPING) for a
// partition AddPartitionsToTxn added to the open transaction (else INVALID_TXN_STATE, as Kafka's
// KIP-890 verification answers; from v12, transaction.version 2, the partition is added here instead); once appended they open the producer's transaction in the
// partition (its LSO stops there until the marker). Control batches from clients: INVALID_RECORD.
// Skipped: compression.type recompression.
// Authorization (SASL on, ../acl/authorizer.ts): WRITE on the topic, else TOPIC_AUTHORIZATION_FAILED.

import {
  ATTRIBUTES,
  BASE_SEQUENCE,
  ErrorCode,
  LAST_OFFSET_DELTA,
  legacyToRecordBatch,
  MAGIC,
  MAX_TIMESTAMP,
  PRODUCER_EPOCH,
  PRODUCER_ID,
  type RequestBody,
  readInt64,
} from '@seaway/kafka-protocol';
import { authorizeTopic, Operation } from '../acl/authorizer.ts';
import { type AppendOptions, LogError } from '../log/index.ts';
import type { Partition } from '../state/cluster.ts';
import type { TransactionCoordinator } from '../txn/coordinator.ts';
import { CONTROL_FLAG, TRANSACTIONAL_FLAG } from '../txn/partition-txns.ts';
import { CLOSE_CONNECTION, NO_RESPONSE, type RequestContext } from './context.ts';

export const apiKey = 0;
export const minVersion = 0;
export const maxVersion = 13;

interface PartitionResult {
  index: number;
  errorCode: number;
  baseOffset: bigint;
  logAppendTimeMs: bigint;
  logStartOffset: bigint;
  errorMessage: string | null;
  recordErrors: never[];
}

/** Shared, never mutated: per-request constants instead of per-request allocations. */
const NO_RECORD_ERRORS: never[] = [];
const APPEND_CREATE_TIME: AppendOptions = { partitionLeaderEpoch: 0, logAppendTime: false };
const APPEND_LOG_APPEND_TIME: AppendOptions = { partitionLeaderEpoch: 0, logAppendTime: true };

function result(index: number, errorCode: number, errorMessage: string | null = null): PartitionResult {
  return {
    index,
    errorCode,
    baseOffset: -1n,
    logAppendTimeMs: -1n,
    logStartOffset: -1n,
    errorMessage,
    recordErrors: NO_RECORD_ERRORS,
  };
}

/** Appends one partition's records, checking idempotent sequences first (serialised per partition). */
function appendTo(
  p: Partition,
  records: Buffer,
  logAppendTime: boolean,
  txns: TransactionCoordinator,
  implicitTxn: string | null,
): Promise<PartitionResult> {
  const run = p.chain.then(async (): Promise<PartitionResult> => {
    // Idempotence: Kafka producers send one batch per partition; check the first batch's producer.
    const v2 = records.length >= 61 && records.readInt8(MAGIC) === 2;
    const producerId = v2 ? readInt64(records, PRODUCER_ID) : -1;
    const attributes = v2 ? records.readInt16BE(ATTRIBUTES) : 0;
    let epoch = 0;
    let firstSeq = 0;
    let lastSeq = 0;
    if (attributes & CONTROL_FLAG) {
      return result(p.index, ErrorCode.INVALID_RECORD, 'clients may not produce control batches');
    }
    if (producerId >= 0) {
      epoch = records.readInt16BE(PRODUCER_EPOCH);
      if (attributes & TRANSACTIONAL_FLAG) {
        let code = txns.checkProduce(producerId, epoch, p.topic, p.index);
        if (code === ErrorCode.INVALID_TXN_STATE && implicitTxn !== null) {
          // Produce v12+ (transaction.version 2): the partition joins the transaction here
          const refs = [{ topic: p.topic, partitions: [p.index] }];
          const added = await txns.addPartitions(implicitTxn, producerId, epoch, refs);
          code = added.get(p.topic)?.get(p.index) ?? ErrorCode.UNKNOWN_SERVER_ERROR;
          if (code === ErrorCode.NONE) code = txns.checkProduce(producerId, epoch, p.topic, p.index);
        }
        if (code !== ErrorCode.NONE) return result(p.index, code);
      }
      firstSeq = records.readInt32BE(BASE_SEQUENCE);
      lastSeq = firstSeq + records.readInt32BE(LAST_OFFSET_DELTA);
      const check = p.producers.check(producerId, epoch, firstSeq, lastSeq);
      if (check.kind === 'reject') return result(p.index, check.errorCode, check.message);
      if (check.kind === 'duplicate') {
        return {
          ...result(p.index, ErrorCode.NONE),
          baseOffset: BigInt(check.baseOffset),
          logStartOffset: BigInt(p.log.logStartOffset),
        };
      }
    }
    const r = await p.log.append(records, logAppendTime ? APPEND_LOG_APPEND_TIME : APPEND_CREATE_TIME);
    if (producerId >= 0) {
      p.producers.record(producerId, epoch, firstSeq, lastSeq, r.baseOffset);
      if (attributes & TRANSACTIONAL_FLAG) p.txns.opened(producerId, r.baseOffset);
    }
    p.notifyAppend();
    return {
      index: p.index,
      errorCode: ErrorCode.NONE,
      baseOffset: BigInt(r.baseOffset),
      // the stamp the log wrote into the batch (MemoryLog's appendTime can differ by a millisecond)
      logAppendTimeMs: logAppendTime ? BigInt(readInt64(records, MAX_TIMESTAMP)) : -1n,
      logStartOffset: BigInt(p.log.logStartOffset),
      errorMessage: null,
      recordErrors: NO_RECORD_ERRORS,
    };
  });
  p.chain = run.catch(() => undefined);
  return run.catch((e: unknown) => {
    if (e instanceof LogError) return result(p.index, e.kafkaErrorCode, e.message);
    throw e;
  });
}

export async function handle(req: RequestBody<0>, ctx: RequestContext) {
  const { cluster } = ctx.broker;
  const pending: Array<Promise<PartitionResult>> = [];
  const layout: Array<{ name: string; topicId: string; count: number }> = [];
  const byId = ctx.version >= 13;
  const implicitTxn = ctx.version >= 12 ? req.transactionalId : null;
  if (req.acks !== 0 && req.acks !== 1 && req.acks !== -1) {
    for (const t of req.topicData) {
      layout.push({ name: t.name, topicId: t.topicId, count: t.partitionData.length });
      for (const pd of t.partitionData)
        pending.push(Promise.resolve(result(pd.index, ErrorCode.INVALID_REQUIRED_ACKS)));
    }
  } else {
    for (const t of req.topicData) {
      layout.push({ name: t.name, topicId: t.topicId, count: t.partitionData.length });
      const byIdTopic = byId ? cluster.topicById(t.topicId) : undefined;
      if (byId && (byIdTopic === undefined || cluster.ready(byIdTopic.name) === undefined)) {
        for (const pd of t.partitionData) pending.push(Promise.resolve(result(pd.index, ErrorCode.UNKNOWN_TOPIC_ID)));
        continue;
      }
      const name = byIdTopic?.name ?? t.name;
      if (!authorizeTopic(ctx, Operation.WRITE, name)) {
        for (const pd of t.partitionData)
          pending.push(Promise.resolve(result(pd.index, ErrorCode.TOPIC_AUTHORIZATION_FAILED)));
        continue;
      }
      // existing topics synchronously: pipelined Produce requests then dispatch appends in order
      const topic = byIdTopic ?? cluster.ready(name) ?? (await cluster.autoCreate(name));
      for (const pd of t.partitionData) {
        if (typeof topic === 'number') {
          pending.push(Promise.resolve(result(pd.index, topic)));
          continue;
        }
        if (topic.internal) {
          const message = `Cannot append to internal topic ${name}`;
          pending.push(Promise.resolve(result(pd.index, ErrorCode.INVALID_TOPIC_EXCEPTION, message)));
          continue;
        }
        const p = topic.partitions[pd.index];
        if (p === undefined) {
          pending.push(Promise.resolve(result(pd.index, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)));
          continue;
        }
        let records = pd.records;
        if (records !== null && records.length > 16 && records.readInt8(MAGIC) < 2) {
          try {
            records = legacyToRecordBatch(records) ?? null;
          } catch (e) {
            pending.push(Promise.resolve(result(pd.index, ErrorCode.CORRUPT_MESSAGE, (e as Error).message)));
            continue;
          }
        }
        if (records === null || records.length === 0) {
          pending.push(Promise.resolve(result(pd.index, ErrorCode.CORRUPT_MESSAGE, 'no records')));
          continue;
        }
        const limit = Number(topic.configs['max.message.bytes'] ?? ctx.broker.opts.messageMaxBytes);
        if (records.length > limit + 12) {
          const message = `batch of ${records.length} bytes exceeds max.message.bytes ${limit}`;
          pending.push(Promise.resolve(result(pd.index, ErrorCode.MESSAGE_TOO_LARGE, message)));
          continue;
        }
        pending.push(
          appendTo(
            p,
            records,
            topic.configs['message.timestamp.type'] === 'LogAppendTime',
            ctx.broker.txns,
            implicitTxn,
          ),
        );
      }
    }
  }
  const results = await Promise.all(pending);
  // acks=0: no answer; a failed write closes the connection so the producer refreshes metadata (as Kafka)
  if (req.acks === 0) return results.some((r) => r.errorCode !== ErrorCode.NONE) ? CLOSE_CONNECTION : NO_RESPONSE;
  if (layout.length === 1) {
    const t = layout[0]!;
    return { throttleTimeMs: 0, responses: [{ name: t.name, topicId: t.topicId, partitionResponses: results }] };
  }
  let i = 0;
  const responses = [];
  for (const t of layout)
    responses.push({ name: t.name, topicId: t.topicId, partitionResponses: results.slice(i, (i += t.count)) });
  return { throttleTimeMs: 0, responses };
}
