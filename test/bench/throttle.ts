/**
 * `npm run bench:throttle`: shard utilization and throttling of the producer against the local
 * Kinesis with the service's limits on. Prints a Markdown table and one JSON line per case.
 *
 *   A. 2 shards, 100-byte values offered at 3x capacity for 20 s, no aggregation.
 *   B. The same, with shard 1 cut to 50% of its budget after 10 s (another writer sharing it).
 *   C. 2 shards, 100-byte values with KPL aggregation, offered at 12,000 values/s per shard for 20 s:
 *      user records per second and shard, throttled share.
 */
import { parseArgs } from 'node:util';
import { interval, mergeMap, range, take } from 'rxjs';
import { createProducer } from '../../src/index.js';
import { startLocalKinesis } from '../../src/testing/index.js';
import { readBack } from '../helpers/read-back.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const { values: args } = parseArgs({ options: { seconds: { type: 'string', default: '20' }, cutAt: { type: 'string', default: '10' } } });
const SECONDS = Number(args.seconds);
const BUDGET = 1000;
const SHARDS = 2;
const payload = 'x'.repeat(100);

interface Sample {
  t: number;
  accepted: number[];
  throttled: number[];
}

async function runCase(name: string, cut: boolean) {
  const local = await startLocalKinesis({ limits: true });
  try {
    await local.createStream('bench', SHARDS);
    const client = local.client();
    // A hot source at 3x: what a shard cannot send within a third of the TTL is dropped as it arrives.
    const producer = createProducer({ client, streamName: 'bench', overflow: 'dropIncoming' });
    const rates: Record<string, number> = {};
    producer.signals$.subscribe((s) => {
      if (s.type === 'throttled') rates[s.shardId] = Math.round(s.rate);
    });
    const perTick = (3 * SHARDS * BUDGET) / 100;
    const counts = { ok: 0, failed: 0, expired: 0, dropped: 0 };
    const samples: Sample[] = [];
    const started = Date.now();
    const shardIds = ['shardId-000000000000', 'shardId-000000000001'];
    const sampler = setInterval(() => {
      const stats = local.stats().shards.filter((s) => s.streamName === 'bench');
      const by = (id: string) => stats.find((s) => s.shardId === id);
      samples.push({
        t: (Date.now() - started) / 1000,
        accepted: shardIds.map((id) => by(id)?.acceptedRecords ?? 0),
        throttled: shardIds.map((id) => by(id)?.throttledRecords ?? 0),
      });
    }, 500);
    const cutTimer = cut ? setTimeout(() => local.setShardCapacity(shardIds[1], 0.5), Number(args.cutAt) * 1000) : undefined;
    let offered = 0;
    await new Promise<void>((resolve, reject) =>
      interval(10)
        .pipe(
          take(SECONDS * 100),
          mergeMap((tick) => range(tick * perTick, perTick)),
          producer.put((n) => {
            offered++;
            return { partitionKey: `device-${n % 10_000}`, data: `${n} ${payload}` };
          }),
        )
        .subscribe({
          next: (o) => {
            if (o.ok) counts.ok++;
            else if (o.error.code === 'Expired') counts.expired++;
            else if (o.error.code === 'Dropped') counts.dropped++;
            else counts.failed++;
          },
          error: reject,
          complete: resolve,
        }),
    );
    await producer.close();
    clearInterval(sampler);
    clearTimeout(cutTimer);
    const stats = local.stats().shards.filter((s) => s.streamName === 'bench');
    const at = (t: number) => samples.reduce((best, s) => (Math.abs(s.t - t) < Math.abs(best.t - t) ? s : best), samples[0]);
    const s0 = at(0);
    const sEnd = at(SECONDS);
    const acceptedInOffer = sEnd.accepted.reduce((a, b) => a + b, 0) - s0.accepted.reduce((a, b) => a + b, 0);
    const window = sEnd.t - s0.t;
    const accepted = stats.reduce((n, s) => n + s.acceptedRecords, 0);
    const throttled = stats.reduce((n, s) => n + s.throttledRecords, 0);
    const stored = [...(await readBack(client, 'bench')).values()].reduce((n, r) => n + r.length, 0);
    const result: Record<string, unknown> = {
      case: name,
      seconds: SECONDS,
      offeredValues: offered,
      sent: counts.ok,
      expired: counts.expired,
      dropped: counts.dropped,
      failed: counts.failed,
      lost: offered - counts.ok - counts.expired - counts.dropped - counts.failed,
      readBack: stored,
      utilization: Math.round((acceptedInOffer / (window * SHARDS * BUDGET)) * 1000) / 10,
      throttledShare: Math.round((throttled / (accepted + throttled)) * 10000) / 100,
      maxWindowRecords: stats.map((s) => s.maxWindowRecords),
      finalRates: rates,
    };
    if (cut) {
      const cutAt = Number(args.cutAt);
      // After the cut: the throttled share of shard 1 in each 1-second step, and its accepted rate.
      let settledAfter: number | undefined;
      for (let t = cutAt; t + 1 <= SECONDS; t += 0.5) {
        const a = at(t);
        const b = at(t + 1);
        const acc = b.accepted[1] - a.accepted[1];
        const thr = b.throttled[1] - a.throttled[1];
        if (settledAfter === undefined && thr / Math.max(1, acc + thr) < 0.05) settledAfter = t - cutAt;
      }
      const from = at(cutAt + 5);
      const acceptedAfter = (sEnd.accepted[1] - from.accepted[1]) / (sEnd.t - from.t);
      const thrAfter = sEnd.throttled[1] - from.throttled[1];
      result.cutShardSettledAfterSeconds = settledAfter;
      result.cutShardAcceptedPerSecondAfter5s = Math.round(acceptedAfter);
      result.cutShardUtilizationOfRemaining = Math.round((acceptedAfter / (BUDGET / 2)) * 1000) / 10;
      result.cutShardThrottledShareAfter5s = Math.round((thrAfter / Math.max(1, sEnd.accepted[1] - from.accepted[1] + thrAfter)) * 10000) / 100;
    }
    return result;
  } finally {
    await local.stop();
  }
}

async function runAggregated() {
  const local = await startLocalKinesis({ limits: true });
  try {
    await local.createStream('agg', SHARDS);
    const client = local.client();
    const producer = createProducer({ client, streamName: 'agg', aggregation: {}, overflow: 'dropIncoming' });
    const perTick = (12_000 * SHARDS) / 100;
    let sentInOffer = 0;
    let sent = 0;
    let failed = 0;
    const started = Date.now();
    await new Promise<void>((resolve, reject) =>
      interval(10)
        .pipe(
          take(SECONDS * 100),
          mergeMap((tick) => range(tick * perTick, perTick)),
          producer.put((n) => ({ partitionKey: `device-${n % 10_000}`, data: `${n} ${payload}`.slice(0, 100) })),
        )
        .subscribe({
          next: (o) => {
            if (!o.ok) failed++;
            else {
              sent++;
              if (Date.now() - started <= SECONDS * 1000) sentInOffer++;
            }
          },
          error: reject,
          complete: resolve,
        }),
    );
    await producer.close();
    const stats = local.stats().shards.filter((s) => s.streamName === 'agg');
    const accepted = stats.reduce((n, s) => n + s.acceptedRecords, 0);
    const throttled = stats.reduce((n, s) => n + s.throttledRecords, 0);
    return {
      case: 'aggregated 100-byte values, 12,000/s per shard offered',
      seconds: SECONDS,
      offeredValues: SECONDS * 100 * perTick,
      sent,
      failed,
      userRecordsPerShardSecond: Math.round(sentInOffer / SECONDS / SHARDS),
      kinesisRecordsAccepted: accepted,
      throttledShare: Math.round((throttled / Math.max(1, accepted + throttled)) * 10000) / 100,
      maxWindowBytes: stats.map((s) => s.maxWindowBytes),
    };
  } finally {
    await local.stop();
  }
}

const results = [await runCase('3x offered, 2 shards', false), await runCase('3x offered, shard 1 cut to 50%', true)];
const aggregated = await runAggregated();
console.log('\n| case | utilization % | service-throttled % | sent | dropped on arrival | expired | lost | read back | max records in 1 s per shard |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of results) {
  console.log(`| ${r.case} | ${r.utilization} | ${r.throttledShare} | ${r.sent} | ${r.dropped} | ${r.expired} | ${r.lost} | ${r.readBack} | ${(r.maxWindowRecords as number[]).join(', ')} |`);
}
console.log(`\n| aggregated case | user records/s per shard | service-throttled % | sent | failed | max bytes in 1 s per shard |`);
console.log('| --- | --- | --- | --- | --- | --- |');
console.log(`| ${aggregated.case} | ${aggregated.userRecordsPerShardSecond} | ${aggregated.throttledShare} | ${aggregated.sent} | ${aggregated.failed} | ${aggregated.maxWindowBytes.join(', ')} |`);
for (const r of [...results, aggregated]) console.log(JSON.stringify(r));
