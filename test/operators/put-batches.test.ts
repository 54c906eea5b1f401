import { NEVER, finalize, from, lastValueFrom, mergeMap, of, throwError, toArray } from 'rxjs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { aggregateRecords } from '../../src/operators/aggregate-records.js';
import { decodeAggregate } from '../../src/kpl/index.js';
import { collectBatches } from '../../src/operators/collect-batches.js';
import { encodeRecords } from '../../src/operators/encode-records.js';
import { partitionKeyHash } from '../../src/kinesis/hash.js';
import { putBatches } from '../../src/operators/put-batches.js';
import { routeToShards } from '../../src/operators/route-to-shards.js';
import { createShardMap, loadShardMap } from '../../src/kinesis/shard-map.js';
import type { PutOutcome } from '../../src/records/outcome.js';
import { evenShards, ok, scriptedClient } from '../helpers/scripted-client.js';
import { createVirtualTime } from '../helpers/virtual-time.js';

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

const unsubscribe = suite('putBatches: operator contract (virtual time)');
/** Batches of one record each into putBatches, with every request answered only after `answerMs`. */
function slowPuts(answerMs: number, time: ReturnType<typeof createVirtualTime>) {
  return scriptedClient({
    shards: evenShards(1),
    onPut: (input) => new Promise((resolve) => time.scheduler.schedule(() => resolve(ok(input)), answerMs)),
  });
}
const batchOf = (v: number) => {
  const r = { value: v, partitionKey: `k${v}`, explicitHashKey: undefined, data: new Uint8Array([v]), size: 3, hashKey: partitionKeyHash(`k${v}`), attempts: 0, createdAt: 0, shardId: 'shardId-000000000000' };
  return { shardId: r.shardId, entries: [r], bytes: r.size };
};
unsubscribe('sends nothing after unsubscribe: waiting batches and retries are dropped with the subscription', async () => {
  const time = createVirtualTime();
  const { client, puts } = slowPuts(100, time);
  const subscription = from([1, 2, 3, 4].map(batchOf))
    .pipe(putBatches<number>({ client, streamName: 's', scheduler: time.scheduler, maxInFlightPerShard: 1 }))
    .subscribe();
  await time.advance(10);
  assert.is(puts.length, 1, 'one request before unsubscribing');
  subscription.unsubscribe();
  await time.runAll();
  assert.is(puts.length, 1, 'none after');
});
unsubscribe('empty completes at once; an upstream error passes through; never stays open', async () => {
  const time = createVirtualTime();
  const { client } = slowPuts(1, time);
  let completed = false;
  from([] as ReturnType<typeof batchOf>[]).pipe(putBatches<number>({ client, streamName: 's', scheduler: time.scheduler })).subscribe({ complete: () => (completed = true) });
  assert.ok(completed);
  let error: unknown;
  throwError(() => new Error('upstream')).pipe(putBatches<number>({ client, streamName: 's', scheduler: time.scheduler })).subscribe({ error: (e) => (error = e) });
  assert.is((error as Error).message, 'upstream');
  let closed = false;
  const never = NEVER.pipe(putBatches<number>({ client, streamName: 's', scheduler: time.scheduler })).subscribe({ complete: () => (closed = true) });
  await time.runAll();
  assert.not.ok(closed);
  never.unsubscribe();
});
unsubscribe('does not break unsubscription chains', async () => {
  const time = createVirtualTime();
  const { client } = slowPuts(1, time);
  let finalized = false;
  const subscription = NEVER.pipe(finalize(() => (finalized = true)), putBatches<number>({ client, streamName: 's', scheduler: time.scheduler }), mergeMap((o) => of(o))).subscribe();
  subscription.unsubscribe();
  assert.ok(finalized);
});
unsubscribe('an answer after unsubscribing emits nothing and completes nothing', async () => {
  const time = createVirtualTime();
  const { client, puts } = slowPuts(100, time);
  const seen: unknown[] = [];
  const subscription = from([batchOf(1)]).pipe(putBatches<number>({ client, streamName: 's', scheduler: time.scheduler })).subscribe({ next: (o) => seen.push(o), complete: () => seen.push('complete') });
  await time.advance(10);
  subscription.unsubscribe();
  await time.runAll();
  assert.is(puts.length, 1);
  assert.equal(seen, []);
});
unsubscribe.run();
