// The producer for a real cluster: idempotent and pipelined, as Kafka's Java producer with
// enable.idempotence=true, acks=all and max.in.flight.requests.per.connection=5.
//
// - InitProducerId (transactional id null) gives a producer id and epoch; every batch carries them
//   and its partition's next sequence number, so the broker appends each sequence once: a batch a
//   broker stored before a failure comes back as a duplicate (answered with its first offset) when
//   it is resent, not written twice.
// - Each partition is a lane: up to `maxInFlight` batches sent and unanswered, in sequence order,
//   the next ones waiting. Sends do not wait for earlier sends, so a ~2 ms acks=all round trip no
//   longer caps a stop-and-wait load at one batch per round trip.
// - Requests go out from one pump at a time, one batch per lane per request, so a lane's batches
//   reach each connection in sequence order; Kafka answers a connection in order.
// - A retriable error (stale leader, not enough replicas, timeout, lost connection) or
//   OUT_OF_ORDER_SEQUENCE_NUMBER behind an earlier failed batch puts the batch back, and the lane
//   recovers as Java's producer does: no resend until every batch it has out is answered, then the
//   failed ones again in sequence order, one at a time, with a growing pause. Order per partition
//   holds under retries.
// - Sequence trouble the broker cannot fix by a resend (OUT_OF_ORDER_SEQUENCE_NUMBER for a lane's
//   oldest batch, UNKNOWN_PRODUCER_ID, INVALID_PRODUCER_EPOCH), or a batch that failed for good and
//   left a gap: wait until nothing is in flight, take a new producer id (Java bumps the epoch) and
//   number every unsent batch from 0 again. Resending a batch the broker did store under the old id
//   is the one way this producer duplicates.
// - A batch fails for good on a non-retriable error or once retried past `deliveryTimeoutMs`
//   (delivery.timeout.ms, 120 s). send() settles when every batch it made settled, and rejects
//   when one failed, so the caller may resend all of it (at-least-once).

import { ErrorCode, errorByCode } from '../errors.ts';
import type { ProduceRequestTopicProduceData, ProduceResponse } from '../messages/types.generated.ts';
import { ZERO_UUID } from '../primitives/uuid.ts';
import type { ProducerRecord } from '../records/batch-writer.ts';
import { writeRecordBatch } from '../records/batch-writer.ts';
import { ClientErrorCodes, KafkaClientError } from './errors.ts';
import { KafkaProducer, LEADER_ERRORS, type ProducerOptions } from './producer.ts';
import type { KafkaTransport } from './transport.ts';

export interface IdempotentProducerOptions extends ProducerOptions {
  /** Batches sent and unanswered per partition (Kafka allows at most 5 with idempotence). */
  maxInFlight?: number;
  /** How long a batch is retried before its send() rejects (delivery.timeout.ms). */
  deliveryTimeoutMs?: number;
}

interface Call {
  left: number;
  error: KafkaClientError | null;
  resolve: () => void;
  reject: (e: Error) => void;
}

interface Batch {
  lane: Lane;
  records: readonly ProducerRecord[];
  timestamp: number;
  /** Sequence of the first record, valid for producer generation `gen`. */
  seq: number;
  gen: number;
  deadline: number;
  attempts: number;
  call: Call;
}

interface Lane {
  topic: string;
  partition: number;
  /** Next sequence to hand out, for generation `gen`. */
  nextSeq: number;
  gen: number;
  waiting: Batch[];
  /** Sent, unanswered, in sequence order. */
  inflight: Batch[];
  /** Answered with a retriable error, in sequence order: resent before anything waiting. */
  retry: Batch[];
  notBefore: number;
}

const PRODUCE = 0;
const INIT_PRODUCER_ID = 22;
/** Errors a new producer id (with sequences from 0) fixes. */
const NEEDS_NEW_ID = new Set<number>([ErrorCode.UNKNOWN_PRODUCER_ID, ErrorCode.INVALID_PRODUCER_EPOCH]);
const MAX_SEQ = 0x7fffffff;

export class IdempotentProducer extends KafkaProducer {
  private readonly maxInFlight: number;
  private readonly deliveryTimeoutMs: number;
  private readonly lanes = new Map<string, Lane>();
  private producerId = -1;
  private epoch = -1;
  /** Producer generation: a new one with every producer id. */
  private gen = 0;
  private needNewId = true;
  private inflight = 0;
  private pumping = false;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private timerAt = 0;

  constructor(o: IdempotentProducerOptions) {
    super(o);
    this.maxInFlight = Math.max(1, Math.min(o.maxInFlight ?? 5, 5));
    this.deliveryTimeoutMs = o.deliveryTimeoutMs ?? 120_000;
  }

  /**
   * Connects and takes a producer id, so the first send does not wait for one. A cluster still
   * loading its transaction state answers COORDINATOR_LOAD_IN_PROGRESS and the like: tried again
   * for up to the request timeout.
   */
  override async connect(): Promise<void> {
    await super.connect();
    const deadline = Date.now() + this.timeoutMs;
    for (let pause = 100; ; pause = Math.min(pause * 2, 1000)) {
      try {
        return await this.initProducerId();
      } catch (e) {
        if (!(e instanceof KafkaClientError) || !e.retriable || Date.now() + pause > deadline) throw e;
      }
      await new Promise((r) => setTimeout(r, pause));
    }
  }

  /** The producer id and epoch in use (-1 before the first InitProducerId). */
  get identity(): { producerId: number; epoch: number } {
    return { producerId: this.producerId, epoch: this.epoch };
  }

  override async send(byTopic: ReadonlyMap<string, readonly ProducerRecord[]>): Promise<void> {
    if (this.closed) throw new KafkaClientError(ClientErrorCodes.CLOSED, 'the producer is closed');
    const parts: Array<[string, Map<number, ProducerRecord[]>]> = [];
    for (const [topic, records] of byTopic) {
      if (records.length === 0) continue;
      const meta = this.topics.get(topic) ?? (await this.lookup([topic])).get(topic);
      if (!meta) throw new KafkaClientError(ClientErrorCodes.METADATA, `no metadata for topic ${topic}`);
      parts.push([topic, this.partition(meta, records)]);
    }
    if (parts.length === 0) return;
    const now = Date.now();
    const done = new Promise<void>((resolve, reject) => {
      const call: Call = { left: 0, error: null, resolve, reject };
      for (const [topic, byPartition] of parts) {
        for (const [p, records] of byPartition) {
          const lane = this.lane(topic, p);
          call.left++;
          lane.waiting.push({
            lane,
            records,
            timestamp: now,
            seq: -1,
            gen: -1,
            deadline: now + this.deliveryTimeoutMs,
            attempts: 0,
            call,
          });
        }
      }
    });
    void this.pump();
    return done;
  }

  override async close(): Promise<void> {
    await super.close();
    if (this.timer) clearTimeout(this.timer);
    const err = new KafkaClientError(ClientErrorCodes.CLOSED, 'the producer was closed before Kafka acknowledged');
    for (const lane of this.lanes.values()) {
      for (const b of [...lane.retry, ...lane.waiting, ...lane.inflight]) this.settle(b, err);
      lane.retry.length = 0;
      lane.waiting.length = 0;
      lane.inflight.length = 0;
    }
  }

  // ---- internals ----

  private lane(topic: string, partition: number): Lane {
    const k = `${topic}\0${partition}`;
    let lane = this.lanes.get(k);
    if (!lane) {
      lane = { topic, partition, nextSeq: 0, gen: this.gen, waiting: [], inflight: [], retry: [], notBefore: 0 };
      this.lanes.set(k, lane);
    }
    return lane;
  }

  private async initProducerId(): Promise<void> {
    const conn = await this.pool.any();
    const v = conn.version(INIT_PRODUCER_ID, 0, 4);
    const res = await conn.request(INIT_PRODUCER_ID, v, {
      transactionalId: null,
      transactionTimeoutMs: 60_000,
      producerId: -1n,
      producerEpoch: -1,
    });
    if (res.errorCode !== 0) {
      const e = errorByCode(res.errorCode);
      throw new KafkaClientError(
        ClientErrorCodes.PRODUCE,
        `Kafka gave no producer id: ${e.name}: ${e.message}`,
        e.name,
        e.retriable,
      );
    }
    this.producerId = Number(res.producerId);
    this.epoch = res.producerEpoch;
    this.gen++;
    this.needNewId = false;
  }

  /** Sends whatever the lanes allow; one pump at a time keeps each lane's requests in sequence order. */
  private async pump(): Promise<void> {
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.again = false;
        if (this.closed) return;
        if (this.needNewId) {
          if (this.inflight > 0) return; // the last answer pumps again
          try {
            await this.initProducerId();
          } catch {
            this.wakeAt(Date.now() + 500);
            return;
          }
        }
        await this.dispatchRound();
      } while (this.again);
    } finally {
      this.pumping = false;
    }
  }

  private async dispatchRound(): Promise<void> {
    const now = Date.now();
    const byLeader = new Map<number, Batch[]>();
    const unknown = new Set<string>();
    let more = false;
    for (const lane of this.lanes.values()) {
      const recovering = lane.retry.length > 0;
      const limit = recovering ? 1 : this.maxInFlight;
      if (lane.inflight.length >= limit) continue;
      const b = lane.retry[0] ?? lane.waiting[0];
      if (!b) continue;
      if (lane.notBefore > now) {
        this.wakeAt(lane.notBefore);
        continue;
      }
      const meta = this.topics.get(lane.topic);
      const leader = meta && lane.partition < meta.partitions ? (meta.leaders[lane.partition] as number) : -1;
      if (leader < 0 || !this.pool.nodes.has(leader)) {
        unknown.add(lane.topic);
        continue;
      }
      if (recovering) lane.retry.shift();
      else lane.waiting.shift();
      if (b.gen !== this.gen) {
        if (lane.gen !== this.gen) {
          lane.gen = this.gen;
          lane.nextSeq = 0;
        }
        b.gen = this.gen;
        b.seq = lane.nextSeq;
        lane.nextSeq = (lane.nextSeq + b.records.length) % (MAX_SEQ + 1);
      }
      b.attempts++;
      lane.inflight.push(b);
      this.inflight++;
      let list = byLeader.get(leader);
      if (!list) byLeader.set(leader, (list = []));
      list.push(b);
      if (lane.inflight.length < limit && (lane.retry.length > 0 || lane.waiting.length > 0)) more = true;
    }
    if (unknown.size > 0) {
      try {
        await this.lookup([...unknown]);
        more = true;
      } catch {
        this.wakeAt(Date.now() + 200);
      }
    }
    for (const [leader, batches] of byLeader) {
      let conn: KafkaTransport;
      try {
        // the pool hands out the open connection at once; one pump at a time keeps the order
        conn = await this.pool.node(leader);
      } catch (e) {
        this.answer(batches, null, asClientError(e, `broker ${leader}`));
        continue;
      }
      this.produce(conn, batches);
    }
    if (more) this.again = true;
  }

  private produce(conn: KafkaTransport, batches: Batch[]): void {
    const topicData: ProduceRequestTopicProduceData[] = [];
    const byTopic = new Map<string, ProduceRequestTopicProduceData>();
    this.writer.reset();
    for (const b of batches) {
      const start = writeRecordBatch(this.writer, b.records, b.timestamp, {
        id: this.producerId,
        epoch: this.epoch,
        baseSequence: b.seq,
      });
      let t = byTopic.get(b.lane.topic);
      if (!t) {
        t = { name: b.lane.topic, topicId: ZERO_UUID, partitionData: [] }; // by name: Produce v3-11
        byTopic.set(b.lane.topic, t);
        topicData.push(t);
      }
      t.partitionData.push({ index: b.lane.partition, records: this.writer.buf.subarray(start, this.writer.pos) });
    }
    let sent: Promise<ProduceResponse>;
    try {
      const v = conn.version(PRODUCE, 3, 11);
      // request() encodes the frame (copying the records) before it returns
      sent = conn.request(PRODUCE, v, { transactionalId: null, acks: -1, timeoutMs: this.timeoutMs, topicData });
    } catch (e) {
      sent = Promise.reject(e);
    }
    this.writer.shrink(16 * 1024 * 1024, 64 * 1024);
    sent.then(
      (res) => this.answer(batches, res, null),
      (e: unknown) => this.answer(batches, null, asClientError(e, conn.address)),
    );
  }

  private answer(batches: Batch[], res: ProduceResponse | null, failure: KafkaClientError | null): void {
    const codes = new Map<string, { code: number; message: string | null }>();
    if (res)
      for (const t of res.responses)
        for (const pr of t.partitionResponses)
          codes.set(`${t.name}\0${pr.index}`, { code: pr.errorCode, message: pr.errorMessage ?? null });
    const now = Date.now();
    for (const b of batches) {
      const lane = b.lane;
      const i = lane.inflight.indexOf(b);
      if (i >= 0) lane.inflight.splice(i, 1);
      this.inflight--;
      if (this.closed) continue;
      let err = failure;
      let code = -2;
      if (!err) {
        const r = codes.get(`${lane.topic}\0${lane.partition}`);
        code = r ? r.code : ErrorCode.UNKNOWN_SERVER_ERROR;
        if (code === ErrorCode.NONE || code === ErrorCode.DUPLICATE_SEQUENCE_NUMBER) {
          this.settle(b, null);
          continue;
        }
        const e = errorByCode(code);
        if (LEADER_ERRORS.has(code)) this.topics.delete(lane.topic);
        err = new KafkaClientError(
          ClientErrorCodes.PRODUCE,
          `Kafka refused records for ${lane.topic}-${lane.partition}: ${e.name}${r?.message ? ` (${r.message})` : ''}: ${e.message}`,
          e.name,
          e.retriable,
        );
      }
      // Out of order behind an earlier batch that is being resent: resend this one after it.
      // Out of order as the lane's oldest unanswered batch: the broker lost our sequence.
      const earlier = [...lane.retry, ...lane.inflight].some((x) => x.gen === b.gen && before(x, b));
      if (code === ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER && !earlier) this.needNewId = true;
      if (NEEDS_NEW_ID.has(code)) this.needNewId = true;
      const retriable =
        err.retriable || code === ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER || NEEDS_NEW_ID.has(code) || code === -2;
      if (!retriable || now >= b.deadline || this.closed) {
        // its sequences are a gap now: number everything after it again under a new id
        this.needNewId = true;
        this.settle(b, err);
        continue;
      }
      insertBySeq(lane.retry, b);
      lane.notBefore = now + Math.min(100 * 2 ** Math.min(b.attempts - 1, 5), 2000);
    }
    void this.pump();
  }

  private settle(b: Batch, err: KafkaClientError | null): void {
    const c = b.call;
    if (err && !c.error) c.error = err;
    if (--c.left > 0) return;
    if (c.error) c.reject(c.error);
    else c.resolve();
  }

  private wakeAt(at: number): void {
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        void this.pump();
      },
      Math.max(0, at - Date.now()),
    );
  }
}

/** a was given its sequence before b (same generation; sequences wrap at 2^31). */
function before(a: Batch, b: Batch): boolean {
  const d = b.seq - a.seq;
  return d > 0 ? d < 2 ** 30 : d < -(2 ** 30);
}

function insertBySeq(list: Batch[], b: Batch): void {
  let i = list.length;
  while (i > 0 && b.gen === (list[i - 1] as Batch).gen && before(b, list[i - 1] as Batch)) i--;
  list.splice(i, 0, b);
}

function asClientError(e: unknown, where: string): KafkaClientError {
  if (e instanceof KafkaClientError) return e;
  return new KafkaClientError(
    ClientErrorCodes.NETWORK,
    `produce to ${where}: ${(e as Error).message}`,
    undefined,
    true,
  );
}
