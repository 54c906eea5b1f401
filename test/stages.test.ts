import { from, lastValueFrom, toArray } from 'rxjs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { aggregateRecords } from '../src/aggregate.js';
import { decodeAggregate } from '../src/aggregation/index.js';
import { collectBatches } from '../src/batch.js';
import { encodeRecords } from '../src/encode.js';
import { partitionKeyHash } from '../src/hash.js';
import { putBatches } from '../src/put-batches.js';
import { routeToShards } from '../src/route.js';
import { createShardMap, loadShardMap } from '../src/shard-map.js';
import type { PutOutcome } from '../src/types.js';
import { evenShards, ok, scriptedClient } from './helpers/scripted-client.js';
import { createVirtualTime } from './helpers/virtual-time.js';

const map = createShardMap(evenShards(4));
const toRecord = (v: number) => ({ partitionKey: v < 0 ? '' : `key-${v}`, data: `value ${v}` });

const route = suite('routeToShards');
route('sets each record’s predicted shard and passes failures through', async () => {
  const out = await lastValueFrom(from([1, 2, -1, 3]).pipe(encodeRecords(toRecord), routeToShards(map), toArray()));
  assert.is(out.length, 4);
  for (const item of out) {
    if ('ok' in item) assert.is(item.error.code, 'InvalidRecord');
    else assert.is(item.shardId, map.shardFor(partitionKeyHash(item.partitionKey))!.shardId);
  }
});
route('a record no open shard holds fails with NoShard', async () => {
  const gap = createShardMap(evenShards(4).slice(1));
  const keys = Array.from({ length: 50 }, (_, i) => i);
  const out = await lastValueFrom(from(keys).pipe(encodeRecords(toRecord), routeToShards(gap), toArray()));
  const failures = out.filter((i) => 'ok' in i);
  assert.ok(failures.length > 0 && failures.every((f) => 'ok' in f && f.error.code === 'NoShard'));
});
route.run();

const put = suite('putBatches (the stages composed by hand)');
put('one outcome per record; failed entries retried alone until they pass', async () => {
  const time = createVirtualTime();
  const { client, puts } = scriptedClient({
    shards: evenShards(1),
    onPut: (input, call) =>
      call === 1
        ? { FailedRecordCount: 1, Records: input.Records!.map((r, i) => (i === 0 ? { ErrorCode: 'InternalFailure', ErrorMessage: 'x' } : ok({ Records: [r] }).Records![0])) }
        : ok(input),
  });
  const shardMap = await loadShardMap(client, { streamName: 's' });
  const outcomes: PutOutcome<number>[] = [];
  let done = false;
  from([1, 2, 3, -1])
    .pipe(
      encodeRecords(toRecord, { now: () => time.scheduler.now() }),
      routeToShards(shardMap),
      collectBatches({ scheduler: time.scheduler }),
      putBatches({ client, streamName: 's', scheduler: time.scheduler, retry: { random: () => 0.5 } }),
    )
    .subscribe({ next: (o) => outcomes.push(o), complete: () => (done = true) });
  await time.runAll();
  assert.ok(done);
  assert.is(outcomes.length, 4);
  assert.equal(puts.map((p) => p.Records!.length), [3, 1]);
  const first = outcomes.find((o) => o.value === 1)!;
  assert.ok(first.ok && first.attempts === 2);
  assert.ok(outcomes.find((o) => o.value === -1)!.ok === false);
});
put('with aggregateRecords: one Kinesis record per shard batch, outcomes carry subSequenceNumber', async () => {
  const time = createVirtualTime();
  const { client, puts } = scriptedClient({ shards: evenShards(1) });
  const shardMap = await loadShardMap(client, { streamName: 's' });
  const outcomes = await new Promise<PutOutcome<number>[]>((resolve) => {
    const out: PutOutcome<number>[] = [];
    from([1, 2, 3])
      .pipe(
        encodeRecords(toRecord),
        routeToShards(shardMap),
        collectBatches({ scheduler: time.scheduler }),
        aggregateRecords({ maxBytes: 51_200 }),
        putBatches({ client, streamName: 's', scheduler: time.scheduler }),
      )
      .subscribe({ next: (o) => out.push(o), complete: () => resolve(out) });
    void time.runAll();
  });
  assert.is(puts.length, 1);
  assert.is(puts[0].Records!.length, 1);
  assert.is(decodeAggregate(puts[0].Records![0].Data!).length, 3);
  assert.equal(outcomes.map((o) => o.ok && o.subSequenceNumber), [0, 1, 2]);
});
put.run();
