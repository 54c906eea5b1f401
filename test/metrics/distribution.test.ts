import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createDistribution } from '../../src/metrics/distribution.js';
import { seededRandom } from '../helpers/random.js';

test('count, sum, min and max are exact; p50 and p99 within 2% of the sorted samples', () => {
  const random = seededRandom(5);
  const d = createDistribution();
  const samples = Array.from({ length: 20_000 }, () => Math.exp(random() * 9)); // 1 .. 8,100, skewed
  samples.forEach((v) => d.add(v));
  const taken = d.take();
  const sorted = [...samples].sort((a, b) => a - b);
  assert.is(taken.count, samples.length);
  assert.ok(Math.abs(taken.sum - samples.reduce((a, b) => a + b, 0)) < 1e-6 * taken.sum);
  assert.is(taken.min, sorted[0]);
  assert.is(taken.max, sorted.at(-1));
  for (const [p, got] of [[50, taken.p50], [99, taken.p99]] as const) {
    const exact = sorted[Math.ceil((p / 100) * sorted.length) - 1];
    assert.ok(Math.abs(got - exact) <= 0.02 * exact + 1, `p${p}: ${got} vs ${exact}`);
  }
});

test('small integers (retries, records per request) are counted exactly; take() starts afresh', () => {
  const d = createDistribution();
  for (const v of [0, 0, 0, 1, 1, 2, 7]) d.add(v);
  assert.equal(d.take(), { count: 7, sum: 11, min: 0, max: 7, p50: 1, p99: 7 });
  assert.equal(d.take(), { count: 0, sum: 0, min: 0, max: 0, p50: 0, p99: 0 });
});

test.run();
