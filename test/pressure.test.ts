import { Readable } from 'node:stream';
import { Subject, range, tap } from 'rxjs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BufferOverflowError } from '../src/errors.js';
import { createProducer } from '../src/producer/create-producer.js';
import type { ProducerOptions } from '../src/producer/options.js';
import { pressureLevel, type Pressure } from '../src/producer/pressure.js';
import type { ProducerSignal } from '../src/producer/signals.js';
import { pullFrom } from '../src/pull-from.js';
import type { PutOutcome } from '../src/types.js';
import { hang, ok, scriptedClient } from './helpers/scripted-client.js';
import { createVirtualTime } from './helpers/virtual-time.js';

const limits = { maxBufferedRecords: 100, maxBufferedBytes: 1_000_000, highWatermark: 0.8, lowWatermark: 0.5 };

const levels = suite('pressure levels');
levels('high at the high watermark, back to ok only below the low one, full at the maximum', () => {
  assert.is(pressureLevel(79, 0, 'ok', limits), 'ok');
  assert.is(pressureLevel(80, 0, 'ok', limits), 'high');
  assert.is(pressureLevel(60, 0, 'high', limits), 'high');
  assert.is(pressureLevel(50, 0, 'high', limits), 'ok');
  assert.is(pressureLevel(100, 0, 'high', limits), 'full');
  assert.is(pressureLevel(10, 800_000, 'ok', limits), 'high', 'bytes count too');
});
levels.run();

/** A producer whose requests hang until `release()`, on virtual time. */
function stalled(options: Partial<ProducerOptions>) {
  const time = createVirtualTime();
  let open: (() => void)[] = [];
  let stall = true;
  const { client, puts } = scriptedClient({
    onPut: (input) => (stall ? new Promise((resolve) => open.push(() => resolve(ok(input)))) : ok(input)),
  });
  const producer = createProducer({
    client,
    streamName: 's',
    scheduler: time.scheduler,
    rateLimit: false,
    lingerMs: 10,
    requestTimeoutMs: 600_000,
    recordTtlMs: 600_000,
    maxInFlightPerShard: 1,
    maxBatchCount: 10,
    ...limits,
    ...options,
  });
  const release = () => {
    stall = false;
    open.splice(0).forEach((f) => f());
  };
  void hang;
  return { time, producer, puts, release };
}

const watermarks = suite('pressure$ on a stalled endpoint');
watermarks('goes high, then ok once drained below the low watermark', async () => {
  const { time, producer, release } = stalled({});
  const seen: Pressure[] = [];
  producer.pressure$.subscribe((p) => seen.push(p));
  const input = new Subject<number>();
  const outcomes: PutOutcome<number>[] = [];
  input.pipe(producer.put((v) => ({ partitionKey: `k${v}`, data: 'x' }))).subscribe((o) => outcomes.push(o));
  for (let i = 0; i < 85; i++) input.next(i);
  await time.advance(100);
  assert.equal(seen.map((p) => p.level), ['ok', 'high']);
  assert.is(seen[1].bufferedRecords, 80);
  assert.ok(seen[1].inFlight <= 10);
  release();
  await time.advance(1000);
  assert.equal(seen.map((p) => p.level), ['ok', 'high', 'ok']);
  assert.is(outcomes.length, 85);
});

const policies = suite('overflow policies');
policies("'fail': the value that does not fit fails, the rest get outcomes, then BufferOverflow", async () => {
  const { time, producer, release } = stalled({ overflow: 'fail' });
  const outcomes: PutOutcome<number>[] = [];
  let error: unknown;
  range(0, 150).pipe(producer.put((v) => ({ partitionKey: `k${v}`, data: 'x' }))).subscribe({ next: (o) => outcomes.push(o), error: (e) => (error = e) });
  await time.advance(100);
  assert.is(error, undefined, 'waits for the outcomes of what it holds');
  release();
  await time.runAll();
  assert.ok(error instanceof BufferOverflowError);
  assert.is(outcomes.length, 101, '100 held and sent, one failed, the rest never taken');
  assert.is(outcomes.filter((o) => o.ok).length, 100);
  const failed = outcomes.find((o) => !o.ok)!;
  assert.ok(!failed.ok && failed.error.code === 'BufferOverflow' && /maxBufferedRecords 100/.test(failed.error.message));
});
policies("'dropOldest': every dropped value gets a Dropped outcome and the counts add up", async () => {
  const { time, producer, release } = stalled({ overflow: 'dropOldest' });
  const signals: ProducerSignal[] = [];
  producer.signals$.subscribe((s) => signals.push(s));
  const outcomes: PutOutcome<number>[] = [];
  let completed = false;
  range(0, 1000).pipe(producer.put((v) => ({ partitionKey: `k${v}`, data: 'x' }))).subscribe({ next: (o) => outcomes.push(o), complete: () => (completed = true) });
  await time.advance(100);
  release();
  await time.runAll();
  assert.ok(completed);
  assert.is(outcomes.length, 1000);
  const dropped = outcomes.filter((o) => !o.ok && o.error.code === 'Dropped');
  const sent = outcomes.filter((o) => o.ok);
  assert.is(dropped.length + sent.length, 1000);
  assert.is(signals.filter((s) => s.type === 'dropped').reduce((n, s) => n + (s.type === 'dropped' ? s.count : 0), 0), dropped.length);
  assert.ok(sent.some((o) => o.value === 999), 'the newest value was kept');
  assert.ok(dropped.some((o) => o.value === 50), 'an old waiting value was dropped');
});
policies("'dropIncoming': values that do not fit are dropped, the ones held are sent", async () => {
  const { time, producer, release } = stalled({ overflow: 'dropIncoming' });
  const outcomes: PutOutcome<number>[] = [];
  range(0, 300).pipe(producer.put((v) => ({ partitionKey: `k${v}`, data: 'x' }))).subscribe((o) => outcomes.push(o));
  await time.advance(100);
  release();
  await time.runAll();
  assert.is(outcomes.length, 300);
  assert.is(outcomes.filter((o) => o.ok).length, 100);
  assert.ok(outcomes.filter((o) => !o.ok).every((o) => !o.ok && o.error.code === 'Dropped' && o.value >= 100));
});
policies.run();

watermarks('pullFrom pulls only while pressure is ok: held values never pass the high watermark', async () => {
  const { time, producer, release, puts } = stalled({});
  async function* lines() {
    for (let i = 0; i < 500; i++) yield `line ${i}`;
  }
  const outcomes: PutOutcome<string>[] = [];
  let maxHeld = 0;
  producer.pressure$.subscribe((p) => (maxHeld = Math.max(maxHeld, p.bufferedRecords)));
  let completed = false;
  pullFrom(lines(), producer)
    .pipe(producer.put((line) => ({ partitionKey: line, data: line })))
    .subscribe({ next: (o) => outcomes.push(o), complete: () => (completed = true) });
  await time.advance(100);
  assert.is(outcomes.length, 0);
  assert.ok(puts.length >= 1);
  release();
  await time.runAll();
  assert.ok(completed);
  assert.is(outcomes.filter((o) => o.ok).length, 500);
  assert.ok(maxHeld <= 80, `held at most ${maxHeld}`);
});
watermarks('pullFrom over a Node Readable: what it lets through minus what is decided never passes the high watermark', async () => {
  const { time, producer, release } = stalled({});
  const readable = Readable.from((function* () {
    for (let i = 0; i < 1000; i++) yield `row ${i}`;
  })());
  let pulled = 0;
  let decided = 0;
  let maxHeld = 0;
  let completed = false;
  pullFrom(readable, producer)
    .pipe(
      tap(() => (maxHeld = Math.max(maxHeld, ++pulled - decided))),
      producer.put((row) => ({ partitionKey: row, data: row })),
    )
    .subscribe({ next: (o) => (decided++, assert.ok(o.ok)), complete: () => (completed = true) });
  await time.advance(100);
  assert.is(pulled, 80, 'pulls stop at the high watermark while the endpoint stalls');
  release();
  await time.runAll();
  assert.ok(completed);
  assert.is(decided, 1000);
  assert.ok(maxHeld <= 80, `held at most ${maxHeld}`);
  assert.ok(readable.destroyed || readable.readableEnded, 'the stream was read to its end');
});
watermarks.run();
