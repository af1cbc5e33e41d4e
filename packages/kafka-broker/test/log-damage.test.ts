// Storage that tells the truth: damaged bytes and bad checkpoint files injected on disk while the log
// is closed; recovery says what it cut and why, damaged closed segments are found and reads reaching
// them fail with KAFKA_STORAGE_ERROR (never a RangeError), bad checkpoints are refused.
import assert from 'node:assert/strict';
import { open, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { FileLog, type FileLogOptions } from '../src/log/file-log.ts';
import { LogError } from '../src/log/index.ts';
import { batch, readAll, T0, tempDir } from './log-support.ts';

const small: FileLogOptions = { segmentBytes: 4096, indexIntervalBytes: 512 };

async function filled(dir: string, batches = 60): Promise<string[]> {
  const log = await FileLog.open(dir, small);
  for (let i = 0; i < batches; i++) await log.append(batch(3, { tag: `b${i}`, pad: 80, ts: T0 + i * 10 }));
  await log.close();
  return (await readdir(dir)).filter((n) => n.endsWith('.log')).sort();
}

async function overwrite(file: string, pos: number, bytes: Buffer): Promise<void> {
  const fh = await open(file, 'r+');
  await fh.write(bytes, 0, bytes.length, pos);
  await fh.close();
}

function openWithWarnings(dir: string): Promise<{ log: FileLog; lines: string[] }> {
  const lines: string[] = [];
  return FileLog.open(dir, { ...small, warn: (l) => lines.push(l) }).then((log) => ({ log, lines }));
}

const storageError = (err: unknown) => {
  assert.ok(err instanceof LogError, `a LogError, not ${String(err)}`);
  assert.equal(err.code, 'SEAWAY_LOG_STORAGE_DAMAGED');
  assert.equal(err.kafkaErrorCode, 56);
  return true;
};

test('recovery of a damaged active segment logs what it cut, where and why', async (t) => {
  const dir = await tempDir(t);
  const files = await filled(dir);
  await rm(join(dir, 'clean-shutdown'));
  await overwrite(join(dir, files.at(-1) as string), 700, Buffer.alloc(16, 0xa5));
  const { log, lines } = await openWithWarnings(dir);
  t.after(() => log.close());
  assert.ok(log.openReport.truncatedBytes > 0);
  assert.equal(lines.length, 1, lines.join('\n'));
  assert.match(lines[0] as string, /recovery cut \d+ bytes from .*\.log at a CRC mismatch in the batch at byte \d+/);
  assert.match(lines[0] as string, /the log now ends at offset \d+ \(the previous run did not stop cleanly\)/);
  assert.deepEqual(log.openReport.problems, lines);
  assert.equal(log.storageProblem(), undefined, 'a cut tail leaves a usable log');
});

test('after an unclean stop a damaged closed segment is found; reads before it work, reads at it answer KAFKA_STORAGE_ERROR', async (t) => {
  const dir = await tempDir(t);
  const files = await filled(dir);
  assert.ok(files.length >= 4);
  await rm(join(dir, 'clean-shutdown'));
  // inside a record of the first segment, past its first batches
  await overwrite(join(dir, files[0] as string), 1500, Buffer.alloc(16, 0x5a));
  const { log, lines } = await openWithWarnings(dir);
  t.after(() => log.close());
  assert.equal(log.openReport.damaged.length, 1);
  assert.match(
    lines.join('\n'),
    /00000000000000000000\.log is damaged: a CRC mismatch in the batch at byte \d+ \(offset (\d+)\)/,
  );
  assert.match(log.storageProblem() ?? '', /cannot be read/);
  const bad = Number(/offset (\d+)\)/.exec(lines[0] as string)?.[1]);
  assert.ok(bad > 0);
  // before the damage: whole batches, none past it
  const first = await log.read(0, 1 << 20);
  assert.ok(first.length > 0);
  await assert.rejects(log.read(bad, 1 << 20), storageError);
  // later segments are whole
  const secondBase = Number((files[1] as string).slice(0, 20));
  assert.ok((await log.read(secondBase, 1 << 20)).length > 0);
});

test('a garbage batch header in a closed segment nobody verified fails the read with KAFKA_STORAGE_ERROR, not a RangeError', async (t) => {
  const dir = await tempDir(t);
  const files = await filled(dir);
  const seg = join(dir, files[0] as string);
  // the second batch's length field: a negative length, then a huge one
  const { log: probe } = await openWithWarnings(dir);
  const firstBatch = await probe.read(0, 1);
  await probe.close();
  const secondPos = firstBatch.readInt32BE(8) + 12;
  for (const length of [-7, 0x7ffffff0]) {
    const b = Buffer.alloc(4);
    b.writeInt32BE(length);
    await overwrite(seg, secondPos + 8, b);
    const { log } = await openWithWarnings(dir); // a clean stop: closed segments trust their index
    try {
      await assert.rejects(log.read(3, 1 << 20), storageError);
      await assert.rejects(readAll(log), storageError);
    } finally {
      await log.close();
    }
  }
});

test('a log-start-offset file that is not an offset, or is past the end, is refused with a message', async (t) => {
  for (const content of ['garbage\n', '-5\n', '99999999999\n', 'NaN']) {
    const dir = await tempDir(t);
    await filled(dir, 10);
    await writeFile(join(dir, 'log-start-offset'), content);
    const { log, lines } = await openWithWarnings(dir);
    try {
      assert.equal(log.logStartOffset, 0, `${JSON.stringify(content)} is not used`);
      assert.equal(lines.length, 1);
      assert.match(lines[0] as string, /refused .*log-start-offset/);
      assert.equal((await readAll(log)).length, 30, 'every record stays readable');
    } finally {
      await log.close();
    }
  }
  const dir = await tempDir(t);
  await filled(dir, 10);
  await writeFile(join(dir, 'log-start-offset'), '6\n');
  const { log, lines } = await openWithWarnings(dir);
  t.after(() => log.close());
  assert.equal(log.logStartOffset, 6, 'a good checkpoint is used');
  assert.deepEqual(lines, []);
});
