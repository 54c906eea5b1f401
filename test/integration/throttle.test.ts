import { interval, map, mergeMap, range, take } from 'rxjs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createProducer } from '../../src/producer/create-producer.js';
import type { ProducerSignal } from '../../src/producer/signals.js';
import { startLocalKinesis, type LocalKinesis } from '../../src/testing/index.js';
import type { PutOutcome } from '../../src/types.js';
import { readBack } from '../helpers/read-back.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const SHARD_RECORDS_PER_SECOND = 1000;
const payload = 'x'.repeat(100);

const throttle = suite('per-shard limiter against the local Kinesis with limits on');
let local: LocalKinesis;
throttle.before(async () => {
  local = await startLocalKinesis({ limits: true });
});
throttle.after(async () => {
  await local?.stop();
});

throttle('2 shards offered 3x their budget: one outcome each, all read back, no second over budget by 5%', async () => {
  await local.createStream('hot', 2);
  local.resetStats();
  const client = local.client();
  const producer = createProducer({ client, streamName: 'hot' });
  const signals: ProducerSignal[] = [];
  producer.signals$.subscribe((s) => signals.push(s));
  const seconds = 3;
  const perTick = (3 * 2 * SHARD_RECORDS_PER_SECOND) / 100;
  const outcomes: PutOutcome<number>[] = [];
  await new Promise<void>((resolve, reject) =>
    interval(10)
      .pipe(
        take(seconds * 100),
        mergeMap((tick) => range(tick * perTick, perTick)),
        map((n) => n),
        producer.put((n) => ({ partitionKey: `device-${n % 5000}`, data: `${n} ${payload}` })),
      )
      .subscribe({ next: (o) => outcomes.push(o), error: reject, complete: resolve }),
  );
  await producer.close();
  const offered = seconds * 100 * perTick;
  assert.is(outcomes.length, offered, 'one outcome per value');
  assert.is(new Set(outcomes.map((o) => o.value)).size, offered);
  const sent = outcomes.filter((o) => o.ok);
  const unexpected = outcomes.filter((o) => !o.ok && o.error.code !== 'Expired');
  assert.is(unexpected.length, 0, JSON.stringify(unexpected.slice(0, 2)));

  const stored = await readBack(client, 'hot');
  const read = new Map<number, string>();
  for (const [shardId, records] of stored) {
    for (const r of records) read.set(Number(Buffer.from(r.Data!).toString().split(' ')[0]), shardId);
  }
  assert.is(read.size, sent.length, 'every sent value read back, nothing else stored');
  for (const o of sent) if (o.ok) assert.is(read.get(o.value), o.shardId);

  const stats = local.stats();
  for (const shard of stats.shards.filter((s) => s.streamName === 'hot')) {
    assert.ok(shard.maxWindowRecords <= 1.05 * SHARD_RECORDS_PER_SECOND, `${shard.shardId}: ${shard.maxWindowRecords} records in one second`);
  }
  const throttled = stats.shards.reduce((n, s) => n + s.throttledRecords, 0);
  const accepted = stats.shards.reduce((n, s) => n + s.acceptedRecords, 0);
  assert.ok(throttled <= 0.01 * (accepted + throttled), `service throttled ${throttled} of ${accepted + throttled}`);
  assert.ok(signals.some((s) => s.type === 'throttled' && s.source === 'local'), 'local waits are signalled');
});

throttle.run();
