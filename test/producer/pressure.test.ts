import { Readable } from 'node:stream';
import { Subject, range, tap } from 'rxjs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BufferOverflowError } from '../../src/errors.js';
import { createProducer } from '../../src/producer/create-producer.js';
import type { ProducerOptions } from '../../src/producer/options.js';
import { fillOf, pressureLevel, type Pressure, type PressureLevel } from '../../src/producer/pressure.js';
import type { ProducerSignal } from '../../src/producer/signals.js';
import { pullFrom } from '../../src/pull-from.js';
import type { PutOutcome } from '../../src/records/outcome.js';
import { evenShards, hang, ok, scriptedClient } from '../helpers/scripted-client.js';
import { createVirtualTime } from '../helpers/virtual-time.js';

const limits = { maxBufferedRecords: 100, maxBufferedBytes: 1_000_000, highWatermark: 0.8, lowWatermark: 0.5 };
const bounds = { ...limits, maxWaitMs: 10_000 };

const levels = suite('pressure levels');
levels('high at the high watermark of any bound, back to ok only below the low one of all, full at a memory maximum', () => {
  const level = (records: number, bytes: number, waitMs: number, previous: PressureLevel) =>
    pressureLevel(fillOf(records, bytes, waitMs, bounds), records >= 100 || bytes >= 1_000_000, previous, bounds);
  assert.is(level(79, 0, 0, 'ok'), 'ok');
  assert.is(level(80, 0, 0, 'ok'), 'high');
  assert.is(level(60, 0, 0, 'high'), 'high');
  assert.is(level(50, 0, 0, 'high'), 'ok');
  assert.is(level(100, 0, 0, 'high'), 'full');
  assert.is(level(10, 800_000, 0, 'ok'), 'high', 'bytes count too');
  assert.is(level(10, 0, 7_999, 'ok'), 'ok');
  assert.is(level(10, 0, 8_000, 'ok'), 'high', 'so does the expected wait');
  assert.is(level(10, 0, 12_000, 'ok'), 'high', 'a wait past the bound is high, not full: other shards still take values');
  assert.is(level(10, 0, 5_001, 'high'), 'high');
  assert.is(level(10, 0, 5_000, 'high'), 'ok');
});
levels.run();

/** A producer whose requests hang until `release()`, on virtual time. */
function stalled(options: Partial<ProducerOptions>, shards = evenShards(1)) {
  const time = createVirtualTime();
  let open: (() => void)[] = [];
  let stall = true;
  const { client, puts } = scriptedClient({
    shards,
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

const time = suite('pressure from time: what a shard can send within a third of a TTL (virtual time)');
// The stalled producer measures no rate: each shard is assumed to take the service's 1000 records/s. A TTL of
// 3 s lets a value wait 1 s: 1000 records of one shard, high at 800 (its watermark), ok again below 500.
const ttl = { recordTtlMs: 3000, maxBufferedRecords: 100_000 };
/** A first value makes the producer load its shard map, so the flood that follows is routed as it arrives. */
async function prime(input: Subject<number>, clock: ReturnType<typeof createVirtualTime>) {
  input.next(-1);
  await clock.advance(1);
}
time('pressure$ turns high when a value arriving now would wait past the high share of a third of the TTL, with the wait it reports', async () => {
  const { time: clock, producer, release } = stalled(ttl);
  const seen: Pressure[] = [];
  producer.pressure$.subscribe((p) => seen.push(p));
  const input = new Subject<number>();
  const outcomes: PutOutcome<number>[] = [];
  input.pipe(producer.put(() => ({ partitionKey: 'one-key', data: 'x' }))).subscribe((o) => outcomes.push(o));
  await prime(input, clock);
  for (let i = 0; i < 900; i++) input.next(i);
  await clock.advance(20);
  assert.equal(seen.map((p) => p.level), ['ok', 'high']);
  assert.ok(seen[1].expectedWaitMs >= 800 && seen[1].expectedWaitMs < 801, `wait ${seen[1].expectedWaitMs}`);
  assert.is(seen[1].shardId, 'shardId-000000000000');
  assert.is(seen[1].bufferedRecords, 800 + seen[1].inFlight, 'what waits, plus what is in flight');
  release();
  await clock.advance(1000);
  assert.equal(seen.map((p) => p.level), ['ok', 'high', 'ok']);
  assert.is(outcomes.filter((o) => o.ok).length, 901);
});
time("'dropIncoming': a value that would wait past a third of its TTL is dropped when it arrives, and nothing expires", async () => {
  const { time: clock, producer, release } = stalled({ ...ttl, overflow: 'dropIncoming' });
  const outcomes: { o: PutOutcome<number>; at: number }[] = [];
  const input = new Subject<number>();
  input.pipe(producer.put(() => ({ partitionKey: 'one-key', data: 'x' }))).subscribe((o) => outcomes.push({ o, at: clock.scheduler.now() }));
  await prime(input, clock);
  const arrival = clock.scheduler.now();
  for (let i = 0; i < 1500; i++) input.next(i);
  await clock.advance(500);
  const dropped = outcomes.filter(({ o }) => !o.ok);
  assert.ok(dropped.length >= 490 && dropped.length <= 510, `${dropped.length} dropped`);
  assert.ok(dropped.every(({ o, at }) => !o.ok && o.error.code === 'Dropped' && at === arrival && /would wait \d+ ms for shardId-000000000000/.test(o.error.message)));
  release();
  input.complete();
  await clock.runAll();
  assert.is(outcomes.length, 1501);
  assert.is(outcomes.filter(({ o }) => !o.ok && o.error.code === 'Expired').length, 0);
});
time("'dropOldest': the oldest waiting values of the same shard make room; another shard's values stay", async () => {
  const { time: clock, producer, release } = stalled({ ...ttl, overflow: 'dropOldest', maxInFlightPerShard: 1 }, evenShards(2));
  const outcomes: PutOutcome<number>[] = [];
  const input = new Subject<number>();
  // Value 0 waits on shard 0; the flood goes to shard 1 (explicit hash keys).
  input.pipe(producer.put((v) => ({ partitionKey: 'k', data: 'x', explicitHashKey: v === 0 ? '0' : (1n << 127n).toString() }))).subscribe((o) => outcomes.push(o));
  await prime(input, clock);
  for (let i = 0; i < 1500; i++) input.next(i);
  await clock.advance(10);
  release();
  input.complete();
  await clock.runAll();
  assert.is(outcomes.length, 1501);
  const dropped = outcomes.filter((o) => !o.ok).map((o) => o.value);
  assert.ok(dropped.length > 400, `${dropped.length} dropped`);
  assert.ok(dropped.every((v, i) => v > 0 && (i === 0 || v > dropped[i - 1])), 'the oldest of the busy shard go first');
  assert.ok(outcomes.find((o) => o.value === 0)!.ok);
  assert.ok(outcomes.find((o) => o.value === 1499)!.ok, 'the newest value is kept');
  assert.is(outcomes.filter((o) => !o.ok && o.error.code === 'Expired').length, 0);
});
time("'fail': the value that would wait too long fails with BufferOverflow when it arrives; what was held is sent", async () => {
  const { time: clock, producer, release } = stalled({ ...ttl, overflow: 'fail' });
  const outcomes: PutOutcome<number>[] = [];
  let error: unknown;
  const input = new Subject<number>();
  input.pipe(producer.put(() => ({ partitionKey: 'one-key', data: 'x' }))).subscribe({ next: (o) => outcomes.push(o), error: (e) => (error = e) });
  await prime(input, clock);
  for (let i = 0; i < 2000; i++) input.next(i);
  release();
  await clock.runAll();
  assert.ok(error instanceof BufferOverflowError);
  const failed = outcomes.filter((o) => !o.ok);
  assert.is(failed.length, 1);
  assert.ok(!failed[0].ok && /would wait/.test(failed[0].error.message));
  assert.is(outcomes.filter((o) => o.ok).length, outcomes.length - 1);
});
time('pullFrom holds no more than the shards can send within the high share of a third of the TTL, and nothing expires', async () => {
  const { time: clock, producer, release } = stalled(ttl);
  let pulled = 0;
  let decided = 0;
  let maxHeld = 0;
  let completed = false;
  const outcomes: PutOutcome<number>[] = [];
  pullFrom((function* () { for (let i = 0; i < 5000; i++) { maxHeld = Math.max(maxHeld, ++pulled - decided); yield i; } })(), producer)
    .pipe(producer.put((v) => ({ partitionKey: `k${v % 7}`, data: 'x', explicitHashKey: '0' })))
    .subscribe({ next: (o) => (decided++, outcomes.push(o)), complete: () => (completed = true) });
  await clock.advance(100);
  assert.ok(pulled <= 811, `pulled ${pulled} while the endpoint stalls`);
  release();
  await clock.runAll();
  assert.ok(completed);
  assert.is(outcomes.filter((o) => o.ok).length, 5000);
  assert.ok(maxHeld <= 811, `held at most ${maxHeld}`);
});
time.run();
