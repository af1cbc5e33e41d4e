// Dynamic broker configs: what kafka-configs --entity-type brokers --entity-name N / --entity-default and
// kafka-reassign-partitions --throttle set through IncrementalAlterConfigs (and legacy AlterConfigs) on
// the BROKER resource (type 4): per node (resource name "1", Kafka's DYNAMIC_BROKER_CONFIG) or cluster-wide
// defaults (resource name "", DYNAMIC_DEFAULT_BROKER_CONFIG). DescribeConfigs reports them with Kafka's
// sources and synonyms. Persisted as <dataDir>/broker-configs.json (temporary file, then rename).
//
// A single node replicates nothing and runs its maintenance on one timer, so none of these change what
// the broker does: the replication throttles limit no traffic, log.cleaner.* and num.*.threads are
// recorded only. Configs the broker takes at start (message.max.bytes, log.retention.*, ...) are
// refused with a message naming the start option, rather than accepted and then ignored; names Kafka
// cannot change dynamically get Kafka's own refusal. Names Kafka does not know are kept, as Kafka does
// (it describes them as sensitive, value null).

import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BrokerError, BrokerErrorCode } from '../errors.ts';
import { ConfigType } from './topic-configs.ts';

const { BOOLEAN, INT, LONG, DOUBLE } = ConfigType;
const MAX_LONG = '9223372036854775807';

/** Dynamic broker configs this broker accepts: Kafka's default (null: none listed) and config type. */
export const DYNAMIC_BROKER_CONFIGS: Readonly<Record<string, { default: string | null; type: number }>> = {
  'leader.replication.throttled.rate': { default: null, type: LONG },
  'follower.replication.throttled.rate': { default: null, type: LONG },
  'replica.alter.log.dirs.io.max.bytes.per.second': { default: null, type: LONG },
  'log.cleaner.threads': { default: '1', type: INT },
  'log.cleaner.io.max.bytes.per.second': { default: '1.7976931348623157E308', type: DOUBLE },
  'log.cleaner.dedupe.buffer.size': { default: '134217728', type: LONG },
  'log.cleaner.io.buffer.size': { default: '524288', type: INT },
  'log.cleaner.io.buffer.load.factor': { default: '0.9', type: DOUBLE },
  'log.cleaner.backoff.ms': { default: '15000', type: LONG },
  'num.io.threads': { default: '8', type: INT },
  'num.network.threads': { default: '3', type: INT },
  'num.replica.fetchers': { default: '1', type: INT },
  'num.recovery.threads.per.data.dir': { default: '2', type: INT },
  'background.threads': { default: '10', type: INT },
  'min.insync.replicas': { default: '1', type: INT },
  'unclean.leader.election.enable': { default: 'false', type: BOOLEAN },
};

/** Static broker settings Kafka can change dynamically but this broker takes only at start. */
const START_OPTIONS: Readonly<Record<string, string>> = {
  'message.max.bytes': 'messageMaxBytes',
  'num.partitions': 'defaultPartitions',
  'auto.create.topics.enable': 'autoCreateTopics',
  'log.retention.hours': 'none (set retention.ms per topic)',
  'log.retention.ms': 'none (set retention.ms per topic)',
  'log.retention.bytes': 'none (set retention.bytes per topic)',
  'log.segment.bytes': 'none (set segment.bytes per topic)',
  'log.cleanup.policy': 'none (set cleanup.policy per topic)',
  'compression.type': 'none (set compression.type per topic)',
};

/** Kafka's read-only broker configs (a subset: the ones this broker lists, and the usual suspects). */
const READ_ONLY = new Set([
  'node.id',
  'broker.id',
  'process.roles',
  'log.dirs',
  'log.dir',
  'controller.quorum.voters',
  'controller.listener.names',
  'default.replication.factor',
  'offsets.topic.replication.factor',
  'transaction.state.log.replication.factor',
  'group.min.session.timeout.ms',
  'group.max.session.timeout.ms',
  'group.initial.rebalance.delay.ms',
  'delete.topic.enable',
]);

const TYPE_NAME: Readonly<Record<number, string>> = {
  [BOOLEAN]: 'BOOLEAN',
  [INT]: 'INT',
  [LONG]: 'LONG',
  [DOUBLE]: 'DOUBLE',
};

/** Why `name=value` cannot be set dynamically (Kafka answers INVALID_REQUEST), or null when it can. */
export function brokerConfigProblem(name: string, value: string | null): string | null {
  if (READ_ONLY.has(name) || name === 'listeners' || name === 'advertised.listeners')
    return `Cannot update these configs dynamically: Set(${name})`;
  const option = START_OPTIONS[name];
  if (option !== undefined)
    return `${name} is fixed when the embedded broker starts (option: ${option}); restart it with the new value`;
  const def = DYNAMIC_BROKER_CONFIGS[name];
  if (!def || value === null) return null;
  const bad = `Invalid value ${value} for configuration ${name}: Not a number of type ${TYPE_NAME[def.type]}`;
  const v = value.trim();
  switch (def.type) {
    case INT:
      return /^-?\d+$/.test(v) && Math.abs(Number(v)) <= 2 ** 31 - 1 ? null : bad;
    case LONG:
      return /^-?\d+$/.test(v) && BigInt(v) <= BigInt(MAX_LONG) && BigInt(v) >= -BigInt(MAX_LONG) - 1n ? null : bad;
    case DOUBLE:
      return v !== '' && Number.isFinite(Number(v)) ? null : bad;
    case BOOLEAN:
      return v.toLowerCase() === 'true' || v.toLowerCase() === 'false'
        ? null
        : `Invalid value ${value} for configuration ${name}: Expected value to be either true or false`;
    default:
      return null;
  }
}

export type BrokerConfigScope = 'default' | 'node';

interface Saved {
  version: 1;
  /** Cluster-wide dynamic defaults (resource name ""). */
  defaults: Record<string, string>;
  /** Per node id. */
  nodes: Record<string, Record<string, string>>;
}

export class BrokerConfigStore {
  #defaults: Record<string, string>;
  readonly #nodes: Map<string, Record<string, string>>;
  readonly #file: string | null;
  #saving: Promise<void> = Promise.resolve();

  private constructor(file: string | null, saved: Saved) {
    this.#file = file;
    this.#defaults = { ...saved.defaults };
    this.#nodes = new Map(Object.entries(saved.nodes).map(([k, v]) => [k, { ...v }]));
  }

  /**
   * A new cluster starts with min.insync.replicas=1 as a dynamic default, as `kafka-storage format` of
   * Apache Kafka 4.x writes it (eligible leader replicas need a cluster-level value).
   */
  static async open(dataDir: string | null): Promise<BrokerConfigStore> {
    const file = dataDir === null ? null : join(dataDir, 'broker-configs.json');
    const fresh: Saved = { version: 1, defaults: { 'min.insync.replicas': '1' }, nodes: {} };
    if (file === null) return new BrokerConfigStore(null, fresh);
    let text: string | null = null;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (text === null) return new BrokerConfigStore(file, fresh);
    let parsed: Partial<Saved>;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new BrokerError(
        BrokerErrorCode.BAD_BROKER_CONFIGS,
        `${file} is not valid JSON (${(e as Error).message}); restore it or remove it (the dynamic broker configs are lost)`,
      );
    }
    return new BrokerConfigStore(file, { version: 1, defaults: parsed.defaults ?? {}, nodes: parsed.nodes ?? {} });
  }

  defaults(): Readonly<Record<string, string>> {
    return this.#defaults;
  }

  node(nodeId: number): Readonly<Record<string, string>> {
    return this.#nodes.get(String(nodeId)) ?? {};
  }

  /** Replace the dynamic defaults (nodeId null) or one node's dynamic configs. */
  async set(nodeId: number | null, configs: Record<string, string>): Promise<void> {
    if (nodeId === null) this.#defaults = { ...configs };
    else if (Object.keys(configs).length === 0) this.#nodes.delete(String(nodeId));
    else this.#nodes.set(String(nodeId), { ...configs });
    const file = this.#file;
    if (file === null) return;
    const saved: Saved = { version: 1, defaults: this.#defaults, nodes: Object.fromEntries(this.#nodes) };
    const text = `${JSON.stringify(saved, null, 1)}\n`;
    this.#saving = this.#saving.then(async () => {
      await writeFile(`${file}.tmp`, text);
      await rename(`${file}.tmp`, file);
    });
    await this.#saving;
  }
}
