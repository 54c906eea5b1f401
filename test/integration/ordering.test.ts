import { UpdateShardCountCommand } from '@aws-sdk/client-kinesis';
import { from, lastValueFrom, toArray } from 'rxjs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createProducer } from '../../src/producer/create-producer.js';
import { readBack } from '../helpers/read-back.js';
import { startLocalKinesis, type LocalKinesis } from '../../src/testing/index.js';
import { withTimeout } from '../browser/browser.js';
import { orderViolations, putKeyed, type OrderingRun } from './ordering-run.js';

// Per-key order against the local Kinesis with its limits, at twice what the shards take, with 5% of
// entries failing, 2% of requests reset and 1% of answers lost after the records were stored.
const FAULTS = { internalFailureRate: 0.05, resetRate: 0.02, truncateRate: 0.01 };
const PLAIN: OrderingRun = { values: 12_000, keys: 400, perSecond: 4_000, dataBytes: 100, seed: 11 };
// 2 KiB values: the byte budget (1 MiB/s a shard) binds, aggregated or not.
const AGGREGATED: OrderingRun = { values: 6_000, keys: 400, perSecond: 2_000, dataBytes: 2_048, seed: 12 };

let local: LocalKinesis;
const test = suite('ordering: perKey keeps each key\u2019s values in arrival order under faults and throttling');
test.before(async () => {
  local = await startLocalKinesis({ limits: true, faults: FAULTS });
});
test.after(async () => {
  await local?.stop();
});

for (const [name, run, aggregation] of [
  ['plain', PLAIN, false],
  ['aggregated', AGGREGATED, {}],
] as const) {
  test(
    `${name}, 2x load: 'perKey' stores no value of a key after a later one; 'none' does`,
    withTimeout(120_000, async () => {
      const figures: string[] = [];
      for (const ordering of ['none', 'perKey'] as const) {
        const stream = `ordering-${name}-${ordering}`;
        await local.createStream(stream, 2);
        local.stats({ reset: true });
        const { outcomes, ms } = await putKeyed(local, stream, run, { ordering, aggregation, recordTtlMs: 60_000 });
        const faults = local.stats().faults;
        assert.is(outcomes.length, run.values, 'one outcome per value');
        const failed = outcomes.filter((o) => !o.ok);
        assert.is(failed.length, 0, `failed: ${JSON.stringify(failed.slice(0, 3).map((o) => !o.ok && o.error))}`);
        const { violations, firstCopies } = await orderViolations(local, stream);
        assert.is(firstCopies, run.values, 'every value stored');
        assert.ok(faults.internalFailures > 0 && faults.resets > 0 && faults.truncated > 0, `the run met every fault: ${JSON.stringify(faults)}`);
        if (ordering === 'perKey') assert.is(violations, 0, 'no order violation among first stored copies');
        else assert.ok(violations > 0, `'none' stores some values out of order (else this test proves nothing): ${violations}`);
        figures.push(`${ordering} ${violations} violations, ${(run.values / (ms / 1000)).toFixed(0)} values/s`);
      }
      console.log(`  ${name}: ${figures.join('; ')}`);
    }),
  );
}

for (const aggregation of [false, {}] as const) {
  test(
    `resharding 2 -> 4 shards mid-run, aggregation ${aggregation ? 'on' : 'off'}: 'perKey' still stores each key in order`,
    withTimeout(120_000, async () => {
      const stream = `ordering-reshard-${aggregation ? 'agg' : 'plain'}`;
      await local.createStream(stream, 2);
      const client = local.client();
      const resharding = (async () => {
        await new Promise((r) => setTimeout(r, 1_000));
        await client.send(new UpdateShardCountCommand({ StreamName: stream, TargetShardCount: 4, ScalingType: 'UNIFORM_SCALING' }));
      })();
      const run: OrderingRun = { values: 8_000, keys: 400, perSecond: 4_000, dataBytes: 100, seed: 13 };
      const { outcomes } = await putKeyed(local, stream, run, { ordering: 'perKey', aggregation, recordTtlMs: 60_000 });
      await resharding;
      assert.is(outcomes.filter((o) => o.ok).length, run.values, 'every value ok');
      const shards = new Set(outcomes.map((o) => o.ok && o.shardId));
      assert.ok(shards.size > 2, `values landed on the parents and the children: ${[...shards].join(', ')}`);
      // Read back parents first: a key's values in the parent were stored before those in its child.
      const { violations, firstCopies } = await orderViolations(local, stream);
      assert.is(firstCopies, run.values);
      assert.is(violations, 0);
    }),
  );
}

test(
  'a value that fails for good does not hold back its key: the next values are sent, after its outcome, in order',
  withTimeout(60_000, async () => {
    await local.createStream('ordering-failed', 1);
    // The producer allows 2 MiB records, the stream 1 MiB: the service refuses value 1 for good.
    const producer = createProducer({ client: local.client(), streamName: 'ordering-failed', ordering: 'perKey', maxRecordBytes: 2 * 1024 * 1024 });
    const big = new Uint8Array(1024 * 1024 + 10);
    const outcomes = await lastValueFrom(
      from([0, 1, 2, 3, 4, 5]).pipe(producer.put((i) => ({ partitionKey: 'one-key', data: i === 1 ? big : `value ${i}` })), toArray()),
    );
    await producer.close();
    const failed = outcomes.filter((o) => !o.ok);
    assert.equal(failed.map((o) => [o.value, !o.ok && o.error.code]), [[1, 'ValidationException']]);
    assert.equal(outcomes.filter((o) => o.ok).map((o) => o.value), [0, 2, 3, 4, 5], 'one at a time: the outcomes come in input order');
    assert.equal(outcomes.map((o) => o.value), [0, 1, 2, 3, 4, 5], 'value 2 went only once value 1 had its outcome');
    const stored = [...(await readBack(local.client(), 'ordering-failed')).values()].flat().map((r) => new TextDecoder().decode(r.Data));
    assert.equal([...new Set(stored)], ['value 0', 'value 2', 'value 3', 'value 4', 'value 5']);
  }),
);

test.run();
