/**
 * `npm run bench:shared`: several producer processes writing to one 2-shard stream of the local
 * Kinesis (service limits on), offered 3x the stream's budget together. Prints a Markdown table and
 * one JSON line per case.
 *
 *   A. Budget shared through Redis (`limits: { redis }`).
 *   B. The same processes, each limiting itself alone (no sharing).
 *   C. Shared, with Redis stopped for 5 s mid-run and started again (empty).
 *   D. Shared, with shard 1 cut to 50% of its budget after 10 s (a writer outside the cluster): the
 *      shared AIMD rate. E. The same, not shared.
 */
import { parseArgs } from 'node:util';
import { startLocalKinesis } from '../../src/testing/index.js';
import { runProcesses, type RunResult } from '../throttle/shared/processes.js';
import { requireRedis, startRedis } from '../throttle/shared/redis-server.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    processes: { type: 'string', default: '3' },
    load: { type: 'string', default: '3' },
    outageAt: { type: 'string', default: '5' },
    cutAt: { type: 'string', default: '10' },
  },
});
const SECONDS = Number(args.seconds);
const PROCESSES = Number(args.processes);
const LOAD = Number(args.load);
const OUTAGE = { at: Number(args.outageAt), for: 5 };
const CUT = { at: Number(args.cutAt), shard: 1, fraction: 0.5 };
const SHARDS = 2;
const CAPACITY = SHARDS * 1000;

requireRedis();

/** From which second after `from` every 1-s window until `to` stays under 2% throttled. */
function settledAfter(r: RunResult, from: number, to: number): number | undefined {
  let settled: number | undefined;
  for (let t = from; t + 1000 <= to; t += 500) {
    if (r.throttledIn(t, t + 1000) >= 2) settled = undefined;
    else settled ??= (t - from) / 1000;
  }
  return settled;
}

async function runCase(name: string, shared: boolean, outage: boolean, cut = false) {
  const local = await startLocalKinesis({ limits: true });
  const redis = await startRedis();
  try {
    const r = await runProcesses({
      local,
      streamName: 'bench',
      shards: SHARDS,
      processes: PROCESSES,
      seconds: SECONDS,
      load: LOAD,
      ...(shared ? { redis } : {}),
      ...(outage ? { outage: OUTAGE } : {}),
      ...(cut ? { cut: CUT } : {}),
    });
    const { start, end, outage: down, restart, cut: cutAt } = r.times;
    const result: Record<string, unknown> = {
      case: name,
      processes: PROCESSES,
      seconds: SECONDS,
      load: LOAD,
      offered: r.offered,
      sent: r.sent,
      expired: r.expired,
      failed: r.failed,
      lost: r.lost,
      readBackErrors: r.readBackErrors,
      utilization: r.utilization,
      utilizationAfterFirstSecond: Math.round((r.acceptedIn(start + 1000, end) / CAPACITY) * 1000) / 10,
      throttledShare: r.throttledShare,
      throttledDuringOffer: r.throttledIn(start, end),
      maxWindowRecords: r.maxWindowRecords,
      serviceThrottleSignals: r.reports.map((p) => p.serviceThrottled),
      limits: r.reports.map((p) => p.limits.map((l) => `${l.mode}${l.share === undefined ? '' : ` ${Math.round(l.share * 100)}%`}@${((l.at - start) / 1000).toFixed(1)}s`)),
    };
    if (down !== undefined && restart !== undefined) {
      result.acceptedPerSecondDuringOutage = r.acceptedIn(down, restart);
      result.throttledDuringOutage = r.throttledIn(down, restart);
      result.throttledFirst10sAfterRestart = r.throttledIn(restart, Math.min(end, restart + 10_000));
      result.settledUnder2PercentAfterSeconds = settledAfter(r, restart, end);
    }
    if (cutAt !== undefined) {
      result.cutShardThrottledAfterCut = r.throttledIn(cutAt, end, CUT.shard);
      result.cutShardThrottledFrom5sAfterCut = r.throttledIn(cutAt + 5000, end, CUT.shard);
      result.cutShardAcceptedPerSecondFrom5sAfterCut = r.acceptedIn(cutAt + 5000, end, CUT.shard);
      result.cutShardUtilizationOfRemaining = Math.round((r.acceptedIn(cutAt + 5000, end, CUT.shard) / (1000 * CUT.fraction)) * 1000) / 10;
    }
    return result;
  } finally {
    await local.stop();
    await redis.stop();
  }
}

const results = [
  await runCase(`${PROCESSES} processes, ${LOAD}x offered, shared through Redis`, true, false),
  await runCase(`${PROCESSES} processes, ${LOAD}x offered, not shared`, false, false),
  await runCase(`${PROCESSES} processes, ${LOAD}x offered, shared, Redis down ${OUTAGE.for} s at ${OUTAGE.at} s`, true, true),
  await runCase(`${PROCESSES} processes, ${LOAD}x offered, shared, shard 1 cut to 50% at ${CUT.at} s`, true, false, true),
  await runCase(`${PROCESSES} processes, ${LOAD}x offered, not shared, shard 1 cut to 50% at ${CUT.at} s`, false, false, true),
];
console.log('\n| case | utilization % | after 1st s % | throttled % (all) | throttled % (offer) | sent | expired | lost | read-back errors | max records in 1 s per shard |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of results) {
  console.log(
    `| ${r.case} | ${r.utilization} | ${r.utilizationAfterFirstSecond} | ${r.throttledShare} | ${r.throttledDuringOffer} | ${r.sent} | ${r.expired} | ${r.lost} | ${r.readBackErrors} | ${(r.maxWindowRecords as number[]).join(', ')} |`,
  );
}
const outage = results[2];
console.log(
  `\nOutage: ${outage.acceptedPerSecondDuringOutage} records/s accepted while Redis was down (budget ${CAPACITY}), ` +
    `${outage.throttledDuringOutage}% throttled then, ${outage.throttledFirst10sAfterRestart}% in the 10 s after the restart, ` +
    `under 2% for good ${outage.settledUnder2PercentAfterSeconds ?? 'never'} s after it.`,
);
for (const r of results.slice(3)) {
  console.log(
    `${r.case}: shard 1 ${r.cutShardThrottledAfterCut}% throttled after the cut, ${r.cutShardThrottledFrom5sAfterCut}% from 5 s after it, ` +
      `${r.cutShardAcceptedPerSecondFrom5sAfterCut} records/s accepted (${r.cutShardUtilizationOfRemaining}% of what is left).`,
  );
}
for (const r of results) console.log(JSON.stringify(r));
