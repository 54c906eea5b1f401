import { from, take, timer } from 'rxjs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createProducer } from '../../src/producer/create-producer.js';
import { startLocalKinesis, type LocalKinesis } from '../../src/testing/index.js';
import type { KinesisRecordInput, PutOutcome } from '../../src/types.js';
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

const big = suite('big records keep the per-shard byte budget (local Kinesis with limits)');
let limited: LocalKinesis;
big.before(async () => {
  limited = await startLocalKinesis();
});
big.after(async () => {
  await limited?.stop();
});

const KiB = 1024;
const MiB = 1024 * KiB;
const OFFER_MS = 8_000;

for (const size of [256 * KiB, MiB]) {
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
      const shard = limited.stats().shards.find((s) => s.streamName === stream)!;
      const entries = shard.acceptedRecords + shard.throttledRecords;
      assert.ok(outcomes.length === count && outcomes.every((o) => o.ok), 'every value sent');
      assert.ok(shard.maxWindowBytes <= 1.05 * MiB, `max bytes in a sliding second: ${shard.maxWindowBytes}`);
      assert.ok(shard.throttledRecords < 0.01 * entries, `${shard.throttledRecords} of ${entries} entries throttled`);
      console.log(`  ${size / KiB} KiB at 1.5x: ${JSON.stringify({ sent: shard.acceptedRecords, throttled: shard.throttledRecords, maxWindowBytes: shard.maxWindowBytes, maxWindowMiB: +(shard.maxWindowBytes / MiB).toFixed(3) })}`);
    }),
  );
}
big.run();
