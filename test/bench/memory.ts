/**
 * `npm run bench:memory`: what the producer holds in memory, each case measured in its own child
 * process (test/integration/memory/). Prints a Markdown table, then one JSON line per case.
 *
 *   control       The hot source into a plain ring buffer of 64 MiB that drops its oldest, no producer:
 *                 what V8 alone takes to hold that much of such values under that churn.
 *   fail          200,000 values/s of 100 B..1 KiB, endpoint stalled (10 s latency), maxBufferedBytes
 *                 64 MiB, overflow 'fail': the output errors with BufferOverflow once the buffer is full.
 *   dropOldest    The same with 'dropOldest', 1,000,000 values, then the stall lifts and all drains.
 *   (+ retained)  The same two with forced GCs at the baseline, when full and at the end: the memory
 *                 still reachable, which does not depend on when V8 collects.
 *   pullFrom      `--lines` lines (default 1,000,000) of 50..150 bytes from a file, pulled into one
 *                 shard at its capacity (limits on, aggregation on, maxBufferedRecords 2,000).
 */
import { parseArgs } from 'node:util';
import { runControlCase, runHotCase, runPullCase } from '../integration/memory/cases.js';
import type { RetainedProbe } from '../integration/memory/retained.js';
import type { RssFigures } from '../integration/memory/rss.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const { values: args } = parseArgs({
  options: {
    lines: { type: 'string', default: '1000000' },
    maxBufferedRecords: { type: 'string', default: '2000' },
    aggregation: { type: 'boolean', default: true },
    cases: { type: 'string', default: 'control,fail,dropOldest,retained,pullFrom' },
  },
});
const cases = new Set(args.cases.split(','));
const MiB = 1024 * 1024;
const mib = (bytes: number) => Math.round((bytes / MiB) * 10) / 10;

interface Row {
  case: string;
  offered: number;
  sent: number;
  dropped: number;
  expired: number;
  otherFailed: number;
  heldRecordsPeak: number;
  heldMiBPeak: number;
  baselineRssMiB: number;
  /** Highest RSS above the baseline: the larger of the 50 ms samples and the kernel's peak. */
  peakRssGrowthMiB: number;
  /** Retained (after forced GCs) above the baseline's, at the fullest probe. */
  retainedGrowthMiB?: number;
  newSpaceMiB: string;
  durationS: number;
  note: string;
  [key: string]: unknown;
}

const rssColumns = (rss: RssFigures) => ({
  baselineRssMiB: mib(rss.baselineBytes),
  peakRssGrowthMiB: mib(Math.max(rss.peakBytes, rss.maxRssBytes) - rss.baselineBytes),
  newSpaceMiB: `${mib(rss.newSpaceAtBaselineBytes)} -> ${mib(rss.peakNewSpaceBytes)}`,
  peakHeapUsedMiB: mib(rss.peakHeapUsedBytes),
  peakExternalMiB: mib(rss.peakExternalBytes),
});

function retainedGrowth(probes: RetainedProbe[]): number | undefined {
  const base = probes.find((p) => p.at === 'baseline');
  const full = probes.filter((p) => p.at !== 'baseline' && p.at !== 'end').sort((a, b) => b.retainedBytes - a.retainedBytes)[0];
  return base && full ? mib(full.retainedBytes - base.retainedBytes) : undefined;
}

const rows: Row[] = [];
const log = (row: Row) => {
  rows.push(row);
  console.error(`done: ${row.case} in ${row.durationS} s`);
};

if (cases.has('control')) {
  const r = await runControlCase(1_000_000);
  log({
    case: 'control: ring buffer, no producer',
    offered: r.offered,
    sent: 0,
    dropped: r.dropped,
    expired: 0,
    otherFailed: 0,
    heldRecordsPeak: r.heldRecordsPeak,
    heldMiBPeak: mib(r.heldBytesPeak),
    ...rssColumns(r.rss),
    durationS: r.sourceMs / 1000,
    offeredPerSecond: Math.round(r.offered / (r.sourceMs / 1000)),
    note: `source ${r.sourceMs} ms`,
  });
}

for (const overflow of ['fail', 'dropOldest'] as const) {
  for (const probeRetained of [false, true]) {
    if (!cases.has(overflow) || (probeRetained && !cases.has('retained'))) continue;
    const r = await runHotCase(
      overflow === 'fail'
        ? { overflow, shards: 16, values: 0, recordTtlMs: 3000, requestTimeoutMs: 5000, probeRetained, timeoutMs: 120_000 }
        : { overflow, shards: 16, values: 1_000_000, recordTtlMs: 60_000, requestTimeoutMs: 5000, probeRetained, timeoutMs: 180_000 },
    );
    const failed = r.outcomes.failed;
    const known = (failed.Dropped ?? 0) + (failed.Expired ?? 0);
    log({
      case: `${overflow}${probeRetained ? ' (+ retained, forced GCs)' : ''}`,
      offered: r.offered,
      sent: r.outcomes.sent,
      dropped: failed.Dropped ?? 0,
      expired: failed.Expired ?? 0,
      otherFailed: Object.values(failed).reduce((a, b) => a + b, 0) - known,
      heldRecordsPeak: r.heldRecordsPeak,
      heldMiBPeak: mib(r.heldBytesPeak),
      ...rssColumns(r.rss),
      retainedGrowthMiB: retainedGrowth(r.retained),
      durationS: r.durationMs / 1000,
      offeredPerSecond: Math.round(r.offered / (r.sourceMs / 1000)),
      exactlyOnce: r.outcomes.missing === 0 && r.outcomes.duplicated === 0 && r.outcomes.total === r.offered,
      droppedSignalled: r.droppedSignalled,
      expiredSignalled: r.expiredSignalled,
      outputError: r.outputError?.name,
      retained: r.retained.map((p) => ({ at: p.at, heldRecords: p.heldRecords, heldMiB: mib(p.heldBytes), retainedMiB: mib(p.retainedBytes) })),
      note: overflow === 'fail' ? `overflow after ${r.sourceMs} ms; output errored ${r.outputError?.name}` : `source ${r.sourceMs} ms, stall lifted then`,
    });
  }
}

if (cases.has('pullFrom')) {
  const lines = Number(args.lines);
  const maxBufferedRecords = Number(args.maxBufferedRecords);
  const r = await runPullCase({ lines, maxBufferedRecords, aggregation: args.aggregation, timeoutMs: 3_600_000 });
  const seconds = r.durationMs / 1000;
  const failed = Object.values(r.outcomes.failed).reduce((a, b) => a + b, 0);
  log({
    case: `pullFrom ${lines} lines, 1 shard${args.aggregation ? ', aggregation' : ''}`,
    offered: r.lines,
    sent: r.outcomes.sent,
    dropped: r.outcomes.failed.Dropped ?? 0,
    expired: r.outcomes.failed.Expired ?? 0,
    otherFailed: failed - (r.outcomes.failed.Dropped ?? 0) - (r.outcomes.failed.Expired ?? 0),
    heldRecordsPeak: r.heldRecordsPeak,
    heldMiBPeak: mib(r.heldBytesPeak),
    ...rssColumns(r.rss),
    durationS: seconds,
    exactlyOnce: r.outcomes.missing === 0 && r.outcomes.duplicated === 0 && r.outcomes.total === r.lines,
    maxBufferedRecords,
    highWatermarkRecords: 0.8 * maxBufferedRecords,
    pressureChanges: r.pressureChanges,
    fileMiB: mib(r.fileBytes),
    linesPerSecond: Math.round(r.lines / seconds),
    kinesisRecords: r.kinesisRecords,
    requests: r.requests,
    serviceAcceptedBytesPerSecond: r.service ? Math.round(r.service.acceptedBytes / seconds) : undefined,
    /** The shard's byte budget is 1 MiB/s; with aggregation the bytes bind, not the 1000 records/s. */
    shardBytesUtilization: r.service ? Math.round((r.service.acceptedBytes / seconds / MiB) * 1000) / 10 : undefined,
    serviceThrottled: r.service?.throttledRecords,
    maxWindowBytes: r.service?.maxWindowBytes,
    rssTimeline: r.rss.timeline.filter((_, i) => i % 8 === 0).map(([t, rss]) => [Math.round(t / 1000), rss]),
    note: `${Math.round(r.lines / seconds)} lines/s`,
  });
}

console.log('\n| case | offered | sent | dropped | expired | other failed | held peak (values / MiB) | baseline RSS MiB | peak RSS - baseline MiB | retained - baseline MiB (forced GC) | V8 young gen MiB | duration s | note |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  const cells = [r.case, r.offered, r.sent, r.dropped, r.expired, r.otherFailed, `${r.heldRecordsPeak} / ${r.heldMiBPeak}`, r.baselineRssMiB, r.peakRssGrowthMiB, r.retainedGrowthMiB ?? '', r.newSpaceMiB, r.durationS, r.note];
  console.log(`| ${cells.join(' | ')} |`);
}
for (const r of rows) console.log(JSON.stringify(r));
