/**
 * Child process: one contender, one case, one repetition. Takes its configuration as one JSON argument,
 * sends `{ event }` messages to the parent while it runs and its result last, then exits, so every case
 * starts from a fresh process (CPU time and RSS are the case's own).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { createContender, type Acks, type ContenderName } from './contenders.js';
import { MiB, quantile, sleep, valueMaker, type Target } from './common.js';
import { aggregationRounds, type AggregationConfig } from './aggregation.js';
import type { ProducerOptions } from '../../../src/index.js';

interface Common {
  contender: ContenderName;
  target: Target;
  valueBytes: number;
  keys: number;
  ours?: Partial<ProducerOptions>;
}

/** Pipeline throughput: a source as fast as the contender takes values, at most `window` unaccepted. */
export interface ThroughputConfig extends Common {
  mode: 'throughput';
  warmupMs: number;
  measureMs: number;
  window: number;
  /** Write a V8 CPU profile of the measured window (not the start-up) to this file. */
  profile?: string;
}
/** A source paced at `rate` values/s for `durationMs`, then the input ends and the contender drains. */
export interface PacedConfig extends Common {
  mode: 'latency' | 'utilization' | 'budget';
  rate: number;
  durationMs: number;
  /** Longest wait for the contender to finish once the input is over. */
  drainMs: number;
  /** The contender counts as finished after this long with nothing visibly held. */
  idleMs: number;
  /** Latencies count only values written this long after the start (first requests open connections, load the shard map). */
  latencyFromMs: number;
}
/** A hot source at `rate` values/s for `durationMs` into a stalled endpoint; RSS sampled every `sampleMs`. */
export interface MemoryConfig extends Common {
  mode: 'memory';
  rate: number;
  durationMs: number;
  sampleMs: number;
}
export type WorkerConfig = ThroughputConfig | PacedConfig | MemoryConfig | AggregationConfig;

/** The V8 profiler of this process, through the inspector protocol, so the profile covers one window. */
async function startProfiler() {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<any>((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  return { stop: async () => (await post('Profiler.stop')).profile };
}

const send = (message: object) => new Promise<void>((resolve) => process.send!(message, () => resolve()));
/** Sends `{ event }` and waits until the parent has handled it. */
const handled = (event: string) =>
  new Promise<void>((resolve) => {
    const onMessage = (m: any) => {
      if (m?.reply !== event) return;
      process.off('message', onMessage);
      resolve();
    };
    process.on('message', onMessage);
    void send({ event, reply: true });
  });
const cpuMicros = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

function counters() {
  const c = {
    ok: 0,
    failed: {} as Record<string, number>,
    settled: 0,
    entryErrors: {} as Record<string, number>,
    requestErrors: 0,
    requestErrorSample: undefined as string | undefined,
  };
  return c;
}

async function throughput(cfg: ThroughputConfig) {
  const { make, keyOf } = valueMaker(cfg.valueBytes, cfg.keys);
  const c = counters();
  let written = 0;
  let paused = false;
  let pump = () => {};
  const resumeAt = Math.floor(cfg.window / 2);
  const settle = () => {
    c.settled++;
    if (paused && written - c.settled <= resumeAt) {
      paused = false;
      setImmediate(pump);
    }
  };
  const acks: Acks = {
    ok: () => (c.ok++, settle()),
    failed: (_id, code) => ((c.failed[code] = (c.failed[code] ?? 0) + 1), settle()),
    entryError: (code) => (c.entryErrors[code] = (c.entryErrors[code] ?? 0) + 1),
    requestError: (m) => (c.requestErrors++, (c.requestErrorSample ??= m)),
  };
  const contender = await createContender(cfg.contender, { target: cfg.target, keyOf, ours: cfg.ours }, acks);
  const CHUNK = 1000;
  let stopped = false;
  pump = () => {
    if (stopped) return;
    for (let i = 0; i < CHUNK && written - c.settled < cfg.window; i++) contender.write(make(written++));
    if (written - c.settled < cfg.window) setImmediate(pump);
    else paused = true;
  };
  pump();
  await sleep(cfg.warmupMs);
  const profiler = cfg.profile ? await startProfiler() : undefined;
  const t0 = performance.now();
  const cpu0 = cpuMicros();
  const settled0 = c.settled;
  await sleep(cfg.measureMs);
  const t1 = performance.now();
  const cpu1 = cpuMicros();
  const settled1 = c.settled;
  stopped = true;
  if (profiler) writeFileSync(cfg.profile!, JSON.stringify(await profiler.stop()));
  const values = settled1 - settled0;
  const seconds = (t1 - t0) / 1000;
  return {
    values,
    seconds,
    valuesPerSecond: values / seconds,
    cpuMicrosPerValue: (cpu1 - cpu0) / values,
    /** Values per second of CPU time: what one fully busy core would do. */
    valuesPerCpuSecond: values / ((cpu1 - cpu0) / 1e6),
    cpuShare: (cpu1 - cpu0) / 1e6 / seconds,
    failed: c.failed,
    entryErrors: c.entryErrors,
    requestErrors: c.requestErrors,
    requestErrorSample: c.requestErrorSample,
  };
}

/** A source that emits what is due every 10 ms, catching up when a tick runs late, as a hot source does. */
function paced(rate: number, durationMs: number, total: number, write: (id: number) => void, done: () => void) {
  const started = performance.now();
  let written = 0;
  const timer = setInterval(() => {
    const elapsed = performance.now() - started;
    const due = Math.min(total, Math.floor((elapsed / 1000) * rate));
    while (written < due) write(written++);
    if (elapsed >= durationMs || written >= total) {
      clearInterval(timer);
      done();
    }
  }, 10);
  return { written: () => written };
}

async function pacedRun(cfg: PacedConfig) {
  const { make, keyOf } = valueMaker(cfg.valueBytes, cfg.keys);
  const total = Math.ceil((cfg.rate * cfg.durationMs) / 1000);
  const writtenAt = new Float64Array(total);
  const acceptedAt = new Float64Array(total);
  const acceptances = new Uint8Array(total);
  const c = counters();
  let distinct = 0;
  const acks: Acks = {
    ok(id) {
      c.ok++;
      if (id < total && acceptances[id]++ === 0) {
        distinct++;
        acceptedAt[id] = performance.now();
      }
    },
    failed: (_id, code) => (c.failed[code] = (c.failed[code] ?? 0) + 1),
    entryError: (code) => (c.entryErrors[code] = (c.entryErrors[code] ?? 0) + 1),
    requestError: (m) => (c.requestErrors++, (c.requestErrorSample ??= m)),
  };
  const contender = await createContender(cfg.contender, { target: cfg.target, keyOf, ours: cfg.ours }, acks);
  // The budget case starts from empty shard budgets: the parent empties them right before the offer.
  if (cfg.mode === 'budget') await handled('ready');
  await send({ event: 'offerStart' });
  const offerStart = performance.now();
  let offerEnd = 0;
  const source = await new Promise<ReturnType<typeof paced>>((resolve) => {
    const s = paced(
      cfg.rate,
      cfg.durationMs,
      total,
      (id) => {
        writtenAt[id] = performance.now();
        contender.write(make(id));
      },
      () => resolve(s),
    );
  });
  offerEnd = performance.now();
  await send({ event: 'offerEnd' });
  contender.end();
  const offered = source.written();
  // Finished: everything accepted, or nothing visibly held for idleMs, or out of time.
  let idleSince: number | undefined;
  let finishedAt = 0;
  let timedOut = false;
  for (;;) {
    const now = performance.now();
    if (distinct >= offered) break;
    if (!contender.busy()) {
      idleSince ??= now;
      if (now - idleSince >= cfg.idleMs) break;
    } else idleSince = undefined;
    if (now - offerEnd > cfg.drainMs) {
      timedOut = true;
      break;
    }
    await sleep(20);
  }
  finishedAt = idleSince ?? performance.now();
  const latencies: number[] = [];
  const from = offerStart + cfg.latencyFromMs;
  for (let id = 0; id < offered; id++) if (acceptances[id] > 0 && writtenAt[id] >= from) latencies.push(acceptedAt[id] - writtenAt[id]);
  let duplicates = 0;
  let lastAcceptedAt = offerStart;
  for (let id = 0; id < offered; id++) {
    if (acceptances[id] > 1) duplicates += acceptances[id] - 1;
    if (acceptances[id] > 0 && acceptedAt[id] > lastAcceptedAt) lastAcceptedAt = acceptedAt[id];
  }
  return {
    offered,
    offerMs: offerEnd - offerStart,
    acceptedDistinct: distinct,
    acceptedDuplicates: duplicates,
    notAccepted: offered - distinct,
    tailMs: Math.max(0, finishedAt - offerEnd),
    /** From the offer's start to the last first acceptance of a value. */
    lastAcceptedMs: lastAcceptedAt - offerStart,
    timedOut,
    latencyMs: {
      p50: quantile(latencies, 0.5),
      p90: quantile(latencies, 0.9),
      p99: quantile(latencies, 0.99),
      max: quantile(latencies, 1),
      count: latencies.length,
    },
    failed: c.failed,
    entryErrors: c.entryErrors,
    requestErrors: c.requestErrors,
    requestErrorSample: c.requestErrorSample,
  };
}

async function memory(cfg: MemoryConfig) {
  const { make, keyOf } = valueMaker(cfg.valueBytes, cfg.keys, true);
  const c = counters();
  const acks: Acks = {
    ok: () => c.ok++,
    failed: (_id, code) => (c.failed[code] = (c.failed[code] ?? 0) + 1),
    entryError: (code) => (c.entryErrors[code] = (c.entryErrors[code] ?? 0) + 1),
    requestError: (m) => (c.requestErrors++, (c.requestErrorSample ??= m)),
  };
  const contender = await createContender(cfg.contender, { target: cfg.target, keyOf, ours: cfg.ours }, acks);
  (globalThis as { gc?: () => void }).gc?.();
  await sleep(200);
  const before = process.memoryUsage();
  const baseline = before.rss;
  const baselineHeapAndExternal = before.heapUsed + before.external;
  let peak = baseline;
  let peakHeap = 0;
  let peakExternal = 0;
  const started = performance.now();
  /** [ms since the start, RSS, V8 heap used, ArrayBuffers and other memory V8 counts outside its heap], sizes in MiB. */
  const timeline: [number, number, number, number][] = [];
  const toMiB = (b: number) => Math.round((b / MiB) * 10) / 10;
  let samples = 0;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peak = Math.max(peak, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakExternal = Math.max(peakExternal, m.external);
    if (samples++ % 5 === 0) timeline.push([Math.round(performance.now() - started), toMiB(m.rss), toMiB(m.heapUsed), toMiB(m.external)]);
  }, cfg.sampleMs);
  const total = Math.ceil((cfg.rate * cfg.durationMs) / 1000);
  const source = await new Promise<ReturnType<typeof paced>>((resolve) => {
    const s = paced(cfg.rate, cfg.durationMs, total, (id) => contender.write(make(id)), () => resolve(s));
  });
  clearInterval(sampler);
  const end = process.memoryUsage();
  peak = Math.max(peak, end.rss);
  // What is still reachable once garbage is gone: what the contender holds (run with --expose-gc).
  (globalThis as { gc?: () => void }).gc?.();
  const retained = process.memoryUsage();
  return {
    offered: source.written(),
    offeredBytes: source.written() * cfg.valueBytes,
    sourceMs: performance.now() - started,
    accepted: c.ok,
    failed: c.failed,
    baselineRssBytes: baseline,
    peakRssBytes: peak,
    growthBytes: peak - baseline,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    peakHeapUsedBytes: peakHeap,
    peakExternalBytes: peakExternal,
    retainedBytes: retained.heapUsed + retained.external - baselineHeapAndExternal,
    timeline,
    requestErrors: c.requestErrors,
  };
}

async function main() {
  const cfg = JSON.parse(process.argv[2]) as WorkerConfig;
  let result: object;
  if (cfg.mode === 'throughput') result = await throughput(cfg);
  else if (cfg.mode === 'memory') result = await memory(cfg);
  else if (cfg.mode === 'aggregation') result = await aggregationRounds(cfg);
  else result = await pacedRun(cfg);
  await send(result);
  process.exit(0);
}

main().catch(async (error) => {
  await send({ error: String((error as Error)?.stack ?? error) });
  process.exit(1);
});
