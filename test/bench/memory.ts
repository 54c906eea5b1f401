/**
 * `npm run bench:memory`: what the producer holds in memory, each case measured in its own child
 * process (test/integration/memory/). Prints where a held value's bytes go, the RSS bounds as figures
 * and ratios, a table of the cases, then one JSON line per case.
 *
 *   perValue      `--values` tiny values (default 500,000) held against a client that never answers,
 *                 measured after forced GCs beside the same values as bare arrays, encoded bytes,
 *                 records with and without the producer's fields, and batch arrays.
 *   control       The hot source into a plain ring buffer of 64 MiB that drops its oldest, no producer:
 *                 what V8 alone takes to hold that much of such values under that churn.
 *   fail          200,000 values/s of 100 B..1 KiB, endpoint stalled (10 s latency), 16 shards,
 *                 maxBufferedBytes 64 MiB, overflow 'fail': the output errors with BufferOverflow once
 *                 the buffer is full. A value may expect to wait a third of recordTtlMs: 30 s lets 16
 *                 shards accept ~157,000 such values, more than 64 MiB, so the bytes bind.
 *   dropOldest    The same with 'dropOldest', 1,000,000 values, then the stall lifts and all drains.
 *   (+ retained)  The same two with forced GCs at the baseline, when full and at the end: the memory
 *                 still reachable, which does not depend on when V8 collects.
 *   pullFrom      `--smallLines` (20,000) and `--lines` (1,000,000) lines of 50..150 bytes from a file,
 *                 pulled into one shard at its capacity (limits on, aggregation on) on the time bound
 *                 alone, `--recordTtlMs` 6000: reading pauses at 1.6 s of the shard's budget, about
 *                 15,000 lines, so both runs reach the bound.
 */
import { parseArgs } from 'node:util';
import { runControlCase, runHotCase, runPullCase } from '../integration/memory/cases.js';
import type { PerValueResult } from '../integration/memory/per-value.js';
import { runChild } from '../integration/memory/run-child.js';
import { boundsTable, casesTable, mib, perValueTable, retainedGrowth, rssColumns, type Bound, type Row } from './memory-report.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const { values: args } = parseArgs({
  options: {
    values: { type: 'string', default: '500000' },
    lines: { type: 'string', default: '1000000' },
    smallLines: { type: 'string', default: '20000' },
    recordTtlMs: { type: 'string', default: '6000' },
    maxBufferedRecords: { type: 'string' },
    aggregation: { type: 'boolean', default: true },
    cases: { type: 'string', default: 'perValue,control,fail,dropOldest,retained,pullFrom' },
  },
});
const cases = new Set(args.cases.split(','));
const MiB = 1024 * 1024;
const HELD_BYTES = 64 * MiB;
/** The issue's bound on two runs that differ only in the source's size. */
const SAME_PEAK = 1.1;

const rows: Row[] = [];
const peaks = new Map<string, { peak: number; growth: number }>();
const log = (key: string, row: Row) => {
  rows.push(row);
  peaks.set(key, { peak: row.peakRssMiB * MiB, growth: row.peakRssGrowthMiB * MiB });
  console.error(`done: ${row.case} in ${row.durationS} s`);
};

let perValue: PerValueResult | undefined;
if (cases.has('perValue')) {
  perValue = await runChild<PerValueResult>({ script: 'per-value.ts', config: { values: Number(args.values) }, timeoutMs: 300_000, exposeGc: true });
  console.error(`done: perValue ${JSON.stringify(perValue)}`);
}

if (cases.has('control')) {
  const r = await runControlCase(1_000_000, HELD_BYTES);
  log('control', {
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
    const common = { overflow, shards: 16, maxBufferedBytes: HELD_BYTES, requestTimeoutMs: 5000, probeRetained };
    const r = await runHotCase(
      overflow === 'fail' ? { ...common, values: 0, recordTtlMs: 30_000, timeoutMs: 120_000 } : { ...common, values: 1_000_000, recordTtlMs: 60_000, timeoutMs: 180_000 },
    );
    const failed = r.outcomes.failed;
    const known = (failed.Dropped ?? 0) + (failed.Expired ?? 0) + (failed.BufferOverflow ?? 0);
    log(probeRetained ? `${overflow}+retained` : overflow, {
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

for (const lines of cases.has('pullFrom') ? [Number(args.smallLines), Number(args.lines)] : []) {
  const recordTtlMs = Number(args.recordTtlMs);
  const maxBufferedRecords = args.maxBufferedRecords === undefined ? undefined : Number(args.maxBufferedRecords);
  const r = await runPullCase({ lines, recordTtlMs, maxBufferedRecords, aggregation: args.aggregation, timeoutMs: 3_600_000 });
  const seconds = r.durationMs / 1000;
  const failed = Object.values(r.outcomes.failed).reduce((a, b) => a + b, 0);
  log(`pull-${lines}`, {
    case: `pullFrom ${lines} lines, 1 shard${args.aggregation ? ', aggregation' : ''}, recordTtlMs ${recordTtlMs}${maxBufferedRecords ? `, maxBufferedRecords ${maxBufferedRecords}` : ''}`,
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
    pressureChanges: r.pressureChanges,
    pressure: r.pressure.slice(0, 6),
    fileMiB: mib(r.fileBytes),
    kinesisRecords: r.kinesisRecords,
    requests: r.requests,
    /** The shard's byte budget is 1 MiB/s; with aggregation the bytes bind, not the 1000 records/s. */
    shardBytesUtilization: r.service ? Math.round((r.service.acceptedBytes / seconds / MiB) * 1000) / 10 : undefined,
    serviceThrottled: r.service?.throttledRecords,
    rssTimeline: r.rss.timeline.filter((_, i) => i % 8 === 0).map(([t, rss]) => [Math.round(t / 1000), rss]),
    note: `${Math.round(r.lines / seconds)} lines/s`,
  });
}

if (perValue !== undefined) console.log(`\n## Memory per held value\n\n${perValueTable(perValue)}`);

const bounds: Bound[] = [];
const control = peaks.get('control');
for (const key of ['fail', 'dropOldest', 'fail+retained', 'dropOldest+retained']) {
  const hot = peaks.get(key);
  if (control === undefined || hot === undefined) continue;
  bounds.push({ what: `${key}: peak RSS`, measured: hot.peak, bound: control.peak + HELD_BYTES, of: "the control's peak RSS + 64 MiB" });
  bounds.push({ what: `${key}: peak RSS growth`, measured: hot.growth, bound: control.growth + HELD_BYTES, of: "the control's growth + 64 MiB" });
}
const small = peaks.get(`pull-${args.smallLines}`);
const large = peaks.get(`pull-${args.lines}`);
if (small !== undefined && large !== undefined) {
  bounds.push({ what: `pullFrom ${args.lines} lines: peak RSS`, measured: large.peak, bound: SAME_PEAK * small.peak, of: `1.1 x the ${args.smallLines}-line run's` });
  bounds.push({ what: `pullFrom ${args.lines} lines: peak RSS growth`, measured: large.growth, bound: SAME_PEAK * small.growth, of: `1.1 x the ${args.smallLines}-line run's` });
}
if (bounds.length > 0) console.log(`\n## RSS bounds\n\n${boundsTable(bounds)}`);
if (rows.length > 0) console.log(`\n## Cases\n\n${casesTable(rows)}\n`);
if (perValue !== undefined) console.log(JSON.stringify({ case: 'perValue', ...perValue }));
for (const r of rows) console.log(JSON.stringify(r));
