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

test.run();
