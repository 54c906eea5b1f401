import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createStats } from '../../src/testing/stats.js';

test('a shard spans from the first to the last request its budget judged, accepted or throttled', () => {
  const stats = createStats();
  stats.accepted('s', 'shardId-000000000000', 10, 100, 1_000);
  stats.throttled('s', 'shardId-000000000000', 5, 1_250);
  stats.accepted('s', 'shardId-000000000000', 1, 10, 1_100);
  stats.throttled('s', 'shardId-000000000001', 3, 2_000);
  const [first, second] = stats.snapshot().shards;
  assert.is(first.spanMs, 250);
  assert.is(second.spanMs, 0, 'one request spans nothing');
  stats.reset();
  stats.accepted('s', 'shardId-000000000000', 1, 10, 5_000);
  assert.is(stats.snapshot().shards[0].spanMs, 0, 'a reset starts the span afresh');
});

test('first and last request times are the clock readings after the origin, for spans across a reset', () => {
  const stats = createStats(1_000_000);
  stats.accepted('s', 'shardId-000000000000', 10, 100, 1_000);
  stats.throttled('s', 'shardId-000000000000', 5, 1_250);
  stats.internalFailure('s', 'shardId-000000000001');
  const [judged, failedOnly] = stats.snapshot().shards;
  assert.is(judged.firstRequestAt, 1_001_000);
  assert.is(judged.lastRequestAt, 1_001_250);
  assert.is(failedOnly.firstRequestAt, undefined, 'a shard whose budget judged nothing has no request times');
  assert.is(failedOnly.lastRequestAt, undefined);
  stats.reset();
  stats.accepted('s', 'shardId-000000000000', 1, 10, 3_000);
  const after = stats.snapshot().shards[0];
  assert.is(after.lastRequestAt! - judged.firstRequestAt!, 2_000, 'the whole span, the time between the two parts included');
});

test('by default the request times are ms since the epoch', () => {
  const stats = createStats();
  const before = Date.now();
  stats.accepted('s', 'shardId-000000000000', 1, 10, performance.now());
  const at = stats.snapshot().shards[0].firstRequestAt!;
  assert.ok(at >= before - 1000 && at <= Date.now() + 1000, `${at} is about ${before}`);
});

test.run();
