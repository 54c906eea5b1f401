/**
 * `npm run bench:ordering`: `ordering: 'none'` against `'perKey'` at twice what 2 shards take, against
 * the local Kinesis with its limits and faults (5% of entries refused, 2% of requests reset, 1% of answers
 * lost after the records were stored). Plain 100 B values bind the record budget; aggregated 2 KiB values
 * the byte budget. For each: the budget used (what the shards accepted over the run's length, from the
 * first value to the last outcome), the latency from `put` to outcome, and order violations among first
 * stored copies. Without aggregation a key sends one value per round trip, so the plain case runs at
 * several key counts. Writes `docs/benchmarks/ordering.md` and prints it.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startLocalKinesis } from '../../src/testing/index.js';
import { orderViolations, putKeyed, type OrderingRun } from '../integration/ordering-run.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    out: { type: 'string', default: fileURLToPath(new URL('../../docs/benchmarks/ordering.md', import.meta.url)) },
  },
});
const SECONDS = Number(args.seconds);
const SHARDS = 2;
const FAULTS = { internalFailureRate: 0.05, resetRate: 0.02, truncateRate: 0.01 };
const BUDGET = { records: 1000, bytes: 1024 * 1024 };

interface Case {
  name: string;
  run: OrderingRun;
  aggregation: false | object;
  /** Which budget binds: records (plain 100 B) or bytes (2 KiB). */
  bound: 'records' | 'bytes';
}

const cases: Case[] = [
  ...[100, 400, 2000].map((keys): Case => ({
    name: `plain, 100 B, ${keys} keys`,
    run: { values: 4000 * SECONDS, keys, perSecond: 4000, dataBytes: 100, seed: 21 },
    aggregation: false,
    bound: 'records',
  })),
  ...[100, 400].map((keys): Case => ({
    name: `plain, 2 KiB, ${keys} keys`,
    run: { values: 2000 * SECONDS, keys, perSecond: 2000, dataBytes: 2048, seed: 22 },
    aggregation: false,
    bound: 'bytes',
  })),
  ...[10, 400].map((keys): Case => ({
    name: `aggregated, 2 KiB, ${keys} keys`,
    run: { values: 2000 * SECONDS, keys, perSecond: 2000, dataBytes: 2048, seed: 23 },
    aggregation: {},
    bound: 'bytes',
  })),
];

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const local = await startLocalKinesis({ limits: true, faults: FAULTS });
const rows: string[] = [];
try {
  let n = 0;
  for (const c of cases) {
    const figures: Record<string, { utilization: number; p50: number; p99: number; violations: number; failed: number }> = {};
    for (const ordering of ['none', 'perKey'] as const) {
      const stream = `ordering-${n++}`;
      await local.createStream(stream, SHARDS);
      local.stats({ reset: true });
      const putAt = new Map<number, number>();
      const latencies: number[] = [];
      const { outcomes, ms } = await putKeyed(local, stream, c.run, {
        ordering,
        aggregation: c.aggregation,
        // 10 s at twice the budget builds 10 s of backlog: a TTL whose third holds it, so no value is refused.
        recordTtlMs: 120_000,
      }, {
        put: (index) => putAt.set(index, performance.now()),
        outcome: (index) => latencies.push(performance.now() - putAt.get(index)!),
      });
      const shards = local.stats().shards.filter((s) => s.streamName === stream);
      const accepted = shards.reduce((sum, s) => sum + (c.bound === 'records' ? s.acceptedRecords : s.acceptedBytes), 0);
      const budget = SHARDS * (c.bound === 'records' ? BUDGET.records : BUDGET.bytes) * (ms / 1000);
      latencies.sort((a, b) => a - b);
      const { violations } = await orderViolations(local, stream);
      figures[ordering] = { utilization: accepted / budget, p50: pct(latencies, 50), p99: pct(latencies, 99), violations, failed: outcomes.filter((o) => !o.ok).length };
    }
    const { none, perKey } = figures;
    const row = `| ${c.name} | ${(none.utilization * 100).toFixed(1)}% | ${(perKey.utilization * 100).toFixed(1)}% | **${((perKey.utilization / none.utilization) * 100).toFixed(0)}%** | ${none.p50.toFixed(0)} / ${none.p99.toFixed(0)} ms | ${perKey.p50.toFixed(0)} / ${perKey.p99.toFixed(0)} ms | ${none.violations} | ${perKey.violations} | ${none.failed + perKey.failed} |`;
    console.log(row);
    rows.push(row);
  }
} finally {
  await local.stop();
}

const page = `# Per-key order: what it costs

\`npm run bench:ordering\` (${SECONDS} s of values offered at twice what 2 shards take, against the local Kinesis with
its limits, 5% of entries refused, 2% of requests reset and 1% of answers lost after the records were stored;
\`recordTtlMs: 120_000\`, so that the backlog 10 s of twice the budget builds stays within a third of it).
Utilization is what the shards accepted over the run, from the first value to the last outcome, against
their budget for that time (records for 100 B values, bytes for 2 KiB values); the run includes the ramp
and the drain, so 100% is out of reach for both modes. Latency is from \`put\` to outcome (p50 / p99).
Violations count values whose first stored copy comes after that of a later value of their key.

| case | utilization, 'none' | utilization, 'perKey' | 'perKey' / 'none' | latency, 'none' | latency, 'perKey' | violations, 'none' | violations, 'perKey' | failed |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

Without aggregation a key sends one value per round trip: with few keys a shard runs out of keys with
nothing out, and the budget is not used. With aggregation a key sends what it gathered in one aggregate
per round trip, so even 10 keys keep 2 shards busy.
`;
writeFileSync(args.out!, page);
console.log(`\nwritten to ${args.out}`);
