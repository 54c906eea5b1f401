import { VirtualTimeScheduler } from 'rxjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMetrics } from '../../src/metrics/metrics.js';
import type { MetricsSnapshot } from '../../src/metrics/metrics.js';

const setup = () => {
  const scheduler = new VirtualTimeScheduler();
  let pending = 0;
  const metrics = createMetrics({ scheduler, intervalMs: 1000, streamName: 'events', pending: () => pending });
  return { scheduler, metrics, setPending: (n: number) => (pending = n) };
};
/** Runs the timers due up to now + ms, then moves the clock there. */
const advance = (s: VirtualTimeScheduler, ms: number) => {
  const until = s.now() + ms;
  s.maxFrames = until;
  s.flush();
  s.frame = until;
};

test('a snapshot per interval while subscribed, the stream the sum of its shards, a last one at close', () => {
  const { scheduler, metrics, setPending } = setup();
  const seen: MetricsSnapshot[] = [];
  let completed = false;
  metrics.metrics$.subscribe({ next: (s) => seen.push(s), complete: () => (completed = true) });
  metrics.received('shard-a');
  metrics.received('shard-b');
  metrics.received(undefined);
  metrics.decided(true, undefined, 3, 10, 'shard-a');
  metrics.decided(false, 'Expired', 4, 10, 'shard-b');
  metrics.request({ type: 'batchSent', shardId: 'shard-a', records: 2, userRecords: 2, userRecordsSucceeded: 1, bytes: 40, succeeded: 1, retried: 1, failed: 0, durationMs: 30, errors: { InternalFailure: 1 } });
  setPending(1);
  advance(scheduler, 999);
  assert.is(seen.length, 0);
  advance(scheduler, 1);
  assert.is(seen.length, 1);
  const [first] = seen;
  assert.is(first.at, 1000);
  assert.is(first.intervalMs, 1000);
  assert.is(first.stream.UserRecordsReceived, 3, 'the one without a shard counts for the stream');
  assert.is(first.shards['shard-a'].UserRecordsReceived + first.shards['shard-b'].UserRecordsReceived, 2);
  assert.is(first.stream.UserRecordsPut, 1);
  assert.is(first.stream.UserRecordExpired, 1);
  assert.equal(first.stream.RetriesPerRecord, { count: 2, sum: 5, min: 2, max: 3, p50: 2, p99: 3 });
  assert.equal(first.stream.ErrorsByCode, { InternalFailure: 1 });
  assert.is(first.stream.UserRecordsPending, 1);
  assert.is(first.shards['shard-a'].UserRecordsPending, undefined, 'a gauge of the stream only');
  metrics.received('shard-a');
  advance(scheduler, 1000);
  assert.is(seen.length, 2);
  assert.is(seen[1].stream.UserRecordsReceived, 1, 'each interval counts afresh');
  assert.equal(Object.keys(seen[1].shards), ['shard-a'], 'only the shards that saw values');
  advance(scheduler, 250);
  metrics.close();
  assert.is(seen.length, 3);
  assert.is(seen[2].intervalMs, 250, 'the last interval is as long as it was');
  assert.ok(completed);
});

test('no timer without subscribers: an interval spans from the last snapshot to the next one', () => {
  const { scheduler, metrics } = setup();
  metrics.received('shard-a');
  advance(scheduler, 5000);
  assert.is(scheduler.actions.length, 0, 'nothing scheduled');
  const seen: MetricsSnapshot[] = [];
  const subscription = metrics.metrics$.subscribe((s) => seen.push(s));
  advance(scheduler, 0);
  assert.is(seen.length, 1, 'a snapshot at once: the interval had already ended');
  assert.is(seen[0].intervalMs, 5000);
  assert.is(seen[0].stream.UserRecordsReceived, 1);
  subscription.unsubscribe();
  assert.is(scheduler.actions.length, 0, 'the timer stops with the last subscriber');
  let completed = false;
  metrics.close();
  metrics.metrics$.subscribe({ complete: () => (completed = true) });
  assert.ok(completed, 'after close, metrics$ completes at once');
});

test.run();
