/**
 * Aggregation alone, in a worker: our `createAggregateBuilder` from the BUILT package (whose node build
 * hashes with node:crypto) against `aws-kinesis-agg` on the same records. Each contender groups, encodes
 * and checksums; both are first checked to decode to every record. Rounds alternate between contenders,
 * so load from other processes falls on both alike.
 *
 * test/bench/aggregation.ts is the fuller study (protobuf libraries, js-md5, decoders) on src/.
 */
import aggLib from 'aws-kinesis-agg';
import { loadOursKpl } from './common.js';

export interface AggregationConfig {
  mode: 'aggregation';
  records: number;
  dataBytes: number;
  keys: number;
  /** Our aggregate size limit; aws-kinesis-agg always cuts at 1 MiB, and gets our groups too. */
  maxBytes: number;
  warmupRounds: number;
  rounds: number;
}

// Deterministic input (mulberry32), so runs compare.
function seeded(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

type AggInput = { partitionKey: string; data: Buffer };

function awsAggregate(input: AggInput[]): Promise<Uint8Array[]> {
  return new Promise((resolve, reject) => {
    const out: Uint8Array[] = [];
    aggLib.aggregate(input, (encoded: { data: Buffer }, done: () => void) => (out.push(encoded.data), done()), () => resolve(out), reject);
  });
}

export async function aggregationRounds(cfg: AggregationConfig) {
  const { createAggregateBuilder, decodeAggregate } = await loadOursKpl();
  const random = seeded(0x5eed);
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  const keys = Array.from({ length: cfg.keys }, () => `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`);
  const pool = Buffer.alloc(cfg.records * cfg.dataBytes);
  for (let i = 0; i < pool.length; i++) pool[i] = Math.floor(random() * 256);
  const records: AggInput[] = Array.from({ length: cfg.records }, (_, i) => ({
    partitionKey: keys[Math.floor(random() * cfg.keys)],
    data: pool.subarray(i * cfg.dataBytes, (i + 1) * cfg.dataBytes),
  }));

  const ours = (): Uint8Array[] => {
    const builder = createAggregateBuilder({ maxBytes: cfg.maxBytes, maxCount: Infinity });
    const out: Uint8Array[] = [];
    for (const record of records) {
      if (!builder.tryAdd(record)) {
        out.push(builder.build());
        builder.reset();
        builder.tryAdd(record);
      }
    }
    if (builder.count > 0) out.push(builder.build());
    return out;
  };
  // Our group boundaries, handed to aws-kinesis-agg one `aggregate` call each (cut outside the timing).
  const groups: AggInput[][] = [];
  let at = 0;
  for (const a of ours()) {
    const n = decodeAggregate(a).length;
    groups.push(records.slice(at, at + n));
    at += n;
  }
  const awsOurGroups = async () => {
    const out: Uint8Array[] = [];
    for (const g of groups) out.push(...(await awsAggregate(g)));
    return out;
  };
  const awsOwnCut = () => awsAggregate(records);

  const contenders: [string, () => Uint8Array[] | Promise<Uint8Array[]>][] = [
    ['rxjs-kinesis createAggregateBuilder', ours],
    [`aws-kinesis-agg, our ${cfg.maxBytes.toLocaleString('en-US')}-byte groups`, awsOurGroups],
    ['aws-kinesis-agg, its own 1 MiB cut', awsOwnCut],
  ];
  const meta: Record<string, { aggregates: number; meanBytes: number }> = {};
  for (const [name, run] of contenders) {
    const out = await run();
    const decoded = out.reduce((n, a) => n + decodeAggregate(a).length, 0);
    if (decoded !== cfg.records) throw new Error(`${name} encoded ${decoded} records, expected ${cfg.records}`);
    meta[name] = { aggregates: out.length, meanBytes: Math.round(out.reduce((n, a) => n + a.length, 0) / out.length) };
  }
  const samples: Record<string, number[]> = Object.fromEntries(contenders.map(([name]) => [name, []]));
  for (let round = 0; round < cfg.warmupRounds + cfg.rounds; round++) {
    for (const [name, run] of contenders) {
      const start = performance.now();
      await run();
      const seconds = (performance.now() - start) / 1000;
      if (round >= cfg.warmupRounds) samples[name].push(cfg.records / seconds);
    }
  }
  return { samples, meta };
}
