// Turns converted records into Kafka key/value bytes the way the Confluent AvroConverter does:
// schemas registered under <topic>-key and <topic>-value (TopicNameStrategy), bytes framed as
// magic 0 + 4-byte schema id + Avro binary. Ids are cached per (subject, schema); a batch with
// unseen schemas registers them once before any of its records is encoded.
import { BridgeError, BridgeErrorCodes } from '../errors.ts';
import { avroType } from './avro-types.ts';
import type { Datum } from './convert.ts';
import { confluentFrame, type SchemaRegistry } from './registry-client.ts';
import { encodeWith, type WorkerConverter } from './worker-converters.ts';

const AVRO: WorkerConverter = { kind: 'avro', schemasEnable: true };

export class AvroSerializer {
  /** Worker converters for keys and values; only the Avro ones use the registry. */
  readonly keyConverter: WorkerConverter;
  readonly valueConverter: WorkerConverter;
  private readonly ids = new Map<string, number>();
  /** Schemas the registry refused (HTTP 4xx, e.g. 409 incompatible) in the last prepare(). */
  private readonly refused = new Map<string, string>();
  constructor(
    private readonly registry: SchemaRegistry | undefined,
    converters: { key?: WorkerConverter; value?: WorkerConverter } = {},
  ) {
    this.keyConverter = converters.key ?? AVRO;
    this.valueConverter = converters.value ?? AVRO;
  }

  /** Register every schema of these (topic, datum) pairs that is not cached yet. */
  async prepare(items: Iterable<{ topic: string; key: Datum; value: Datum }>): Promise<void> {
    const todo = new Map<string, [string, string]>();
    for (const it of items) {
      for (const [suffix, d] of [
        ['-key', it.key],
        ['-value', it.value],
      ] as const) {
        if (d.kind !== 'avro' || (suffix === '-key' ? this.keyConverter : this.valueConverter).kind !== 'avro')
          continue;
        const subject = it.topic + suffix;
        const k = `${subject}\u0000${d.schema}`;
        if (!this.ids.has(k)) todo.set(k, [subject, d.schema]);
      }
    }
    this.refused.clear();
    if (todo.size === 0) return;
    if (!this.registry) throw new Error('an Avro record needs a schema registry, but no registry URL is configured');
    const registry = this.registry;
    await Promise.all(
      [...todo].map(async ([k, [subject, schema]]) => {
        try {
          this.ids.set(k, await registry.register(subject, schema));
        } catch (e) {
          // A refusal (4xx: incompatible, invalid) will not heal by retrying: the records using this
          // schema fail conversion (dead letter or task failure). Anything else (unreachable, 5xx)
          // propagates so the batch is retried.
          const status = (e as { details?: { status?: number } }).details?.status;
          if (status !== undefined && status >= 400 && status < 500) this.refused.set(k, (e as Error).message);
          else throw e;
        }
      }),
    );
  }

  /** Encode one datum; prepare() must have seen it. */
  encode(topic: string, suffix: '-key' | '-value', d: Datum): Buffer | null {
    const conv = suffix === '-key' ? this.keyConverter : this.valueConverter;
    if (conv.kind !== 'avro') return encodeWith(conv, d);
    if (d.kind === 'raw') return d.bytes;
    const k = `${topic}${suffix}\u0000${d.schema}`;
    const refused = this.refused.get(k);
    if (refused !== undefined) throw new BridgeError(BridgeErrorCodes.REGISTRY, refused);
    const id = this.ids.get(k);
    if (id === undefined) throw new Error(`schema for ${topic}${suffix} is not registered yet`);
    return confluentFrame(id, avroType(d.schema).toBuffer(d.value));
  }
}
