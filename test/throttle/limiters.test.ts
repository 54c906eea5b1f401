import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createAdaptiveRate } from '../../src/throttle/adaptive-rate.js';
import { createLocalLimiters } from '../../src/throttle/local-limiters.js';
import { batchWeight, createTokenBucket } from '../../src/throttle/token-bucket.js';
import { createVirtualTime } from '../helpers/virtual-time.js';

const aimd = suite('adaptive rate (AIMD) on virtual time');
aimd('a throttle cuts the rate by the factor, once per cooldown', async () => {
  const { scheduler, advance } = createVirtualTime();
  const r = createAdaptiveRate(1000, { decreaseFactor: 0.8, cooldownMs: 200, increasePerSecond: 0.05, minFraction: 0.05 });
  assert.ok(r.throttled(scheduler.now()));
  assert.is(r.rate, 800);
  await advance(100);
  assert.not.ok(r.throttled(scheduler.now()), 'inside the cooldown');
  assert.is(r.rate, 800);
  await advance(100);
  assert.ok(r.throttled(scheduler.now()));
  assert.is(r.rate, 640);
});
aimd('successes win the rate back linearly in time, up to the top', async () => {
  const { scheduler, advance } = createVirtualTime();
  const r = createAdaptiveRate(1000, { increasePerSecond: 0.05 });
  r.throttled(scheduler.now());
  const start = r.rate;
  await advance(2000);
  r.succeeded(scheduler.now());
  assert.is(Math.round(r.rate), Math.round(start + 100));
  await advance(60_000);
  r.succeeded(scheduler.now());
  assert.is(r.rate, 1000);
});
aimd('never falls below the floor', () => {
  const r = createAdaptiveRate(1000, { minFraction: 0.1, cooldownMs: 0 });
  for (let t = 0; t < 100; t++) r.throttled(t);
  assert.is(r.rate, 100);
});
aimd('a 50% cut in capacity: the rate settles near it and averages above 90% of it', () => {
  // A model of one shard: the service throttles whenever we run above its capacity.
  const capacity = 500;
  const r = createAdaptiveRate(1000);
  let sum = 0;
  let samples = 0;
  for (let t = 0; t <= 30_000; t += 50) {
    if (r.rate > capacity) r.throttled(t);
    else r.succeeded(t);
    if (t >= 5000) {
      sum += Math.min(r.rate, capacity);
      samples++;
    }
  }
  assert.ok(sum / samples >= 0.9 * capacity, `average ${sum / samples}`);
});
aimd.run();

const bucket = suite('token bucket arithmetic');
bucket('refill counts exact elapsed time, keeps fractions, and stops at the top', () => {
  const b = createTokenBucket(0, 0);
  for (let t = 3.7; t <= 3700.0001; t += 3.7) b.refill(1000, 10_000, t);
  assert.ok(Math.abs(b.tokens - 3700) < 1e-6, `${b.tokens}`);
  b.refill(1000, 3800, 10_000);
  assert.is(b.tokens, 3800);
  b.take(5000);
  assert.is(b.tokens, -1200, 'a request heavier than the bucket leaves it in debt');
  assert.is(b.waitFor(800, 1000), 2000);
});
bucket('a limiter charges a request heavier than its bucket in full, on virtual time', async () => {
  const time = createVirtualTime({ realTimers: true });
  const limiters = createLocalLimiters({ top: 1000, adaptive: false, scheduler: time.scheduler });
  const grantedAt: number[] = [];
  for (let i = 0; i < 3; i++) void limiters.acquire('s', 500).then(() => grantedAt.push(time.scheduler.now()));
  await time.advance(2000);
  // The bucket starts empty and fills up to the request waiting: each 500 gather in 500 ms.
  assert.equal(grantedAt, [500, 1000, 1500]);
  limiters.dispose();
});
bucket('a batch weighs the larger of its records and its bytes share', () => {
  assert.is(batchWeight(500, 50_000, 1000, 1024 * 1024), 500);
  assert.is(batchWeight(10, 1024 * 1024, 1000, 1024 * 1024), 1000);
  assert.is(batchWeight(1, 1025, 1000, 1024 * 1024), 1);
  assert.is(batchWeight(1, 2000, 1000, 1024 * 1024), (2000 * 1000) / (1024 * 1024), 'bytes-bound: the fraction is kept');
});
bucket.run();
