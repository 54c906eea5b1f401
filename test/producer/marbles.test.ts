import type { PutRecordsCommandInput } from '@aws-sdk/client-kinesis';
import { from } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decimalToHashKey } from '../../src/kinesis/hash.js';
import { createShardMap } from '../../src/kinesis/shard-map.js';
import { createProducer } from '../../src/producer/create-producer.js';
import { evenShards, scriptedClient } from '../helpers/scripted-client.js';
import { createVirtualTime } from '../helpers/virtual-time.js';

/** Marble frames as the TestScheduler parses them: which value (or completion) at which ms. */
function framesOf(marbles: string, values: Record<string, string>) {
  // As inside TestScheduler.run: one frame per character is 1 ms, so `49ms` reads as written.
  const saved = TestScheduler.frameTimeFactor;
  TestScheduler.frameTimeFactor = 1;
  try {
    return TestScheduler.parseMarbles(marbles, values, undefined, false, true).map((m) => ({ frame: m.frame, kind: m.notification.kind, value: (m.notification as { value?: string }).value }));
  } finally {
    TestScheduler.frameTimeFactor = saved;
  }
}

const SHARD_1_KEY = (1n << 127n).toString();
const map = createShardMap(evenShards(2));

/** Accepts every entry on its shard, except the first request to shard 1, which the service throttles whole. */
function throttleShard1Once() {
  let throttled = false;
  let seq = 0;
  return scriptedClient({
    shards: evenShards(2),
    onPut(input: PutRecordsCommandInput) {
      const shardOf = (e: { ExplicitHashKey?: string }) => map.shardFor(decimalToHashKey(e.ExplicitHashKey!))!.shardId;
      const first = input.Records![0];
      if (!throttled && shardOf(first) === 'shardId-000000000001') {
        throttled = true;
        return { FailedRecordCount: input.Records!.length, Records: input.Records!.map(() => ({ ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded' })) };
      }
      return { FailedRecordCount: 0, Records: input.Records!.map((e) => ({ ShardId: shardOf(e), SequenceNumber: String(++seq) })) };
    },
  });
}

const marbles = suite('the default producer (limits on) on virtual time: marble diagrams');

marbles('a throttled shard: its values come back after the backoff, within its lowered rate; the other shard is not held up', async () => {
  const time = createVirtualTime({ realTimers: true });
  const { client, puts } = throttleShard1Once();
  // Defaults throughout (rate limit 100%, adaptive rate on), but the jitter's randomness fixed.
  const producer = createProducer({ client, streamName: 's', scheduler: time.scheduler, retry: { random: () => 0.5 } });
  const outcomes: { frame: number; kind: string; value: string | undefined }[] = [];
  const signals: typeof outcomes = [];
  const add = (list: typeof outcomes, value: string | undefined) => {
    const frame = time.scheduler.now();
    const last = list[list.length - 1];
    if (value === undefined) list.push({ frame, kind: 'C', value });
    else if (!(last?.frame === frame && last.value === value)) list.push({ frame, kind: 'N', value });
  };
  producer.signals$.subscribe((s) => {
    if (s.type === 'throttled') add(signals, `throttled ${s.source} ${s.shardId.slice(-1)} at ${s.rate}/s`);
    if (s.type === 'retryScheduled') add(signals, `retry ${s.count} in ${s.delayMs} ms`);
  });
  // 40 values: even ones to shard 0, odd ones to shard 1. 'a': sent on shard 0 at the first attempt; 'b': on shard 1 at the second.
  from(Array.from({ length: 40 }, (_, i) => i))
    .pipe(producer.put((i) => ({ partitionKey: `k${i}`, data: 'x', explicitHashKey: i % 2 ? SHARD_1_KEY : '0' })))
    .subscribe({
      next: (o) => add(outcomes, o.ok ? `${o.shardId.endsWith('0') ? 'a' : 'b'}${o.attempts}` : o.error.code),
      complete: () => add(outcomes, undefined),
    });
  await time.runAll(5_000);
  // The input completes at once, so nothing lingers; each shard's bucket starts empty and holds the 20 tokens
  // of its batch at 21 ms (990/s). Shard 1 is throttled then: its rate falls by the adaptive factor
  // (990 x 0.8) and its bucket empties. The backoff is half its 100 ms cap: 50 ms later the bucket holds
  // 792 x 0.05 = 39.6 tokens, and grants 19 (half of it) and then the last 1: both batches go at once.
  assert.equal(outcomes, framesOf('21ms a 49ms (b|)', { a: 'a1', b: 'b2' }));
  const throttles = { l: 'throttled local 0 at 990/s', m: 'throttled local 1 at 990/s', r: 'retry 20 in 50 ms', t: 'throttled service 1 at 792/s' };
  assert.equal(signals, framesOf('(lm) 17ms (rt)', throttles), 'both batches wait for their budget; then shard 1 is throttled');
  assert.equal(puts.map((p) => p.Records!.length), [20, 20, 19, 1], 'shard 0, shard 1 throttled, then shard 1 in two grants');
  await producer.close();
});

marbles.run();
