import { Subject, from } from 'rxjs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { KinesisStreamError } from '../../src/errors.js';
import { createProducer } from '../../src/producer/create-producer.js';
import type { ProducerOptions } from '../../src/producer/options.js';
import type { ProducerSignal } from '../../src/producer/signals.js';
import type { PutOutcome } from '../../src/records/outcome.js';
import { hang, ok, scriptedClient, serviceError, type PutHandler } from '../helpers/scripted-client.js';
import { createVirtualTime } from '../helpers/virtual-time.js';
import { SHARD_BYTES_PER_SECOND, SHARD_RECORDS_PER_SECOND } from '../../src/kinesis/limits.js';
import { grantSize } from '../../src/throttle/local-limiters.js';
import { TRANSIT_MARGIN } from '../../src/throttle/shard-limiters.js';

const record = (v: number) => ({ partitionKey: `k${v}`, data: `value-${v}` });

/** Runs values through a fresh producer on virtual time with a scripted client. */
async function run(values: number[], onPut?: PutHandler, options: Partial<ProducerOptions> = {}) {
  const time = createVirtualTime();
  const { client, puts } = scriptedClient({ onPut });
  const producer = createProducer({ client, streamName: 's', scheduler: time.scheduler, retry: { random: () => 0.5 }, rateLimit: false, ...options });
  const outcomes: PutOutcome<number>[] = [];
  const signals: ProducerSignal[] = [];
  producer.signals$.subscribe((s) => signals.push(s));
  let completed = false;
  let error: unknown;
  let lastOutcomeAt = 0;
  from(values)
    .pipe(producer.put(record))
    .subscribe({
      next: (o) => {
        outcomes.push(o);
        lastOutcomeAt = time.scheduler.now();
      },
      complete: () => (completed = true),
      error: (e) => (error = e),
    });
  await time.runAll();
  return { outcomes, signals, puts, completed, error, producer, lastOutcomeAt };
}

const values = (n: number) => Array.from({ length: n }, (_, i) => i);
const byValue = (outcomes: PutOutcome<number>[]) => new Map(outcomes.map((o) => [o.value, o]));

const basic = suite('producer: one outcome per value');
basic('sends everything and completes after the last outcome', async () => {
  const r = await run(values(1200));
  assert.is(r.outcomes.length, 1200);
  assert.is(new Set(r.outcomes.map((o) => o.value)).size, 1200);
  assert.ok(r.outcomes.every((o) => o.ok && o.attempts === 1 && o.shardId === 'shardId-000000000000'));
  assert.equal(r.puts.map((p) => p.Records!.length), [500, 500, 200]);
  assert.ok(r.completed);
});
basic('bad input gets a failed outcome and never breaks the stream', async () => {
  const r = await run([1, -1, 2], undefined);
  const time = createVirtualTime();
  const { client } = scriptedClient({});
  const producer = createProducer({ client, streamName: 's', scheduler: time.scheduler, rateLimit: false });
  const outcomes: PutOutcome<number>[] = [];
  let completed = false;
  from([1, -1, 2])
    .pipe(producer.put((v) => ({ partitionKey: v < 0 ? '' : `k${v}`, data: 'x' })))
    .subscribe({ next: (o) => outcomes.push(o), complete: () => (completed = true) });
  await time.runAll();
  const bad = outcomes.find((o) => o.value === -1)!;
  assert.ok(!bad.ok && bad.error.code === 'InvalidRecord' && /0 characters/.test(bad.error.message));
  assert.is(outcomes.filter((o) => o.ok).length, 2);
  assert.ok(completed && r.completed);
});
basic('flushes on completion without waiting for the linger time', async () => {
  const r = await run([1, 2, 3], undefined, { lingerMs: 60_000 });
  assert.is(r.outcomes.length, 3);
  assert.ok(r.lastOutcomeAt < 60_000, `last outcome at ${r.lastOutcomeAt} ms`);
});
basic.run();

const partial = suite('producer: partial failures');
partial('retries only the failed entries, with backoff, and counts attempts', async () => {
  const r = await run(values(10), (input, call) =>
    call === 1
      ? {
          FailedRecordCount: 3,
          Records: input.Records!.map((_, i) =>
            i % 4 === 1 ? { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded' } : ok({ Records: [{} as never] }).Records![0],
          ),
        }
      : ok(input),
  );
  assert.equal(r.puts.map((p) => p.Records!.length), [10, 3]);
  const outcomes = byValue(r.outcomes);
  assert.is(r.outcomes.length, 10);
  assert.ok([1, 5, 9].every((v) => outcomes.get(v)!.attempts === 2 && outcomes.get(v)!.ok));
  assert.ok([0, 2, 3].every((v) => outcomes.get(v)!.attempts === 1));
  const retry = r.signals.find((s) => s.type === 'retryScheduled');
  assert.equal(retry && { ...retry }, { type: 'retryScheduled', shardId: 'shardId-000000000000', attempt: 1, delayMs: 50, errorCode: 'ProvisionedThroughputExceededException', count: 3 });
});
partial('a per-entry error that is not retryable fails that entry with the service code', async () => {
  const r = await run([1, 2], (input) => ({
    FailedRecordCount: 1,
    Records: [{ ErrorCode: 'KMSAccessDeniedException', ErrorMessage: 'no key' }, ok(input).Records![1]],
  }));
  const o = byValue(r.outcomes);
  assert.equal(o.get(1), { ok: false, value: 1, error: { code: 'KMSAccessDeniedException', message: 'no key', retryable: false }, attempts: 1, index: 0 });
  assert.ok(o.get(2)!.ok);
  assert.is(r.puts.length, 1);
  // The stream's key is unusable: nothing else can be written either.
  assert.is((r.error as KinesisStreamError).code, 'KMSAccessDeniedException');
});
partial('a per-entry code nobody has seen is retried, not failed', async () => {
  const r = await run([1, 2], (input, call) =>
    call === 1 ? { FailedRecordCount: 1, Records: [{ ErrorCode: 'SomethingNew', ErrorMessage: '?' }, ok(input).Records![1]] } : ok(input),
  );
  assert.ok(r.outcomes.every((o) => o.ok));
  assert.is(byValue(r.outcomes).get(1)!.attempts, 2);
});
partial.run();

const request = suite('producer: request-level failures');
request('5xx and throttling retry the whole request; validation fails its records', async () => {
  const r = await run([1], (_input, call) => {
    if (call === 1) throw serviceError('InternalFailure', 500);
    if (call === 2) throw serviceError('ProvisionedThroughputExceededException', 400);
    return ok(_input);
  });
  assert.is(r.outcomes[0].ok, true);
  assert.is(r.outcomes[0].attempts, 3);
  const v = await run([1], () => {
    throw serviceError('ValidationException', 400, '1 validation error');
  });
  assert.equal(v.outcomes[0], { ok: false, value: 1, error: { code: 'ValidationException', message: '1 validation error', retryable: false }, attempts: 1, index: 0 });
  assert.ok(v.completed);
});
request('a request that never answers is aborted after requestTimeoutMs and retried', async () => {
  const r = await run([1], (input, call) => (call === 1 ? hang() : ok(input)), { requestTimeoutMs: 2000 });
  assert.ok(r.outcomes[0].ok);
  assert.is(r.outcomes[0].attempts, 2);
  assert.ok(r.signals.some((s) => s.type === 'batchSent' && s.errorCode === 'RequestTimeout'));
});
request('a missing stream fails every value, then the output errors with KinesisStreamError', async () => {
  const r = await run(values(700), () => {
    throw serviceError('ResourceNotFoundException', 400, 'Stream s under account 123 not found.');
  });
  assert.is(r.outcomes.length, 700);
  assert.ok(r.outcomes.every((o) => !o.ok && o.error.code === 'ResourceNotFoundException'));
  assert.ok(r.error instanceof KinesisStreamError);
  assert.is((r.error as KinesisStreamError).code, 'ResourceNotFoundException');
  assert.not.ok(r.completed);
});
request('an invalid request is split until only its bad entries fail; the others are sent', async () => {
  const bad = new Set([7, 31]);
  const r = await run(values(48), (input) => {
    if (input.Records!.some((e) => bad.has(Number(e.PartitionKey!.slice(1))))) throw serviceError('ValidationException', 400, '1 validation error detected');
    return ok(input);
  });
  assert.is(r.outcomes.length, 48);
  const failed = r.outcomes.filter((o) => !o.ok);
  assert.equal(failed.map((o) => o.value).sort((a, b) => a - b), [7, 31]);
  assert.ok(failed.every((o) => !o.ok && o.error.code === 'ValidationException' && !o.error.retryable));
  // Bisection: at most two requests per level for each bad entry.
  assert.ok(r.puts.length <= 1 + 2 * 2 * Math.ceil(Math.log2(48)), `${r.puts.length} requests`);
  assert.ok(r.completed);
});
request('a request whose fate is unknown is retried, and its values say they may be stored twice', async () => {
  const reset = () => Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
  const r = await run([1, 2], (input, call) => {
    if (call === 1) throw reset();
    return ok(input);
  });
  assert.ok(r.outcomes.every((o) => o.ok && o.possibleDuplicate === true && o.attempts === 2));
  const throttled = await run([1], (input, call) => {
    if (call === 1) throw serviceError('ProvisionedThroughputExceededException', 400);
    return ok(input);
  });
  assert.ok(throttled.outcomes[0].ok && throttled.outcomes[0].possibleDuplicate === undefined);
});
request('credentials that expire on two requests: retried, nothing fails', async () => {
  const r = await run(values(120), (input, call) => {
    if (call <= 2) throw serviceError('ExpiredTokenException', 400, 'The security token included in the request is expired');
    return ok(input);
  });
  assert.is(r.outcomes.filter((o) => o.ok).length, 120);
  assert.ok(r.completed && r.error === undefined);
});
request('no region: every value fails with ConfigError saying what to set, then the output errors', async () => {
  const r = await run([1, 2], () => {
    throw new Error('Region is missing');
  });
  assert.ok(r.outcomes.every((o) => !o.ok && o.error.code === 'ConfigError' && /AWS_REGION/.test(o.error.message) && o.attempts === 0));
  assert.is((r.error as KinesisStreamError).code, 'ConfigError');
});
request.run();

const ttl = suite('producer: recordTtlMs');
ttl('entries that keep failing expire with code Expired and every attempt counted', async () => {
  const r = await run([1, 2], (input) => ({
    FailedRecordCount: input.Records!.length,
    Records: input.Records!.map(() => ({ ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded' })),
  }), { recordTtlMs: 5000, retry: { baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.99 } });
  assert.is(r.outcomes.length, 2);
  for (const o of r.outcomes) {
    assert.ok(!o.ok && o.error.code === 'Expired' && o.error.retryable);
    assert.is(o.attempts, r.puts.length);
    if (!o.ok) assert.match(o.error.message, /ProvisionedThroughputExceededException/);
  }
  assert.ok(r.puts.length >= 5, `attempts ${r.puts.length}`);
  assert.ok(r.lastOutcomeAt <= 5000, `last outcome at ${r.lastOutcomeAt} ms`);
  assert.ok(r.signals.some((s) => s.type === 'expired' && s.count === 2));
});
ttl.run();

const lifecycle = suite('producer: close and shared use');
lifecycle('close() sends what is buffered, waits for every outcome, and later values fail with Closed', async () => {
  const time = createVirtualTime();
  const { client } = scriptedClient({});
  const producer = createProducer({ client, streamName: 's', scheduler: time.scheduler, lingerMs: 10_000, rateLimit: false });
  const input = new Subject<number>();
  const outcomes: PutOutcome<number>[] = [];
  input.pipe(producer.put(record)).subscribe((o) => outcomes.push(o));
  input.next(1);
  input.next(2);
  let closed = false;
  void producer.close().then(() => (closed = true));
  await time.advance(10);
  assert.ok(closed);
  assert.is(outcomes.filter((o) => o.ok).length, 2);
  input.next(3);
  assert.equal(outcomes[2], { ok: false, value: 3, error: { code: 'Closed', message: 'the producer was closed', retryable: false }, attempts: 0, index: 2 });
});
lifecycle('two pipelines share one producer and each completes on its own', async () => {
  const time = createVirtualTime();
  const { client, puts } = scriptedClient({});
  const producer = createProducer({ client, streamName: 's', scheduler: time.scheduler, rateLimit: false });
  const a: PutOutcome<number>[] = [];
  const b: PutOutcome<number>[] = [];
  let doneA = false;
  let doneB = false;
  from([1, 2]).pipe(producer.put(record)).subscribe({ next: (o) => a.push(o), complete: () => (doneA = true) });
  from([3]).pipe(producer.put(record)).subscribe({ next: (o) => b.push(o), complete: () => (doneB = true) });
  await time.runAll();
  assert.equal([a.length, b.length, doneA, doneB], [2, 1, true, true]);
  assert.is(puts.length, 1, 'both pipelines shared one batch');
});
lifecycle('an upstream error errors the output after the outcomes of what was already put', async () => {
  const time = createVirtualTime();
  const { client } = scriptedClient({});
  const producer = createProducer({ client, streamName: 's', scheduler: time.scheduler, rateLimit: false });
  const input = new Subject<number>();
  const outcomes: PutOutcome<number>[] = [];
  let error: unknown;
  input.pipe(producer.put(record)).subscribe({ next: (o) => outcomes.push(o), error: (e) => (error = e) });
  input.next(1);
  input.error(new Error('source failed'));
  assert.is(error, undefined);
  await time.runAll();
  assert.is(outcomes.length, 1);
  assert.is((error as Error).message, 'source failed');
});
lifecycle.run();

const order = suite('producer: retries go ahead of what queued meanwhile');
order('a retried value goes out in the next request, not behind the queue', async () => {
  const time = createVirtualTime();
  let call = 0;
  const { client, puts } = scriptedClient({
    onPut: (input) =>
      new Promise((resolve) => {
        const first = call++ === 0;
        const answer = ok(input);
        // The first request's first entry fails once; every answer takes 100 ms.
        if (first) answer.Records![0] = { ErrorCode: 'InternalFailure', ErrorMessage: 'try again' };
        time.scheduler.schedule(() => resolve({ ...answer, FailedRecordCount: first ? 1 : 0 }), 100);
      }),
  });
  const producer = createProducer({ client, streamName: 's', scheduler: time.scheduler, retry: { random: () => 0.5 }, rateLimit: false, maxBatchCount: 10, maxInFlightPerShard: 1 });
  const outcomes: PutOutcome<number>[] = [];
  from(values(60)).pipe(producer.put(record)).subscribe((o) => outcomes.push(o));
  await time.runAll();
  const keys = puts.map((p) => p.Records!.map((r) => r.PartitionKey));
  assert.equal(keys[0].slice(0, 2), ['k0', 'k1']);
  assert.equal(keys[1][0], 'k10', 'the retry is in backoff while the second request goes');
  assert.equal(keys[2].slice(0, 2), ['k0', 'k20'], 'then it leads the next request');
  assert.is(outcomes.length, 60);
  assert.ok(outcomes.every((o) => o.ok));
});
order.run();

const cut = suite('producer: a batch goes once it weighs what its shard grants at once');
cut('with limits on, a full grant goes without lingering; a part-filled batch still lingers', async () => {
  const time = createVirtualTime({ realTimers: true }); // Bottleneck's gate runs on real timers
  const { client, puts } = scriptedClient({});
  // Defaults: limits at 100% of the budget less the transit margin, 100 ms linger.
  const producer = createProducer({ client, streamName: 's', scheduler: time.scheduler });
  const grant = grantSize(SHARD_RECORDS_PER_SECOND * (1 - TRANSIT_MARGIN));
  const input = new Subject<number>();
  const outcomes: PutOutcome<number>[] = [];
  input.pipe(producer.put((i) => ({ partitionKey: 'k', data: `v${i}` }))).subscribe((o) => outcomes.push(o));
  await time.advance(1); // the shard map is in
  for (let i = 0; i < grant + 6; i++) input.next(i);
  // The shard's bucket starts empty: a grant's tokens are in after grant / 980 s, about 25 ms.
  await time.advance(Math.ceil((grant / (SHARD_RECORDS_PER_SECOND * (1 - TRANSIT_MARGIN))) * 1000) + 1);
  assert.equal(puts.map((p) => p.Records!.length), [grant], 'a whole grant went as soon as the budget allowed');
  await time.advance(97 - time.scheduler.now());
  assert.is(puts.length, 1, 'the 6 left linger');
  await time.advance(6);
  assert.equal(puts.map((p) => p.Records!.length), [grant, 6], 'and go when they have lingered');
  input.complete();
  await time.runAll();
  assert.is(outcomes.filter((o) => o.ok).length, grant + 6);
  await producer.close();
});
cut('bytes-bound: a grant holds the values whose bytes weigh it, counted with their fraction', async () => {
  const time = createVirtualTime({ realTimers: true }); // Bottleneck's gate runs on real timers
  const { client, puts } = scriptedClient({});
  const producer = createProducer({ client, streamName: 's', scheduler: time.scheduler });
  const grant = grantSize(SHARD_RECORDS_PER_SECOND * (1 - TRANSIT_MARGIN));
  const input = new Subject<number>();
  input.pipe(producer.put((i) => ({ partitionKey: 'k', data: 'x'.repeat(2047) + (i % 10) }))).subscribe();
  await time.advance(1);
  // Key and data: 2049 bytes, 1.954 units each against 1 MiB/s; rounded up to 2 units, one fewer would fit.
  const perValue = (2049 * SHARD_RECORDS_PER_SECOND) / SHARD_BYTES_PER_SECOND;
  const fit = Math.floor(grant / perValue);
  for (let i = 0; i <= fit; i++) input.next(i);
  await time.advance(40);
  assert.equal(puts.map((p) => p.Records!.length), [fit], 'before the linger ends');
  input.complete();
  await time.runAll();
  await producer.close();
});
cut.run();

const early = suite('producer: a linger timer that fires before its time');
early('a part-filled batch still goes when its timer fires early by the scheduler clock, with or without aggregation', async () => {
  for (const aggregation of [undefined, {}]) {
    const time = createVirtualTime();
    // Node counts a timer from the event loop's cached time, which a busy turn leaves up to some ms behind
    // the clock the values were stamped with: the timer fires that much early by that clock.
    const scheduler = {
      now: () => time.scheduler.now(),
      schedule: (work: () => void, delay = 0) => time.scheduler.schedule(work, delay > 2 ? delay - 2 : delay),
    } as unknown as ProducerOptions['scheduler'];
    const { client, puts } = scriptedClient({});
    const producer = createProducer({ client, streamName: 's', scheduler, rateLimit: false, aggregation });
    const input = new Subject<number>();
    const outcomes: PutOutcome<number>[] = [];
    input.pipe(producer.put(record)).subscribe((o) => outcomes.push(o));
    await time.advance(1); // the shard map is in
    for (let i = 0; i < 3; i++) input.next(i);
    await time.advance(97);
    assert.is(puts.length, 0, 'lingering');
    await time.advance(10);
    assert.is(puts.length, 1, `went once lingered (aggregation ${aggregation === undefined ? 'off' : 'on'})`);
    assert.is(outcomes.filter((o) => o.ok).length, 3);
    input.complete();
    await time.runAll();
    await producer.close();
  }
});
early.run();
