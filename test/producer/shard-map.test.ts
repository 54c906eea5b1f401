import type { PutRecordsCommandInput, Shard } from '@aws-sdk/client-kinesis';
import { Subject, from } from 'rxjs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { partitionKeyHash } from '../../src/kinesis/hash.js';
import { createProducer } from '../../src/producer/create-producer.js';
import type { ProducerOptions } from '../../src/producer/options.js';
import type { ProducerSignal } from '../../src/producer/signals.js';
import { createShardMap, listAllShards } from '../../src/kinesis/shard-map.js';
import { toKinesis } from '../../src/to-kinesis.js';
import type { PutOutcome } from '../../src/records/outcome.js';
import { evenShards, scriptedClient, serviceError, type ListShardsHandler } from '../helpers/scripted-client.js';
import { createVirtualTime } from '../helpers/virtual-time.js';

const record = (v: number) => ({ partitionKey: `k${v}`, data: `value-${v}` });
const values = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Accepts every entry on the shard of `shards` that holds its hash key, as the service routes it. */
function acceptOn(shards: () => Shard[]) {
  return (input: PutRecordsCommandInput) => {
    const map = createShardMap(shards());
    return {
      FailedRecordCount: 0,
      Records: input.Records!.map((e, i) => ({ ShardId: map.shardFor(partitionKeyHash(e.PartitionKey!))!.shardId, SequenceNumber: String(i + 1) })),
    };
  };
}

/** A producer on virtual time whose ListShards and PutRecords are scripted; values go in through `input`. */
function setup(onListShards: ListShardsHandler, shards: () => Shard[], options: Partial<ProducerOptions> = {}) {
  const time = createVirtualTime();
  const { client, listShards } = scriptedClient({ onListShards, onPut: acceptOn(shards) });
  const listedAt: number[] = [];
  const producer = createProducer({
    client,
    streamName: 's',
    scheduler: time.scheduler,
    retry: { random: () => 0.5 },
    rateLimit: false,
    ...options,
  });
  const signals: ProducerSignal[] = [];
  producer.signals$.subscribe((s) => signals.push(s));
  const outcomes: PutOutcome<number>[] = [];
  const input = new Subject<number>();
  const result = { completed: false, error: undefined as unknown };
  input.pipe(producer.put(record)).subscribe({
    next: (o) => outcomes.push(o),
    complete: () => (result.completed = true),
    error: (e) => (result.error = e),
  });
  const refreshes = () => signals.filter((s): s is Extract<ProducerSignal, { type: 'shardMapRefreshed' }> => s.type === 'shardMapRefreshed');
  return { time, producer, input, outcomes, signals, refreshes, result, listShards, listedAt };
}

const paging = suite('listAllShards');

paging('follows NextToken through every page, naming the stream on the first page only (the service refuses both)', async () => {
  const all = evenShards(5);
  const { client, listShards } = scriptedClient({
    onListShards: (input) => {
      const page = input.NextToken === undefined ? 0 : Number(input.NextToken);
      const next = page + 2 < all.length ? String(page + 2) : undefined;
      return { Shards: all.slice(page, page + 2), NextToken: next };
    },
  });
  const shards = await listAllShards(client, { streamName: 'events' });
  assert.equal(shards.map((s) => s.ShardId), all.map((s) => s.ShardId));
  assert.equal(listShards, [{ StreamName: 'events', StreamARN: undefined }, { NextToken: '2' }, { NextToken: '4' }]);
});

paging('keeps only open shards in the map, so records of a split parent go to its children', () => {
  const [parent] = evenShards(1);
  const children = evenShards(2).map((s, i) => ({ ...s, ShardId: `shardId-00000000000${i + 1}`, ParentShardId: parent.ShardId }));
  const map = createShardMap([{ ...parent, SequenceNumberRange: { StartingSequenceNumber: '1', EndingSequenceNumber: '9' } }, ...children]);
  assert.equal(map.shards.map((s) => s.shardId), ['shardId-000000000001', 'shardId-000000000002']);
  for (let k = 0; k < 50; k++) assert.ok(map.shardFor(partitionKeyHash(`k${k}`)) !== undefined, 'every hash key has an open shard');
});

paging.run();

const lifecycle = suite('producer: the shard map lifecycle (virtual time)');

lifecycle('backs off with growing delays while ListShards fails transiently, then sends everything', async () => {
  const shards = evenShards(2);
  const p = setup(
    (_, call) => {
      p.listedAt.push(p.time.scheduler.now());
      if (call <= 3) throw serviceError('LimitExceededException', 400);
      return { Shards: shards };
    },
    () => shards,
  );
  values(20).forEach((v) => p.input.next(v));
  p.input.complete();
  await p.time.runAll();
  assert.is(p.listedAt.length, 4);
  const gaps = p.listedAt.slice(1).map((t, i) => t - p.listedAt[i]);
  // Full jitter with random 0.5: half of 100, 200 and 400 ms.
  assert.equal(gaps, [50, 100, 200]);
  assert.is(p.outcomes.length, 20);
  assert.ok(p.outcomes.every((o) => o.ok));
  assert.ok(p.result.completed);
  assert.equal(p.refreshes().map((s) => ({ reason: s.reason, added: s.added.length, removed: s.removed })), [{ reason: 'first use', added: 2, removed: [] }]);
});

lifecycle('records that wait for a map past recordTtlMs fail with Expired', async () => {
  const p = setup(
    () => {
      throw serviceError('LimitExceededException', 400);
    },
    () => evenShards(1),
    { recordTtlMs: 2000 },
  );
  values(5).forEach((v) => p.input.next(v));
  p.input.complete();
  await p.time.runAll(10_000);
  assert.is(p.outcomes.length, 5);
  assert.ok(p.outcomes.every((o) => !o.ok && o.error.code === 'Expired' && /LimitExceededException/.test(o.error.message)));
  assert.ok(p.result.completed);
});

lifecycle('transient ListShards failures of every kind back off and retry: DNS, unreachable, resets, expired tokens, a stream being updated, unknown codes', async () => {
  const shards = evenShards(2);
  const thrown = [
    Object.assign(new Error('getaddrinfo ENOTFOUND kinesis.us-east-1.amazonaws.com'), { code: 'ENOTFOUND' }),
    Object.assign(new Error('connect ENETUNREACH'), { code: 'ENETUNREACH' }),
    Object.assign(new Error('connect EHOSTUNREACH'), { code: 'EHOSTUNREACH' }),
    Object.assign(new Error('Stream closed with error code NGHTTP2_INTERNAL_ERROR'), { code: 'ERR_HTTP2_STREAM_ERROR' }),
    serviceError('ExpiredTokenException', 400, 'The security token included in the request is expired'),
    serviceError('ResourceInUseException', 400, 'Stream s is being updated'),
    serviceError('SomethingNobodyHasSeen', 400),
  ];
  const p = setup(
    (_, call) => {
      if (call <= thrown.length) throw thrown[call - 1];
      return { Shards: shards };
    },
    () => shards,
  );
  values(20).forEach((v) => p.input.next(v));
  p.input.complete();
  await p.time.runAll();
  assert.is(p.listShards.length, thrown.length + 1);
  assert.is(p.outcomes.length, 20);
  assert.ok(p.outcomes.every((o) => o.ok));
  assert.ok(p.result.completed && p.result.error === undefined);
});

lifecycle('records that wait for a map fail at their TTL even while ListShards hangs', async () => {
  const p = setup(() => new Promise(() => {}), () => evenShards(1), { recordTtlMs: 2000, requestTimeoutMs: 60_000 });
  values(3).forEach((v) => p.input.next(v));
  p.input.complete();
  await p.time.advance(1999);
  assert.is(p.outcomes.length, 0);
  await p.time.advance(1);
  assert.is(p.outcomes.length, 3);
  assert.ok(p.outcomes.every((o) => !o.ok && o.error.code === 'Expired'));
  await p.producer.close();
});

lifecycle('a ListShards the stream refuses fails every value with its code, then the output errors', async () => {
  const p = setup(
    () => {
      throw serviceError('ResourceNotFoundException', 400, 'Stream s under account 123456789012 not found.');
    },
    () => evenShards(1),
  );
  values(3).forEach((v) => p.input.next(v));
  await p.time.runAll(10_000);
  assert.is(p.outcomes.length, 3);
  assert.ok(p.outcomes.every((o) => !o.ok && o.error.code === 'ResourceNotFoundException' && !o.error.retryable));
  assert.is((p.result.error as { name?: string })?.name, 'KinesisStreamError');
});

lifecycle('shardMapMaxAgeMs reloads an old map as batches go out, and the signal names the shards added and removed', async () => {
  const [parent] = evenShards(1);
  const children = evenShards(2).map((s, i) => ({ ...s, ShardId: `shardId-00000000000${i + 1}`, ParentShardId: parent.ShardId }));
  let current: Shard[] = [parent];
  const p = setup(() => ({ Shards: current }), () => current, { shardMapMaxAgeMs: 5000 });
  values(10).forEach((v) => p.input.next(v));
  await p.time.advance(1000);
  assert.is(p.refreshes().length, 1);
  // The stream splits; batches before the map is old enough still go by the old map.
  current = [{ ...parent, SequenceNumberRange: { StartingSequenceNumber: '1', EndingSequenceNumber: '9' } }, ...children];
  await p.time.advance(6000);
  values(10).forEach((v) => p.input.next(10 + v));
  await p.time.advance(1000);
  const [, periodic] = p.refreshes();
  assert.ok(periodic, 'a second load');
  assert.is(periodic.reason, 'periodic refresh');
  assert.equal(periodic.added.sort(), ['shardId-000000000001', 'shardId-000000000002']);
  assert.equal(periodic.removed, ['shardId-000000000000']);
  values(10).forEach((v) => p.input.next(20 + v));
  p.input.complete();
  await p.time.runAll();
  assert.is(p.outcomes.length, 30);
  assert.ok(p.outcomes.every((o) => o.ok));
  const late = p.outcomes.filter((o) => o.value >= 20);
  assert.ok(late.every((o) => o.ok && o.shardId !== 'shardId-000000000000'), 'after the reload, records go to the children');
});

lifecycle.run();

const sink = suite('toKinesis: a private producer per subscription');

sink('sends every value, completes after the last outcome, and leaves no timer behind', async () => {
  const time = createVirtualTime();
  const { client, puts } = scriptedClient({ shards: evenShards(1) });
  const outcomes: PutOutcome<number>[] = [];
  let completed = false;
  from(values(700))
    .pipe(toKinesis({ client, streamName: 's', record, scheduler: time.scheduler, rateLimit: false, lingerMs: 60_000 }))
    .subscribe({ next: (o) => outcomes.push(o), complete: () => (completed = true) });
  await time.runAll();
  assert.is(outcomes.length, 700);
  assert.is(new Set(outcomes.map((o) => o.value)).size, 700);
  assert.ok(outcomes.every((o) => o.ok));
  assert.equal(puts.map((p) => p.Records!.length), [500, 200]);
  assert.ok(completed);
  assert.is(time.scheduler.actions.length, 0, 'no timer left');
});

sink('unsubscribing early closes its producer: the values already taken are still sent, no timer is left', async () => {
  const time = createVirtualTime();
  const { client, puts } = scriptedClient({ shards: evenShards(1) });
  const input = new Subject<number>();
  const subscription = input.pipe(toKinesis({ client, streamName: 's', record, scheduler: time.scheduler, rateLimit: false, lingerMs: 60_000 })).subscribe();
  values(3).forEach((v) => input.next(v));
  await time.advance(10);
  subscription.unsubscribe();
  await time.runAll();
  assert.is(input.observed, false, 'the input is unsubscribed');
  assert.is(puts.flatMap((p) => p.Records!).length, 3, 'close sent what was taken');
  assert.is(time.scheduler.actions.length, 0, 'no timer left');
});

sink.run();
