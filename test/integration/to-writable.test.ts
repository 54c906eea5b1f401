import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BufferOverflowError, KinesisStreamError } from '../../src/errors.js';
import { createProducer } from '../../src/producer/create-producer.js';
import type { PressureLevel } from '../../src/producer/pressure.js';
import { startLocalKinesis, type LocalKinesis } from '../../src/testing/index.js';
import { toWritable } from '../../src/to-writable-node.js';
import type { PutOutcome } from '../../src/records/outcome.js';
import { withTimeout } from '../browser/browser.js';
import { fileThroughWritable, writeLines } from '../helpers/file-through-writable.js';
import { readBack } from '../helpers/read-back.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const writable = suite('toWritable: a Node Writable into the local Kinesis (limits on)');
let local: LocalKinesis;
let scratch: string;
writable.before(async () => {
  local = await startLocalKinesis({ limits: true });
  scratch = mkdtempSync(join(tmpdir(), 'rxjs-kinesis-writable-'));
});
writable.after(async () => {
  await local?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const toRecord = (n: number) => ({ partitionKey: `device-${n % 100}`, data: `${n}` });
/** Every value stored, by its number. */
async function storedValues(streamName: string): Promise<number[]> {
  const client = local.client();
  const values = [...(await readBack(client, streamName)).values()].flat().map((r) => Number(Buffer.from(r.Data!).toString()));
  client.destroy();
  return values.sort((a, b) => a - b);
}

writable('final waits for every outcome: when pipeline resolves, every value has its outcome and is stored', withTimeout(30_000, async () => {
  await local.createStream('final', 2);
  const client = local.client();
  const producer = createProducer({ client, streamName: 'final' });
  const sink = toWritable(producer, toRecord);
  const outcomes: PutOutcome<number>[] = [];
  sink.on('outcome', (o: PutOutcome<number>) => outcomes.push(o));
  let finishedWith = -1;
  sink.on('finish', () => (finishedWith = outcomes.length));
  await pipeline(Readable.from(Array.from({ length: 3000 }, (_, i) => i)), sink);
  assert.is(finishedWith, 3000, "'finish' came after the last outcome");
  assert.is(outcomes.length, 3000);
  assert.is(sink.sent, 3000);
  assert.is(sink.failed, 0);
  await producer.close();
  client.destroy();
  assert.equal(await storedValues('final'), Array.from({ length: 3000 }, (_, i) => i));
}));

writable('a failed value is an outcome event and counted; the others go on', withTimeout(30_000, async () => {
  await local.createStream('invalid', 1);
  const client = local.client();
  const producer = createProducer({ client, streamName: 'invalid' });
  const sink = toWritable(producer, (n: number) => ({ partitionKey: n === 3 ? '' : `k${n}`, data: `${n}` }));
  const failed: PutOutcome<number>[] = [];
  sink.on('outcome', (o: PutOutcome<number>) => o.ok || failed.push(o));
  await pipeline(Readable.from([1, 2, 3, 4, 5]), sink);
  assert.is(failed.length, 1);
  assert.is(failed[0].value, 3);
  assert.is(!failed[0].ok && failed[0].error.code, 'InvalidRecord');
  assert.is(sink.sent, 4);
  assert.is(sink.failed, 1);
  await producer.close();
  client.destroy();
  assert.equal(await storedValues('invalid'), [1, 2, 4, 5]);
}));

writable('a stream that does not exist: the outcomes fail, then pipeline rejects with the KinesisStreamError', withTimeout(30_000, async () => {
  const client = local.client();
  const producer = createProducer({ client, streamName: 'no-such-stream' });
  const sink = toWritable(producer, toRecord);
  const codes: string[] = [];
  sink.on('outcome', (o: PutOutcome<number>) => codes.push(o.ok ? 'ok' : o.error.code));
  const error = await pipeline(Readable.from([1, 2, 3]), sink).then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof KinesisStreamError, String(error));
  assert.is((error as KinesisStreamError).code, 'ResourceNotFoundException');
  assert.ok(codes.length > 0 && codes.every((c) => c === 'ResourceNotFoundException'), codes.join());
  assert.ok(sink.destroyed);
  await producer.close();
  client.destroy();
}));

writable('a value that cannot fit (overflow policy fail): the stream is destroyed with the BufferOverflowError', withTimeout(30_000, async () => {
  await local.createStream('overflow', 1);
  const client = local.client();
  const producer = createProducer({ client, streamName: 'overflow', maxBufferedBytes: 1000 });
  const sink = toWritable(producer, (s: string) => ({ partitionKey: 'k', data: s }));
  const codes: string[] = [];
  sink.on('outcome', (o: PutOutcome<string>) => codes.push(o.ok ? 'ok' : o.error.code));
  const error = await pipeline(Readable.from(['small', 'x'.repeat(2000), 'never taken']), sink).then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof BufferOverflowError, String(error));
  assert.ok(codes.includes('BufferOverflow'), codes.join());
  assert.not.ok(codes.length > 2, 'nothing after the overflow');
  await producer.close();
  client.destroy();
}));

writable('a source that fails: pipeline rejects with its error, and every value already taken is still sent', withTimeout(30_000, async () => {
  await local.createStream('source-fails', 2);
  const client = local.client();
  const producer = createProducer({ client, streamName: 'source-fails' });
  let taken = 0;
  const sink = toWritable(producer, (n: number) => (taken++, toRecord(n)));
  async function* source() {
    for (let i = 0; i < 500; i++) yield i;
    throw new Error('disk gone');
  }
  const error = await pipeline(source, sink).then(() => undefined, (e: unknown) => e);
  assert.is((error as Error).message, 'disk gone');
  assert.ok(sink.destroyed);
  await producer.close();
  client.destroy();
  assert.is(taken, 500);
  assert.equal(await storedValues('source-fails'), Array.from({ length: 500 }, (_, i) => i));
}));

writable('pressure high: writes wait, so the source is read no faster than the producer drains', withTimeout(60_000, async () => {
  await local.createStream('pressure', 1);
  const client = local.client();
  const maxBufferedRecords = 200;
  const highWaterMark = 16;
  const producer = createProducer({ client, streamName: 'pressure', maxBufferedRecords });
  const levels: PressureLevel[] = [];
  producer.pressure$.subscribe((p) => levels.push(p.level));
  let generated = 0;
  let decided = 0;
  let mostAhead = 0;
  const sink = toWritable(producer, toRecord, { highWaterMark });
  sink.on('outcome', () => decided++);
  async function* source() {
    for (let i = 0; i < 3000; i++) {
      generated++;
      mostAhead = Math.max(mostAhead, generated - decided);
      yield i;
    }
  }
  await pipeline(source, sink);
  assert.ok(levels.includes('high'), `pressure turned high: ${levels.join(' ')}`);
  assert.not.ok(levels.includes('full'), 'never full: nothing was put while pressure was high');
  assert.is(sink.sent, 3000);
  // The producer holds at most maxBufferedRecords; the Writable queues highWaterMark; one more is being read.
  assert.ok(mostAhead <= maxBufferedRecords + highWaterMark + 1, `read ${mostAhead} values ahead of their outcomes`);
  await producer.close();
  client.destroy();
}));

// The same with 1,000,000 lines, and the heap measured, is `npm run bench:writable`.
writable('acceptance: a 100,000-line file through stream.pipeline, each line stored exactly once, memory bounded', withTimeout(120_000, async () => {
  const file = join(scratch, 'lines.txt');
  const count = 100_000;
  const maxBufferedRecords = 5000;
  await writeLines(file, count);
  const r = await fileThroughWritable({ local, streamName: 'file', shards: 4, file, count, maxBufferedRecords });
  console.log(`  ${r.lines} lines in ${r.seconds.toFixed(1)} s; most held ${r.mostHeld}, most read ahead ${r.mostRead}`);
  assert.is(r.lines, count);
  assert.is(r.sent, count);
  assert.is(r.failed, 0);
  assert.equal({ once: r.once, duplicates: r.duplicates, missing: r.missing }, { once: count, duplicates: 0, missing: 0 });
  assert.ok(r.mostHeld <= maxBufferedRecords, `held ${r.mostHeld}`);
  assert.ok(r.mostRead <= maxBufferedRecords + 16 + 1, `read ${r.mostRead} ahead`);
}));

writable.run();
