/**
 * The five cases, run from the parent: each starts the local Kinesis in its own process, then one
 * worker process per contender and repetition. Repetitions go round-robin over the contenders, so a
 * burst of load from other processes falls on all of them rather than on one.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LocalKinesisStats } from '../../../src/testing/types.js';
import type { AggregationConfig } from './aggregation.js';
import { MiB, median, ROOT } from './common.js';
import type { ContenderName } from './contenders.js';
import { load1 } from './environment.js';
import { startServer, runWorker } from './processes.js';
import { summarizeProfile, type Frame } from './profile.js';
import { readBackIds } from './read-back.js';
import type { MemoryConfig, PacedConfig, ThroughputConfig } from './worker.js';

export interface Settings {
  reps: number;
  keys: number;
  throughput: { sizes: number[]; warmupMs: number; measureMs: number; shards: number; profile: boolean };
  aggregation: Omit<AggregationConfig, 'mode'>;
  utilization: { shards: number; valueBytes: number; load: number; durationMs: number; skipMs: number; drainMs: number; idleMs: number };
  budget: { shards: number; sizes: number[]; load: number; durationMs: number; drainMs: number; idleMs: number };
  latency: { shards: number; valueBytes: number; load: number; durationMs: number; skipMs: number; drainMs: number };
  memory: { valueBytes: number; rate: number; durationMs: number; stallMs: number; maxBufferedBytes: number };
}

export type Log = (line: string) => void;

/** Median, min and max of a figure over the repetitions. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number[];
}
export const spread = (runs: number[]): Spread => ({ median: median(runs), min: Math.min(...runs), max: Math.max(...runs), runs });

const SHARD_RECORDS_PER_SECOND = 1000;
const SHARD_BYTES_PER_SECOND = MiB;
const isOurs = (c: ContenderName) => c.startsWith('rxjs-kinesis');
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Runs `body` for every repetition and contender, round-robin, and logs the load around each run. */
async function roundRobin<R>(reps: number, contenders: ContenderName[], body: (c: ContenderName, rep: number) => Promise<R>) {
  const runs = new Map<ContenderName, (R & { load1: number })[]>(contenders.map((c) => [c, []]));
  for (let rep = 0; rep < reps; rep++) {
    for (const c of contenders) runs.get(c)!.push({ ...(await body(c, rep)), load1: load1() });
  }
  return runs;
}

// ---------------------------------------------------------------------------------------------------

type ThroughputRun = Awaited<ReturnType<typeof throughputWorker>>;
const throughputWorker = (config: ThroughputConfig) =>
  runWorker<{ valuesPerSecond: number; cpuMicrosPerValue: number; valuesPerCpuSecond: number; cpuShare: number; values: number; entryErrors: object; requestErrors: number; failed: object }>({
    config,
    timeoutMs: config.warmupMs + config.measureMs + 60_000,
  });

export async function throughput(s: Settings, contenders: ContenderName[], log: Log) {
  const server = await startServer({ fast: true, limits: false });
  try {
    await server.createStream('bench', s.throughput.shards);
    const target = { endpoint: server.endpoint, region: server.region, streamName: 'bench' };
    const cells: { contender: ContenderName; valueBytes: number; aggregation: boolean; runs: ThroughputRun[]; loads: number[] }[] = [];
    const base = (contender: ContenderName, valueBytes: number): ThroughputConfig => ({
      mode: 'throughput',
      contender,
      target,
      valueBytes,
      keys: s.keys,
      warmupMs: s.throughput.warmupMs,
      measureMs: s.throughput.measureMs,
      // At most this many values given and not yet accepted: several full batches per shard, 64 MiB at most.
      window: Math.min(20_000, Math.floor((64 * MiB) / valueBytes)),
      // Limits off: fast mode with limits off measures the pipeline itself.
      ours: { rateLimit: false },
    });
    for (const valueBytes of s.throughput.sizes) {
      const runs = await roundRobin(s.reps, contenders, async (contender, rep) => {
        const r = await throughputWorker(base(contender, valueBytes));
        log(`  throughput ${valueBytes} B  ${contender.padEnd(22)} rep ${rep + 1}: ${Math.round(r.valuesPerSecond).toLocaleString('en-US')} values/s, ${r.cpuMicrosPerValue.toFixed(2)} us CPU/value (load ${load1()})`);
        return r;
      });
      for (const [contender, rs] of runs) cells.push({ contender, valueBytes, aggregation: contender === 'rxjs-kinesis+agg', runs: rs, loads: rs.map((r) => r.load1) });
    }
    // One extra, profiled run of ours per size, not counted: where the time goes.
    const profiles: { contender: ContenderName; valueBytes: number; file: string; gcPercent: number; bySelf: Frame[]; byTotal: Frame[] }[] = [];
    if (s.throughput.profile) {
      for (const contender of contenders.filter(isOurs)) {
        const valueBytes = s.throughput.sizes[0];
        const file = join(ROOT, '.bench', 'profiles', `throughput-${contender}-${valueBytes}.cpuprofile`);
        mkdirSync(dirname(file), { recursive: true });
        await throughputWorker({ ...base(contender, valueBytes), profile: file });
        const summary = summarizeProfile(file, 15);
        profiles.push({ contender, valueBytes, file, gcPercent: summary.gcPercent, bySelf: summary.bySelf, byTotal: summary.byTotal });
        log(`  profiled ${contender} ${valueBytes} B -> ${file}`);
      }
    }
    return {
      cells: cells.map((c) => ({
        contender: c.contender,
        valueBytes: c.valueBytes,
        aggregation: c.aggregation,
        valuesPerSecond: spread(c.runs.map((r) => r.valuesPerSecond)),
        cpuMicrosPerValue: spread(c.runs.map((r) => r.cpuMicrosPerValue)),
        valuesPerCpuSecond: spread(c.runs.map((r) => r.valuesPerCpuSecond)),
        cpuShare: spread(c.runs.map((r) => r.cpuShare)),
        errors: c.runs.map((r) => ({ entryErrors: r.entryErrors, requestErrors: r.requestErrors, failed: r.failed })),
        load1: c.loads,
      })),
      profiles,
    };
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------------------------------------------

export async function aggregation(s: Settings, log: Log) {
  const r = await runWorker<{ samples: Record<string, number[]>; meta: Record<string, { aggregates: number; meanBytes: number }> }>({
    config: { mode: 'aggregation', ...s.aggregation },
    timeoutMs: 600_000,
  });
  const names = Object.keys(r.samples);
  const [ours, awsGroups, awsOwn] = names;
  const ratio = (a: string, b: string) => spread(r.samples[a].map((x, i) => x / r.samples[b][i]));
  const out = {
    contenders: names.map((name) => ({ name, recordsPerSecond: spread(r.samples[name]), ...r.meta[name] })),
    oursVsAwsOnOurGroups: ratio(ours, awsGroups),
    oursVsAwsOwnCut: ratio(ours, awsOwn),
    load1: load1(),
  };
  log(`  aggregation: ours ${Math.round(out.contenders[0].recordsPerSecond.median).toLocaleString('en-US')} records/s, ${out.oursVsAwsOnOurGroups.median.toFixed(2)}x aws-kinesis-agg on the same groups`);
  return out;
}

// ---------------------------------------------------------------------------------------------------

interface PacedRun {
  offered: number;
  offerMs: number;
  acceptedDistinct: number;
  acceptedDuplicates: number;
  notAccepted: number;
  tailMs: number;
  lastAcceptedMs: number;
  timedOut: boolean;
  latencyMs: { p50: number; p90: number; p99: number; max: number; count: number };
  failed: Record<string, number>;
  entryErrors: Record<string, number>;
  requestErrors: number;
  requestErrorSample?: string;
}

const acceptedRecords = (stats: LocalKinesisStats, stream: string) => stats.shards.filter((x) => x.streamName === stream).reduce((n, x) => n + x.acceptedRecords, 0);
const acceptedBytes = (stats: LocalKinesisStats, stream: string) => stats.shards.filter((x) => x.streamName === stream).reduce((n, x) => n + x.acceptedBytes, 0);
const throttledRecords = (stats: LocalKinesisStats, stream: string) => stats.shards.filter((x) => x.streamName === stream).reduce((n, x) => n + x.throttledRecords, 0);

/** Values/s a stream of `shards` takes with values of `valueBytes` (the records limit or the bytes limit, whichever binds). */
export function capacity(shards: number, valueBytes: number, keyBytes: number) {
  return shards * Math.min(SHARD_RECORDS_PER_SECOND, Math.floor(SHARD_BYTES_PER_SECOND / (valueBytes + keyBytes)));
}

export async function utilization(s: Settings, contenders: ContenderName[], log: Log) {
  const u = s.utilization;
  // device-0 .. device-9999: 11 bytes on average; the bytes limit only binds above ~1 KiB values anyway.
  const cap = capacity(u.shards, u.valueBytes, 11);
  const server = await startServer({ limits: true });
  try {
    const runs = await roundRobin(s.reps, contenders, async (contender, rep) => {
      const streamName = `util-${rep}-${contender.replace(/[^a-zA-Z0-9]/g, '-')}`;
      await server.createStream(streamName, u.shards);
      // Accepted records sampled while the source runs: the first seconds are left out, when each shard's
      // bucket starts full (the service lets an idle shard burst a second's budget).
      const samples: { at: number; accepted: number }[] = [];
      let sampler: NodeJS.Timeout | undefined;
      const sample = async () => samples.push({ at: performance.now(), accepted: acceptedRecords(await server.stats(), streamName) });
      const config: PacedConfig = {
        mode: 'utilization',
        contender,
        target: { endpoint: server.endpoint, region: server.region, streamName },
        valueBytes: u.valueBytes,
        keys: s.keys,
        rate: cap * u.load,
        durationMs: u.durationMs,
        drainMs: u.drainMs,
        idleMs: u.idleMs,
        latencyFromMs: 0,
        // Ours with its defaults (per-shard limits at 100% of the budget, adaptive rate, no aggregation) but a
        // TTL that covers the burst: 12 s at twice the budget makes the last values wait about 12 s, and by
        // default a value may expect to wait at most a third of 30 s, so the burst's end would be refused.
        ours: { recordTtlMs: 60_000 },
      };
      const r = await runWorker<PacedRun>({
        config,
        timeoutMs: u.durationMs + u.drainMs + 60_000,
        onEvent: async (e) => {
          if (e.event === 'offerStart') {
            await sample();
            sampler = setInterval(sample, 250);
          } else {
            clearInterval(sampler);
            await sample();
          }
        },
      });
      const stats = await server.stats();
      const stored = await readBackIds(server.endpoint, server.region, streamName, r.offered);
      const t0 = samples[0].at;
      const start = samples.find((x) => x.at - t0 >= u.skipMs) ?? samples[0];
      const end = samples[samples.length - 1];
      const acceptedInOffer = end.accepted - start.accepted;
      const accepted = acceptedRecords(stats, streamName);
      const throttled = throttledRecords(stats, streamName);
      const run = {
        offered: r.offered,
        capacityPerSecond: cap,
        offeredPerSecond: round(r.offered / (r.offerMs / 1000), 0),
        /** Records the service accepted while the source ran, as a share of what the shards can take. */
        utilizationPercent: round((acceptedInOffer / ((end.at - start.at) / 1000) / cap) * 100),
        accepted,
        acceptedBytes: acceptedBytes(stats, streamName),
        throttledEntries: throttled,
        throttledPercent: round((throttled / Math.max(1, accepted + throttled)) * 100, 2),
        lost: stored.lost,
        duplicated: stored.duplicated,
        stored: stored.stored,
        tailMs: round(r.tailMs, 0),
        drainTimedOut: r.timedOut,
        reportedFailed: r.failed,
        requestErrors: r.requestErrors,
        requestErrorSample: r.requestErrorSample,
      };
      log(
        `  utilization ${contender.padEnd(22)} rep ${rep + 1}: ${run.utilizationPercent}% of capacity, ${run.throttledPercent}% throttled, ` +
          `lost ${run.lost}, duplicated ${run.duplicated}, tail ${run.tailMs} ms${run.drainTimedOut ? ' (drain cut off)' : ''}`,
      );
      return run;
    });
    return [...runs].map(([contender, rs]) => ({
      contender,
      utilizationPercent: spread(rs.map((r) => r.utilizationPercent)),
      throttledPercent: spread(rs.map((r) => r.throttledPercent)),
      lost: spread(rs.map((r) => r.lost)),
      duplicated: spread(rs.map((r) => r.duplicated)),
      tailMs: spread(rs.map((r) => r.tailMs)),
      runs: rs,
    }));
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------------------------------------------

/**
 * The budget used: values offered at `load` times what the shards take, to shards whose budgets start empty
 * (emptied the instant the offer starts: no idle-shard burst to hide a slow ramp-up). Everything offered is
 * taken once the source ends, so the fastest possible finish is the offer divided by the capacity; how close
 * each contender comes, and what it cost in throttled entries, is the figure.
 */
export async function budget(s: Settings, contenders: ContenderName[], log: Log) {
  const b = s.budget;
  const server = await startServer({ limits: true });
  try {
    const cells = [];
    for (const valueBytes of b.sizes) {
      const cap = capacity(b.shards, valueBytes, 11);
      const bound = SHARD_RECORDS_PER_SECOND * (valueBytes + 11) > SHARD_BYTES_PER_SECOND ? 'bytes' : 'records';
      const runs = await roundRobin(s.reps, contenders, async (contender, rep) => {
        const streamName = `budget-${valueBytes}-${rep}-${contender.replace(/[^a-zA-Z0-9]/g, '-')}`;
        await server.createStream(streamName, b.shards);
        const config: PacedConfig = {
          mode: 'budget',
          contender,
          target: { endpoint: server.endpoint, region: server.region, streamName },
          valueBytes,
          keys: s.keys,
          rate: cap * b.load,
          durationMs: b.durationMs,
          drainMs: b.drainMs,
          idleMs: b.idleMs,
          latencyFromMs: 0,
          // Ours with its defaults.
          ours: {},
        };
        const r = await runWorker<PacedRun>({
          config,
          timeoutMs: b.durationMs + b.drainMs + 60_000,
          onEvent: async (e) => {
            if (e.event === 'ready') await server.drainBudget(streamName);
          },
        });
        const stats = await server.stats();
        const stored = await readBackIds(server.endpoint, server.region, streamName, r.offered);
        const shards = stats.shards.filter((x) => x.streamName === streamName);
        const accepted = acceptedRecords(stats, streamName);
        const throttled = throttledRecords(stats, streamName);
        const fastestMs = (r.offered / cap) * 1000;
        // The busiest sliding second of any shard against its budget, in records or bytes.
        const busiest = Math.max(...shards.map((x) => Math.max(x.maxWindowRecords / SHARD_RECORDS_PER_SECOND, x.maxWindowBytes / SHARD_BYTES_PER_SECOND)));
        const run = {
          offered: r.offered,
          capacityPerSecond: cap,
          fastestMs: round(fastestMs, 0),
          doneMs: round(r.lastAcceptedMs, 0),
          /** Values first accepted per second from the offer's start to the last of them, against the capacity. */
          utilizationPercent: round((r.acceptedDistinct / cap / (r.lastAcceptedMs / 1000)) * 100),
          lateByPercent: round((r.lastAcceptedMs / fastestMs - 1) * 100),
          throttledPercent: round((throttled / Math.max(1, accepted + throttled)) * 100, 2),
          busiestSecondPercent: round(busiest * 100),
          lost: stored.lost,
          duplicated: stored.duplicated,
          drainTimedOut: r.timedOut,
          reportedFailed: r.failed,
          requestErrors: r.requestErrors,
        };
        log(
          `  budget ${valueBytes} B ${contender.padEnd(22)} rep ${rep + 1}: ${run.utilizationPercent}% used, done ${run.lateByPercent}% after the fastest, ` +
            `${run.throttledPercent}% throttled, busiest second ${run.busiestSecondPercent}%, lost ${run.lost}, duplicated ${run.duplicated}`,
        );
        return run;
      });
      for (const [contender, rs] of runs) {
        cells.push({
          contender,
          valueBytes,
          bound,
          utilizationPercent: spread(rs.map((r) => r.utilizationPercent)),
          lateByPercent: spread(rs.map((r) => r.lateByPercent)),
          throttledPercent: spread(rs.map((r) => r.throttledPercent)),
          busiestSecondPercent: spread(rs.map((r) => r.busiestSecondPercent)),
          lost: spread(rs.map((r) => r.lost)),
          duplicated: spread(rs.map((r) => r.duplicated)),
          runs: rs,
        });
      }
    }
    return cells;
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------------------------------------------

export async function latency(s: Settings, contenders: ContenderName[], log: Log) {
  const l = s.latency;
  const cap = capacity(l.shards, l.valueBytes, 11);
  const server = await startServer({ limits: true });
  try {
    const runs = await roundRobin(s.reps, contenders, async (contender, rep) => {
      const streamName = `lat-${rep}-${contender.replace(/[^a-zA-Z0-9]/g, '-')}`;
      await server.createStream(streamName, l.shards);
      const r = await runWorker<PacedRun>({
        config: {
          mode: 'latency',
          contender,
          target: { endpoint: server.endpoint, region: server.region, streamName },
          valueBytes: l.valueBytes,
          keys: s.keys,
          rate: cap * l.load,
          durationMs: l.durationMs,
          drainMs: l.drainMs,
          idleMs: 500,
          latencyFromMs: l.skipMs,
          ours: {},
        } satisfies PacedConfig,
        timeoutMs: l.durationMs + l.drainMs + 60_000,
      });
      log(`  latency ${contender.padEnd(22)} rep ${rep + 1}: p50 ${r.latencyMs.p50.toFixed(1)} ms, p99 ${r.latencyMs.p99.toFixed(1)} ms (${r.latencyMs.count} values after the first ${l.skipMs} ms; ${r.notAccepted} of ${r.offered} not accepted)`);
      return r;
    });
    return [...runs].map(([contender, rs]) => ({
      contender,
      ratePerSecond: cap * l.load,
      p50: spread(rs.map((r) => round(r.latencyMs.p50, 1))),
      p99: spread(rs.map((r) => round(r.latencyMs.p99, 1))),
      max: spread(rs.map((r) => round(r.latencyMs.max, 1))),
      notAccepted: spread(rs.map((r) => r.notAccepted)),
      samples: rs.map((r) => r.latencyMs.count),
    }));
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------------------------------------------

interface MemoryRun {
  offered: number;
  offeredBytes: number;
  accepted: number;
  failed: Record<string, number>;
  baselineRssBytes: number;
  peakRssBytes: number;
  growthBytes: number;
  maxRssBytes: number;
  peakHeapUsedBytes: number;
  peakExternalBytes: number;
  retainedBytes: number;
  timeline: [number, number, number, number][];
}

/** Highest RSS in the second half of the run minus highest RSS in the first half, in MiB. */
function secondHalfGrowth(timeline: [number, number, number, number][]): number {
  const end = timeline[timeline.length - 1]?.[0] ?? 0;
  const first = timeline.filter(([t]) => t <= end / 2).map(([, rss]) => rss);
  const second = timeline.filter(([t]) => t > end / 2).map(([, rss]) => rss);
  return round(Math.max(...second) - Math.max(...first));
}

export async function memory(s: Settings, contenders: ContenderName[], log: Log) {
  const m = s.memory;
  const toMiB = (b: number) => round(b / MiB, 1);
  const runs = await roundRobin(s.reps, contenders, async (contender, rep) => {
    // A fresh endpoint per run: requests a stalled run left open must not weigh on the next.
    const server = await startServer({ fast: true, limits: false, faults: { latencyMs: m.stallMs } });
    try {
      await server.createStream('stalled', 2);
      const r = await runWorker<MemoryRun>({
        config: {
          mode: 'memory',
          contender,
          target: { endpoint: server.endpoint, region: server.region, streamName: 'stalled' },
          valueBytes: m.valueBytes,
          keys: s.keys,
          rate: m.rate,
          durationMs: m.durationMs,
          sampleMs: 50,
          // The bound under test; what does not fit is dropped with an outcome, so the source runs on.
          ours: { maxBufferedBytes: m.maxBufferedBytes, overflow: 'dropIncoming', rateLimit: false },
        } satisfies MemoryConfig,
        timeoutMs: m.durationMs + 60_000,
      });
      log(`  memory ${contender.padEnd(22)} rep ${rep + 1}: peak RSS ${toMiB(r.peakRssBytes)} MiB (+${toMiB(r.growthBytes)} MiB over ${toMiB(r.baselineRssBytes)}), ${toMiB(r.offeredBytes)} MiB offered`);
      return r;
    } finally {
      await server.stop();
    }
  });
  return [...runs].map(([contender, rs]) => ({
    contender,
    peakRssMiB: spread(rs.map((r) => toMiB(r.peakRssBytes))),
    growthMiB: spread(rs.map((r) => toMiB(r.growthBytes))),
    baselineMiB: spread(rs.map((r) => toMiB(r.baselineRssBytes))),
    offeredMiB: spread(rs.map((r) => toMiB(r.offeredBytes))),
    peakHeapUsedMiB: spread(rs.map((r) => toMiB(r.peakHeapUsedBytes))),
    peakExternalMiB: spread(rs.map((r) => toMiB(r.peakExternalBytes))),
    /** V8 heap + external memory still reachable after a full GC at the end, over the same before the source. */
    retainedMiB: spread(rs.map((r) => toMiB(r.retainedBytes))),
    /** RSS growth over the second half of the source's run: about 0 when memory is bounded, steady when it is not. */
    secondHalfGrowthMiB: spread(rs.map((r) => secondHalfGrowth(r.timeline))),
    dropped: spread(rs.map((r) => r.failed.Dropped ?? 0)),
    timeline: rs[0].timeline,
  }));
}
