import { Kafka, logLevel } from 'kafkajs';
import { startKafkaBroker } from '../src/index.ts';

const b = await startKafkaBroker({ port: 0, host: '127.0.0.1', dataDir: null });
const kafka = new Kafka({ brokers: [b.bootstrap], logLevel: logLevel.WARN });
const admin = kafka.admin();
await admin.connect();
await admin.createTopics({ topics: [{ topic: 't1', numPartitions: 3 }] });
console.log(await admin.listTopics());
const p = kafka.producer();
await p.connect();
console.log(
  await p.send({ topic: 't1', messages: [{ key: 'a', value: 'hello', headers: { h: 'x' } }, { value: 'world' }] }),
);
const c = kafka.consumer({ groupId: 'g1' });
await c.connect();
await c.subscribe({ topic: 't1', fromBeginning: true });
let n = 0;
await new Promise<void>((res) => {
  c.run({
    eachMessage: async ({ message, partition }) => {
      console.log(partition, message.offset, message.key?.toString(), message.value?.toString(), message.headers);
      if (++n === 2) res();
    },
  });
});
await c.disconnect();
await p.disconnect();
console.log(await admin.fetchOffsets({ groupId: 'g1', topics: ['t1'] }));
await admin.disconnect();
await b.close();
