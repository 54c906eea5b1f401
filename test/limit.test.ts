import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createAdaptiveRate } from '../src/limit/adaptive-rate.js';
import { batchWeight, createRefill } from '../src/limit/token-bucket.js';
import { createVirtualTime } from './helpers/virtual-time.js';

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
bucket('refill counts exact elapsed time and carries fractions', () => {
  const refill = createRefill();
  let total = 0;
  for (let i = 0; i < 1000; i++) total += refill(1000, 3.7);
  assert.is(total, 3700);
});
bucket('a batch weighs the larger of its records and its bytes share', () => {
  assert.is(batchWeight(500, 50_000, 1000, 1024 * 1024), 500);
  assert.is(batchWeight(10, 1024 * 1024, 1000, 1024 * 1024), 1000);
  assert.is(batchWeight(1, 1025, 1000, 1024 * 1024), 1);
  assert.is(batchWeight(1, 2000, 1000, 1024 * 1024), 2);
});
bucket.run();
