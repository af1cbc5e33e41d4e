// Consumer group members run by real clients for the rebalance tests: kafkajs (in process), kcat -G
// (librdkafka 2.0.2), the current confluent-kafka from PyPI (fixtures/group_member.py), franz-go
// (fixtures/go-client) and sarama (fixtures/go-sarama), built by scripts/testing/needs.mjs goProgram, each with
// its default auto commit, and Kafka's Java VerifiableConsumer (spawned as java directly, so that
// SIGTERM reaches the JVM's shutdown hook). Each member reports every record it saw; stop() ends it
// the way a user would (disconnect / SIGTERM), which commits and leaves the group.

import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { libsDir } from '../../../scripts/kafka/kafka.mjs';

export interface Seen {
  partition: number;
  offset: number;
  value: string;
}

export interface GroupMember {
  readonly seen: Seen[];
  stop(): Promise<void>;
}

export type MemberFactory = (bootstrap: string, group: string, topic: string) => Promise<GroupMember>;

const fixtures = join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures');

export const kafkajsMember: MemberFactory = async (bootstrap, group, topic) => {
  const kafka = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING, clientId: 'rebalance-kafkajs' });
  const consumer = kafka.consumer({ groupId: group, sessionTimeout: 10_000, heartbeatInterval: 500 });
  const seen: Seen[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      seen.push({ partition, offset: Number(message.offset), value: message.value?.toString() ?? '' });
    },
  });
  return { seen, stop: () => consumer.disconnect() };
};

/** A child process printing one record per line; `parse` turns a line into a record (or null). */
function processMember(child: ChildProcess, parse: (line: string) => Seen | null): GroupMember {
  const seen: Seen[] = [];
  let rest = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    const lines = (rest + d).split('\n');
    rest = lines.pop() ?? '';
    for (const l of lines) {
      const r = parse(l);
      if (r) seen.push(r);
    }
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    seen,
    async stop() {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const code = await exited;
      clearTimeout(killer);
      if (code !== 0 && code !== 143) throw new Error(`member exited with ${code}: ${stderr}`);
    },
  };
}

const spaced = (line: string): Seen | null => {
  const m = /^(\d+) (\d+) (.*)$/.exec(line);
  return m ? { partition: Number(m[1]), offset: Number(m[2]), value: m[3] as string } : null;
};

export const kcatMember =
  (kcat: string): MemberFactory =>
  async (bootstrap, group, topic) =>
    processMember(
      spawn(
        kcat,
        [
          '-b',
          bootstrap,
          '-G',
          group,
          topic,
          '-q',
          '-f',
          '%p %o %s\\n',
          '-X',
          'auto.offset.reset=earliest',
          '-X',
          'session.timeout.ms=10000',
          '-u',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      ),
      spaced,
    );

export const confluentMember =
  (python: string): MemberFactory =>
  async (bootstrap, group, topic) =>
    processMember(
      spawn(python, [join(fixtures, 'group_member.py'), bootstrap, group, topic], {
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
      spaced,
    );

/** franz-go (fixtures/go-client/main.go `member`): its defaults, cooperative-sticky and autocommit. */
export const goMember =
  (program: string): MemberFactory =>
  async (bootstrap, group, topic) =>
    processMember(spawn(program, ['member', bootstrap, group, topic], { stdio: ['ignore', 'pipe', 'pipe'] }), spaced);

/** sarama (fixtures/go-sarama/main.go `member`): its defaults, range assignor and auto commit of marked offsets. */
export const saramaMember =
  (program: string): MemberFactory =>
  async (bootstrap, group, topic) =>
    processMember(spawn(program, ['member', bootstrap, group, topic], { stdio: ['ignore', 'pipe', 'pipe'] }), spaced);

const javaClasspath = () =>
  (readdirSync(libsDir) as string[])
    .filter((f) => f.endsWith('.jar'))
    .map((f) => join(libsDir, f))
    .join(':');

/**
 * Kafka's VerifiableConsumer (kafka-tools): commits synchronously after each poll (no auto commit),
 * --verbose prints a record_data JSON line per record. `extra` adds flags, e.g. --group-protocol consumer.
 */
export const javaMember =
  (extra: string[] = []): MemberFactory =>
  async (bootstrap, group, topic) =>
    processMember(
      spawn(
        'java',
        [
          '-Xmx256m',
          '-Dlog4j2.level=WARN',
          '-cp',
          javaClasspath(),
          'org.apache.kafka.tools.VerifiableConsumer',
          '--bootstrap-server',
          bootstrap,
          '--topic',
          topic,
          '--group-id',
          group,
          '--reset-policy',
          'earliest',
          // the consumer protocol (KIP-848) takes session timeouts from the broker only
          ...(extra.includes('consumer') ? [] : ['--session-timeout', '10000']),
          '--verbose',
          ...extra,
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      ),
      (line) => {
        if (!line.startsWith('{"timestamp"') && !line.includes('"record_data"')) return null;
        const e = JSON.parse(line) as { name: string; partition: number; offset: number; value: string };
        return e.name === 'record_data' ? { partition: e.partition, offset: e.offset, value: e.value } : null;
      },
    );
