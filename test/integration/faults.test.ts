import { KinesisClient } from '@aws-sdk/client-kinesis';
import { firstValueFrom, from, take, timer } from 'rxjs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createProducer } from '../../src/producer/create-producer.js';
import { startLocalKinesis, type LocalKinesis } from '../../src/testing/index.js';
import type { KinesisRecordInput, PutOutcome } from '../../src/records/outcome.js';
import { startLocalKinesisProcess, type LocalKinesisProcess } from '../helpers/local-kinesis-process.js';
import { withTimeout } from '../testing/helpers.js';
import { assertAllSent, clientWithFlakyLookup, paced, runThrough } from './fault-run.js';

const OUTAGE_MS = 3_000;

const outage = suite('producer through a DNS and routing outage shorter than recordTtlMs (real SDK, local Kinesis)');
let local: LocalKinesis;
outage.before(async () => {
  local = await startLocalKinesis();
});
outage.after(async () => {
  await local?.stop();
});

outage(
  'mid-run: lookups fail with ENOTFOUND, ENETUNREACH, EHOSTUNREACH and EAI_AGAIN for 3 s; every value ends ok',
  withTimeout(60_000, async () => {
    await local.createStream('dns-mid', 2);
    const start = Date.now();
    const { client, seen } = clientWithFlakyLookup(local, () => Date.now() - start >= 1_000 && Date.now() - start < 1_000 + OUTAGE_MS);
    const producer = createProducer({ client, streamName: 'dns-mid' });
    const outcomes = await runThrough(producer, paced(2_000, 2));
    const figures = await assertAllSent(local, 'dns-mid', 2_000, outcomes);
    assert.ok(seen.size === 4, `every error code met: ${[...seen.keys()]}`);
    client.destroy();
    console.log(`  DNS outage mid-run: ${JSON.stringify({ ...figures, lookupErrors: Object.fromEntries(seen) })}`);
  }),
);

outage(
  'from the start: the first ListShards meets the outage; values wait for the map and are all sent',
  withTimeout(60_000, async () => {
    await local.createStream('dns-start', 2);
    const start = Date.now();
    const { client, seen } = clientWithFlakyLookup(local, () => Date.now() - start < OUTAGE_MS);
    const producer = createProducer({ client, streamName: 'dns-start' });
    const outcomes = await runThrough(producer, paced(500, 2));
    const figures = await assertAllSent(local, 'dns-start', 500, outcomes);
    assert.ok(seen.size > 0);
    assert.ok(local.stats().operations.ListShards >= 1);
    client.destroy();
    console.log(`  DNS outage at the first ListShards: ${JSON.stringify(figures)}`);
  }),
);
outage.run();

const input = suite('one bad value never fails another (real SDK, local Kinesis)');
let kinesis: LocalKinesis;
input.before(async () => {
  kinesis = await startLocalKinesis();
  await kinesis.createStream('input', 1);
});
input.after(async () => {
  await kinesis?.stop();
});

interface Odd {
  n: number;
  explicitHashKey?: string;
  record?: () => KinesisRecordInput;
}

async function putAll(values: Odd[]): Promise<PutOutcome<Odd>[]> {
  const producer = createProducer({ client: kinesis.client(), streamName: 'input', lingerMs: 1_000 });
  const outcomes: PutOutcome<Odd>[] = [];
  const mapper = (v: Odd) => v.record?.() ?? { partitionKey: `k${v.n}`, data: `value ${v.n}`, explicitHashKey: v.explicitHashKey };
  await new Promise<void>((resolve, reject) => from(values).pipe(producer.put(mapper)).subscribe({ next: (o) => outcomes.push(o), error: reject, complete: resolve }));
  await producer.close();
  return outcomes;
}

input(
  "explicit hash key '007' in a request of 48: the 2 bad values fail as InvalidRecord, the 46 others are sent",
  withTimeout(20_000, async () => {
    const values: Odd[] = Array.from({ length: 48 }, (_, n) => ({ n, ...(n % 24 === 5 ? { explicitHashKey: '007' } : {}) }));
    const outcomes = await putAll(values);
    const bad = outcomes.filter((o) => !o.ok);
    assert.equal(bad.map((o) => o.value.n).sort((a, b) => a - b), [5, 29]);
    assert.ok(bad.every((o) => !o.ok && o.error.code === 'InvalidRecord' && /leading zeros; got "007"/.test(o.error.message)));
    assert.is(outcomes.filter((o) => o.ok).length, 46);
  }),
);

input(
  'a record function whose result throws from a getter, is a Proxy, or that throws Object.create(null): InvalidRecord, nothing escapes',
  withTimeout(20_000, async () => {
    const escaped: unknown[] = [];
    const onEscape = (error: unknown) => escaped.push(error);
    process.on('uncaughtException', onEscape);
    process.on('unhandledRejection', onEscape);
    try {
      const trap = () => {
        throw new Error('trap');
      };
      const odd: Odd[] = [
        { n: 1, record: () => ({ data: 'x', get partitionKey(): string { throw new Error('getter'); } }) },
        { n: 2, record: () => new Proxy({} as KinesisRecordInput, { get: trap }) },
        { n: 3, record: () => { throw Object.create(null); } },
        { n: 4, record: () => ({ partitionKey: 'k', data: new Proxy(new Uint8Array(2), {}) }) },
      ];
      const outcomes = await putAll([{ n: 0 }, ...odd, { n: 5 }]);
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(escaped, []);
      assert.equal(outcomes.filter((o) => o.ok).map((o) => o.value.n).sort(), [0, 5]);
      assert.ok(outcomes.filter((o) => !o.ok).every((o) => !o.ok && o.error.code === 'InvalidRecord'));
      assert.is(outcomes.length, 6);
    } finally {
      process.off('uncaughtException', onEscape);
      process.off('unhandledRejection', onEscape);
    }
  }),
);
input.run();

const big = suite('big records keep the per-shard byte budget (local Kinesis with limits, in a process of its own)');
let limited: LocalKinesisProcess;
big.before(async () => {
  limited = await startLocalKinesisProcess();
});
big.after(async () => {
  await limited?.stop();
});

const KiB = 1024;
const MiB = 1024 * KiB;
const OFFER_MS = 8_000;

for (const size of [256 * KiB, 600 * KiB, MiB]) {
  big(
    `${size / KiB} KiB records offered at 1.5x a shard's byte budget: no sliding second over the budget + 5%, under 1% throttled`,
    withTimeout(90_000, async () => {
      const stream = `big-${size / KiB}`;
      await limited.createStream(stream, 1);
      const everyMs = Math.round(size / (1.5 * MiB) * 1000);
      const count = Math.ceil(OFFER_MS / everyMs);
      const producer = createProducer({ client: limited.client(), streamName: stream });
      const data = new Uint8Array(size - 8);
      const outcomes: PutOutcome<number>[] = [];
      await new Promise<void>((resolve, reject) =>
        timer(0, everyMs)
          .pipe(
            take(count),
            producer.put((i) => ({ partitionKey: `k${String(i).padStart(7, '0')}`, data })),
          )
          .subscribe({ next: (o) => outcomes.push(o), error: reject, complete: resolve }),
      );
      await producer.close();
      const shard = (await limited.stats()).shards.find((s) => s.streamName === stream)!;
      const entries = shard.acceptedRecords + shard.throttledRecords;
      assert.ok(outcomes.length === count && outcomes.every((o) => o.ok), 'every value sent');
      assert.ok(shard.maxWindowBytes <= 1.05 * MiB, `max bytes in a sliding second: ${shard.maxWindowBytes}`);
      assert.ok(shard.throttledRecords < 0.01 * entries, `${shard.throttledRecords} of ${entries} entries throttled`);
      console.log(`  ${size / KiB} KiB at 1.5x: ${JSON.stringify({ sent: shard.acceptedRecords, throttled: shard.throttledRecords, maxWindowBytes: shard.maxWindowBytes, maxWindowMiB: +(shard.maxWindowBytes / MiB).toFixed(3) })}`);
    }),
  );
}
big.run();

const service = suite('transient faults of the service and the network: every value ends ok, duplicates marked (real SDK, local Kinesis)');
let front: LocalKinesis;
service.before(async () => {
  front = await startLocalKinesis();
});
service.after(async () => {
  await front?.stop();
});

/** The SDK's default client: HTTP/2, as users make it. */
const defaultClient = (local: LocalKinesis) => new KinesisClient({ endpoint: local.endpoint, region: local.region, credentials: local.credentials });

service(
  'the default KinesisClient (HTTP/2) with stream resets and GOAWAYs on 10% of requests each, ListShards included',
  withTimeout(120_000, async () => {
    await front.createStream('h2', 2);
    front.setFaults({ resetRate: 0.1, goawayRate: 0.1, operations: ['ListShards', 'PutRecords'] });
    const client = defaultClient(front);
    try {
      const outcomes = await runThrough(createProducer({ client, streamName: 'h2', maxBatchCount: 50 }), paced(4_000, 1));
      front.setFaults({ resetRate: 0, goawayRate: 0 });
      const figures = await assertAllSent(front, 'h2', 4_000, outcomes);
      const { resets, goaways } = front.stats().faults;
      assert.ok(resets > 0 && goaways > 0, `faults met: ${resets} resets, ${goaways} GOAWAYs`);
      console.log(`  HTTP/2 resets and GOAWAYs: ${JSON.stringify({ ...figures, resets, goaways })}`);
    } finally {
      front.setFaults({ resetRate: 0, goawayRate: 0, operations: ['PutRecords', 'PutRecord'] });
      client.destroy();
    }
  }),
);

service(
  'answers cut short after the records were stored: retried, and every value stored twice says so',
  withTimeout(60_000, async () => {
    await front.createStream('cut-answers', 2);
    front.setFaults({ truncateRate: 0.2 });
    try {
      const outcomes = await runThrough(createProducer({ client: front.client(), streamName: 'cut-answers', maxBatchCount: 25 }), paced(1_000, 1));
      front.setFaults({ truncateRate: 0 });
      const figures = await assertAllSent(front, 'cut-answers', 1_000, outcomes);
      assert.ok(figures.storedTwice > 0, 'some answers were cut after storing');
      assert.ok(outcomes.every((o) => o.ok || !/SyntaxError/.test(o.error.code)));
      console.log(`  answers cut short: ${JSON.stringify({ ...figures, truncated: front.stats().faults.truncated })}`);
    } finally {
      front.setFaults({ truncateRate: 0 });
    }
  }),
);

service(
  'credentials rotating: ExpiredTokenException on two requests, then the stream being updated (ResourceInUseException) on ListShards',
  withTimeout(60_000, async () => {
    await front.createStream('rotating', 2);
    front.failNext('ListShards', { status: 400, type: 'ResourceInUseException', message: 'Stream rotating under account 000000000000 is being updated.' }, 2);
    front.failNext('PutRecords', { status: 400, type: 'ExpiredTokenException', message: 'The security token included in the request is expired' }, 2);
    const outcomes = await runThrough(createProducer({ client: front.client({ maxAttempts: 1 }), streamName: 'rotating' }), paced(120, 5));
    const figures = await assertAllSent(front, 'rotating', 120, outcomes);
    assert.is(front.stats().faults.failNext, 4);
    console.log(`  expired tokens and a stream being updated: ${JSON.stringify(figures)}`);
  }),
);

for (const mode of ['refuse', 'hang'] as const) {
  for (const when of ['mid-run', 'at the first ListShards'] as const) {
    service(
      `an outage (${mode === 'refuse' ? 'connections refused' : 'everything hangs'}) of 3 s ${when}: every value ends ok`,
      withTimeout(90_000, async () => {
        const stream = `outage-${mode}-${when === 'mid-run' ? 'mid' : 'start'}`;
        await front.createStream(stream, 2);
        const producer = createProducer({ client: front.client(), streamName: stream, requestTimeoutMs: 2_000 });
        const started = when === 'mid-run' ? firstValueFrom(timer(1_000)).then(() => front.outage({ mode, ms: OUTAGE_MS })) : front.outage({ mode, ms: OUTAGE_MS });
        const outcomes = await runThrough(producer, paced(2_000, 2));
        await started;
        const figures = await assertAllSent(front, stream, 2_000, outcomes);
        console.log(`  outage ${mode} ${when}: ${JSON.stringify(figures)}`);
      }),
    );
  }
}

service(
  'a request the service refuses as invalid because of one entry: split until only that entry fails, the others are sent',
  withTimeout(60_000, async () => {
    await front.createStream('split', 1);
    front.resetStats();
    // The producer allows 2 MiB records, the stream 1 MiB: only the service sees that the big ones break its rule.
    // Without the per-shard limiter (which sends a record heavier than its bucket alone) they share one request.
    const producer = createProducer({ client: front.client(), streamName: 'split', maxRecordBytes: 2 * MiB, lingerMs: 1_000, rateLimit: false });
    const big = new Uint8Array(MiB + 10);
    const outcomes: PutOutcome<number>[] = [];
    await new Promise<void>((resolve, reject) =>
      from(Array.from({ length: 48 }, (_, i) => i))
        .pipe(producer.put((i) => ({ partitionKey: `k${i}`, data: i === 7 || i === 31 ? big : `value ${i}` })))
        .subscribe({ next: (o) => outcomes.push(o), error: reject, complete: resolve }),
    );
    await producer.close();
    const failed = outcomes.filter((o) => !o.ok);
    assert.equal(failed.map((o) => o.value).sort((a, b) => a - b), [7, 31]);
    assert.ok(failed.every((o) => !o.ok && o.error.code === 'ValidationException' && !o.error.retryable), JSON.stringify(failed[0]));
    assert.is(outcomes.filter((o) => o.ok).length, 46);
    console.log(`  split: 46 of 48 sent, 2 failed with ValidationException in ${front.stats().operations.PutRecords} requests`);
  }),
);
service.run();
