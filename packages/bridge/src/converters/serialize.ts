// Turns converted records into Kafka key/value bytes the way the Confluent AvroConverter does:
// schemas registered under <topic>-key and <topic>-value (TopicNameStrategy), bytes framed as
// magic 0 + 4-byte schema id + Avro binary. Ids are cached per (subject, schema); a batch with
// unseen schemas registers them once before any of its records is encoded.
// Hot path: the caches are nested maps keyed by the topic and by the schema text itself. Schema
// texts are long, cached strings whose hash V8 keeps, so a lookup costs nothing; a concatenated
// "subject + schema" key would be copied and hashed anew for every record (it was ~15% of the
// lab's CPU in the seed benchmark).
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
  /** topic → suffix → schema text → id */
  private readonly ids = new Map<string, SubjectCache>();
  /** Schemas the registry refused (HTTP 4xx, e.g. 409 incompatible) in the last prepare(). */
  private readonly refused = new Map<string, SubjectCache<string>>();
  constructor(
    private readonly registry: SchemaRegistry | undefined,
    converters: { key?: WorkerConverter; value?: WorkerConverter } = {},
  ) {
    this.keyConverter = converters.key ?? AVRO;
    this.valueConverter = converters.value ?? AVRO;
  }

  /** Register every schema of these (topic, datum) pairs that is not cached yet. */
  async prepare(items: Iterable<{ topic: string; key: Datum; value: Datum }>): Promise<void> {
    let todo: [topic: string, suffix: Suffix, schema: string][] | null = null;
    const keyAvro = this.keyConverter.kind === 'avro';
    const valueAvro = this.valueConverter.kind === 'avro';
    for (const it of items) {
      if (keyAvro && it.key.kind === 'avro' && lookup(this.ids, it.topic, '-key', it.key.schema) === undefined) {
        (todo ??= []).push([it.topic, '-key', it.key.schema]);
      }
      if (
        valueAvro &&
        it.value.kind === 'avro' &&
        lookup(this.ids, it.topic, '-value', it.value.schema) === undefined
      ) {
        (todo ??= []).push([it.topic, '-value', it.value.schema]);
      }
    }
    this.refused.clear();
    if (todo === null) return;
    if (!this.registry) throw new Error('an Avro record needs a schema registry, but no registry URL is configured');
    const registry = this.registry;
    const unique = new Map<string, [string, Suffix, string]>();
    for (const t of todo) unique.set(`${t[0]}${t[1]}\u0000${t[2]}`, t);
    await Promise.all(
      [...unique.values()].map(async ([topic, suffix, schema]) => {
        try {
          store(this.ids, topic, suffix, schema, await registry.register(topic + suffix, schema));
        } catch (e) {
          // A refusal (4xx: incompatible, invalid) will not heal by retrying: the records using this
          // schema fail conversion (dead letter or task failure). Anything else (unreachable, 5xx)
          // propagates so the batch is retried.
          const status = (e as { details?: { status?: number } }).details?.status;
          if (status !== undefined && status >= 400 && status < 500)
            store(this.refused, topic, suffix, schema, (e as Error).message);
          else throw e;
        }
      }),
    );
  }

  /** Encode one datum; prepare() must have seen it. */
  encode(topic: string, suffix: Suffix, d: Datum): Buffer | null {
    const conv = suffix === '-key' ? this.keyConverter : this.valueConverter;
    if (conv.kind !== 'avro') return encodeWith(conv, d);
    if (d.kind === 'raw') return d.bytes;
    const refused = this.refused.size > 0 ? lookup(this.refused, topic, suffix, d.schema) : undefined;
    if (refused !== undefined) throw new BridgeError(BridgeErrorCodes.REGISTRY, refused);
    const id = lookup(this.ids, topic, suffix, d.schema);
    if (id === undefined) throw new Error(`schema for ${topic}${suffix} is not registered yet`);
    return confluentFrame(id, d.encoded ?? avroType(d.schema).toBuffer(d.value));
  }
}

type Suffix = '-key' | '-value';
type SubjectCache<T = number> = { '-key': Map<string, T>; '-value': Map<string, T> };

function lookup<T>(cache: Map<string, SubjectCache<T>>, topic: string, suffix: Suffix, schema: string): T | undefined {
  return cache.get(topic)?.[suffix].get(schema);
}

function store<T>(cache: Map<string, SubjectCache<T>>, topic: string, suffix: Suffix, schema: string, v: T): void {
  let c = cache.get(topic);
  if (!c) cache.set(topic, (c = { '-key': new Map(), '-value': new Map() }));
  c[suffix].set(schema, v);
}
