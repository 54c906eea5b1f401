/**
 * Runs several producer processes against one stream of a local Kinesis (limits on) and measures what
 * the stream accepted: used by the shared-limits tests and by `npm run bench:shared`.
 */
import type { LocalKinesis } from '../../../src/testing/index.js';
import { readBack } from '../../helpers/read-back.js';
import { allSeeEachOther } from './presence-watch.js';
import { sleep, startChild, within } from './producer-child.js';
import type { ProducerReport } from './producer-process.js';
import type { RedisServer } from './redis-server.js';

const SHARD_RECORDS_PER_SECOND = 1000;
/** Longest wait for the processes to start, and then to see each other through Redis, in ms: a loaded machine starts them slowly. */
const JOIN_TIMEOUT_MS = 60_000;

export interface RunOptions {
  local: LocalKinesis;
  streamName: string;
  shards: number;
  processes: number;
  seconds: number;
  /** Values offered by all processes together, in multiples of the stream's record budget. */
  load: number;
  payloadBytes?: number;
  /** Share the budget through this Redis; none: each process limits itself alone. */
  redis?: RedisServer;
  /**
   * Stop Redis `at` seconds into the offer (or later: once every process has counted all the others,
   * so each falls back to its fair share), start it again `for` seconds after.
   */
  outage?: { at: number; for: number };
  /** Give shard `shard` (an index) `fraction` of its budget `at` seconds into the offer, as another writer would take the rest. */
  cut?: { at: number; shard: number; fraction: number };
  /** Time from every process ready (and, with Redis, seen by the others) to the offer's start, in ms. */
  warmupMs?: number;
}

interface Sample {
  t: number;
  /** Per shard index. */
  accepted: number[];
  throttled: number[];
}

export interface RunResult {
  /** Values the processes offered (`planned` if none was skipped). */
  offered: number;
  planned: number;
  sent: number;
  expired: number;
  /** Values dropped on arrival: a shard could not send them within a third of their TTL. */
  dropped: number;
  failed: number;
  /** Values without an outcome. */
  lost: number;
  /** Sent values missing from the stream, stored twice or on another shard, plus records no outcome claims. */
  readBackErrors: number;
  /** Records accepted during the offer, in % of the stream's budget over it. */
  utilization: number;
  /** Entries the stream throttled, in % of the entries it answered, over the whole run. */
  throttledShare: number;
  maxWindowRecords: number[];
  reports: ProducerReport[];
  /** Offer start and end, outage start and end, capacity cut, Date.now(). */
  times: { start: number; end: number; outage?: number; restart?: number; cut?: number };
  /** Throttled share of a window, in %, of one shard (an index) or all. */
  throttledIn(from: number, to: number, shard?: number): number;
  /** Records accepted per second in a window, by one shard (an index) or all. */
  acceptedIn(from: number, to: number, shard?: number): number;
  /** Most records all processes together sent to one shard within any one second of a window. */
  maxSendingWindow(from: number, to: number): number;
}

export async function runProcesses(o: RunOptions): Promise<RunResult> {
  const { local, streamName } = o;
  await local.createStream(streamName, o.shards);
  const perSecond = (o.load * o.shards * SHARD_RECORDS_PER_SECOND) / o.processes;
  const children = Array.from({ length: o.processes }, (_, i) =>
    startChild({
      endpoint: local.endpoint,
      region: local.region,
      streamName,
      ...(o.redis ? { redisPort: o.redis.port } : {}),
      seconds: o.seconds,
      perSecond,
      first: i * 100_000_000,
      payloadBytes: o.payloadBytes ?? 100,
    }),
  );
  const reporting = Promise.all(children.map((c) => c.report));
  reporting.catch(() => undefined); // awaited below; a process that dies before it is ready rejects `ready` too
  // The offer starts once every process is up and, sharing through Redis, counts the others.
  try {
    await within(Promise.all(children.map((c) => c.ready)), JOIN_TIMEOUT_MS, 'the producer processes did not start');
    if (o.redis) await allSeeEachOther(o.redis.port, streamName, o.processes, JOIN_TIMEOUT_MS);
  } catch (e) {
    for (const c of children) c.kill();
    throw e;
  }
  const start = Date.now() + (o.warmupMs ?? 1000);
  const end = start + o.seconds * 1000;
  for (const c of children) c.start({ startAt: start });
  const streamStats = () => local.stats().shards.filter((s) => s.streamName === streamName);
  const samples: Sample[] = [];
  const shardIds = Array.from({ length: o.shards }, (_, i) => `shardId-${String(i).padStart(12, '0')}`);
  const sample = () => {
    const stats = streamStats();
    const of = (id: string) => stats.find((s) => s.shardId === id);
    samples.push({ t: Date.now(), accepted: shardIds.map((id) => of(id)?.acceptedRecords ?? 0), throttled: shardIds.map((id) => of(id)?.throttledRecords ?? 0) });
  };
  const sampler = setInterval(sample, 250);
  const times: RunResult['times'] = { start, end };
  const timers: NodeJS.Timeout[] = [];
  let outage: Promise<void> = Promise.resolve();
  if (o.outage && o.redis) {
    const redis = o.redis;
    const { at, for: seconds } = o.outage;
    outage = sleep(start + at * 1000 - Date.now()).then(async () => {
      // Each process falls back to 1 / the processes it last counted: cut only once each counts them all.
      await allSeeEachOther(redis.port, streamName, o.processes, JOIN_TIMEOUT_MS);
      times.outage = Date.now();
      times.restart = times.outage + seconds * 1000;
      await redis.stop();
      await sleep(times.restart - Date.now());
      await redis.start();
    });
  }
  if (o.cut) {
    const { shard, fraction } = o.cut;
    times.cut = start + o.cut.at * 1000;
    timers.push(setTimeout(() => local.setShardCapacity(shardIds[shard], fraction, streamName), times.cut - Date.now()));
  }
  try {
    const [reports] = await Promise.all([reporting, outage]);
    sample();
    const stats = streamStats();
    const accepted = stats.reduce((n, s) => n + s.acceptedRecords, 0);
    const throttled = stats.reduce((n, s) => n + s.throttledRecords, 0);
    const at = (t: number) => samples.reduce((best, s) => (Math.abs(s.t - t) < Math.abs(best.t - t) ? s : best), samples[0]);
    const sum = (xs: number[], shard?: number) => (shard === undefined ? xs.reduce((n, x) => n + x, 0) : xs[shard]);
    const window = (from: number, to: number, shard?: number) => {
      const a = at(from);
      const b = at(to);
      return {
        accepted: sum(b.accepted, shard) - sum(a.accepted, shard),
        throttled: sum(b.throttled, shard) - sum(a.throttled, shard),
        seconds: (b.t - a.t) / 1000,
      };
    };
    const offer = window(start, end);
    const offered = reports.reduce((n, r) => n + r.offered, 0);
    const sent = reports.reduce((n, r) => n + r.sent.length, 0);
    const expired = reports.reduce((n, r) => n + r.expired, 0);
    const failed = reports.reduce((n, r) => n + r.failed.length, 0);
    const dropped = reports.reduce((n, r) => n + r.dropped, 0);
    return {
      offered,
      planned: Math.round(o.processes * o.seconds * perSecond),
      sent,
      expired,
      dropped,
      failed,
      lost: offered - sent - expired - dropped - failed,
      readBackErrors: await checkReadBack(local, streamName, reports),
      utilization: round((offer.accepted / (offer.seconds * o.shards * SHARD_RECORDS_PER_SECOND)) * 100, 1),
      throttledShare: round((throttled / Math.max(1, accepted + throttled)) * 100, 2),
      maxWindowRecords: stats.map((s) => s.maxWindowRecords),
      reports,
      times,
      throttledIn(from, to, shard) {
        const w = window(from, to, shard);
        return round((w.throttled / Math.max(1, w.accepted + w.throttled)) * 100, 2);
      },
      acceptedIn(from, to, shard) {
        const w = window(from, to, shard);
        return Math.round(w.accepted / w.seconds);
      },
      maxSendingWindow(from, to) {
        const sends = reports.flatMap((p) => p.sends).filter(([at]) => at >= from && at < to);
        return Math.max(0, ...shardIds.map((_, shard) => busiestSecond(sends.filter((s) => s[1] === shard))));
      },
    };
  } finally {
    clearInterval(sampler);
    timers.forEach(clearTimeout);
  }
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Most records within any one second of [at, shard, records] sends. */
function busiestSecond(sends: [number, number, number][]): number {
  const sorted = [...sends].sort((a, b) => a[0] - b[0]);
  let most = 0;
  let inWindow = 0;
  for (let first = 0, last = 0; last < sorted.length; last++) {
    inWindow += sorted[last][2];
    while (sorted[last][0] - sorted[first][0] >= 1000) inWindow -= sorted[first++][2];
    most = Math.max(most, inWindow);
  }
  return most;
}

/** Every sent value stored once, on the shard its outcome named; nothing else stored. */
async function checkReadBack(local: LocalKinesis, streamName: string, reports: ProducerReport[]): Promise<number> {
  const expected = new Map<number, number>();
  for (const r of reports) for (const [value, shard] of r.sent) expected.set(value, shard);
  let errors = 0;
  const seen = new Set<number>();
  const client = local.client();
  for (const [shardId, records] of await readBack(client, streamName)) {
    const shard = Number(shardId.slice(shardId.lastIndexOf('-') + 1));
    for (const record of records) {
      const value = Number(Buffer.from(record.Data!).toString('utf8', 0, 16).split(' ')[0]);
      if (expected.get(value) !== shard || seen.has(value)) errors++;
      seen.add(value);
    }
  }
  client.destroy();
  for (const value of expected.keys()) if (!seen.has(value)) errors++;
  return errors;
}
