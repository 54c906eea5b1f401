/**
 * `npm run bench:backpressure`: `pullFrom` over a file of `--lines` lines (default 60,000) into 2 shards
 * of the local Kinesis with the service's limits on, the producer on its default options. Every 100 ms
 * it samples the values held (pulled, no outcome yet) and the busiest shard's expected wait: the values
 * a shard holds over its current rate (the last rate its `throttled` signals reported; the values in
 * flight are counted too, a few dozen). At `--cutAt` seconds (0: never) shard 1 gets half its budget,
 * as if another writer took the rest. Writes the chart to `--out` and prints a JSON summary.
 */
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { tap } from 'rxjs';
import { createProducer, loadShardMap, pullFrom } from '../../src/index.js';
import { partitionKeyHash } from '../../src/kinesis/index.js';
import { TRANSIT_MARGIN } from '../../src/throttle/shard-limiters.js';
import { DEFAULTS } from '../../src/defaults.js';
import { MAX_WAIT_SHARE } from '../../src/producer/options.js';
import { startLocalKinesis } from '../../src/testing/index.js';
import { writeLines } from '../integration/memory/lines.js';
import { lineChart, type Series } from './line-chart.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const { values: args } = parseArgs({
  options: {
    lines: { type: 'string', default: '60000' },
    cutAt: { type: 'string', default: '10' },
    out: { type: 'string', default: fileURLToPath(new URL('../../docs/benchmarks/backpressure.svg', import.meta.url)) },
  },
});
const LINES = Number(args.lines);
const CUT_AT_S = Number(args.cutAt);
const SHARDS = 2;
const SAMPLE_MS = 100;
/** The producer's defaults: the rate each shard starts at, and the wait bound with its watermarks. */
const START_RATE = 1000 * (1 - TRANSIT_MARGIN);
const MAX_WAIT_MS = DEFAULTS.recordTtlMs * MAX_WAIT_SHARE;
const keyOf = (line: string) => line.split(' ', 2)[1];

const dir = mkdtempSync(join(tmpdir(), 'rxjs-kinesis-backpressure-'));
const local = await startLocalKinesis({ limits: true, fast: true });
try {
  const file = join(dir, 'lines.log');
  await writeLines(file, LINES);
  await local.createStream('bench', SHARDS);
  const client = local.client();
  const map = await loadShardMap(client, { streamName: 'bench' });
  const shardOf = (line: string) => map.shardFor(partitionKeyHash(keyOf(line)))!.shardId;
  const shardIds = map.shards.map((s) => s.shardId);
  const producer = createProducer({ client, streamName: 'bench' });

  const rate = new Map(shardIds.map((id) => [id, START_RATE]));
  producer.signals$.subscribe((s) => s.type === 'throttled' && rate.set(s.shardId, s.rate));
  const held = new Map(shardIds.map((id) => [id, 0]));
  const started = performance.now();
  const now = () => (performance.now() - started) / 1000;
  const reported: [number, number][] = [];
  const levels: { t: number; level: string; expectedWaitMs: number; bufferedRecords: number }[] = [];
  producer.pressure$.subscribe((p) => {
    reported.push([now(), p.expectedWaitMs]);
    levels.push({ t: Math.round(now() * 10) / 10, level: p.level, expectedWaitMs: Math.round(p.expectedWaitMs), bufferedRecords: p.bufferedRecords });
  });
  const samples: { t: number; held: number; waitMs: number }[] = [];
  const sampler = setInterval(() => {
    const waits = shardIds.map((id) => (held.get(id)! / rate.get(id)!) * 1000);
    samples.push({ t: now(), held: [...held.values()].reduce((a, b) => a + b, 0), waitMs: Math.max(...waits) });
  }, SAMPLE_MS);
  const cut = CUT_AT_S > 0 ? setTimeout(() => local.setShardCapacity(shardIds[1], 0.5, 'bench'), CUT_AT_S * 1000) : undefined;
  const failed: Record<string, number> = {};
  let sent = 0;
  let possibleDuplicates = 0;
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  await new Promise<void>((resolve, reject) =>
    pullFrom(lines, producer)
      .pipe(
        tap((line) => {
          const id = shardOf(line);
          held.set(id, held.get(id)! + 1);
        }),
        producer.put((line) => ({ partitionKey: keyOf(line), data: line })),
      )
      .subscribe({
        next(o) {
          held.set(shardOf(o.value), held.get(shardOf(o.value))! - 1);
          if (!o.ok) failed[o.error.code] = (failed[o.error.code] ?? 0) + 1;
          else sent++;
          if (o.ok && o.possibleDuplicate) possibleDuplicates++;
        },
        error: reject,
        complete: resolve,
      }),
  );
  clearInterval(sampler);
  clearTimeout(cut);
  await producer.close();

  const heldSeries: Series = { label: 'values held (pulled, no outcome yet)', color: '#2f6fdf', points: samples.map((s) => [s.t, s.held]) };
  const waitSeries: Series = { label: 'busiest shard: held / its rate', color: '#2f6fdf', points: samples.map((s) => [s.t, s.waitMs / 1000]) };
  const reportedSeries: Series = { label: 'pressure$ at each level change', color: '#1a7f37', dots: true, points: reported.map(([t, ms]) => [t, ms / 1000]) };
  const seconds = (n: number) => `${n} s`;
  const svg = lineChart(
    `pullFrom, ${LINES.toLocaleString('en')} lines into ${SHARDS} shards, default options`,
    `Local Kinesis with the service's limits; sampled every ${SAMPLE_MS} ms${CUT_AT_S > 0 ? `; shard 1 cut to half its budget at ${CUT_AT_S} s` : ''}. npm run bench:backpressure`,
    [
      { title: 'Values held', format: (n) => n.toLocaleString('en'), series: [heldSeries] },
      {
        title: 'Expected wait of a value arriving now',
        format: seconds,
        series: [waitSeries, reportedSeries],
        thresholds: [
          { value: MAX_WAIT_MS / 1000, label: 'bound: a third of recordTtlMs' },
          { value: (DEFAULTS.highWatermark * MAX_WAIT_MS) / 1000, label: 'high: reading pauses' },
          { value: (DEFAULTS.lowWatermark * MAX_WAIT_MS) / 1000, label: 'low: reading goes on' },
        ],
      },
    ],
    CUT_AT_S > 0 ? [{ x: CUT_AT_S, label: 'shard 1 at half its budget' }] : [],
  );
  writeFileSync(args.out, svg);
  const peak = samples.reduce((a, b) => (b.held > a.held ? b : a), samples[0]);
  console.log(
    JSON.stringify({
      lines: LINES,
      seconds: Math.round(now() * 10) / 10,
      sent,
      failed,
      possibleDuplicates,
      mostHeld: peak.held,
      longestSampledWaitMs: Math.round(Math.max(...samples.map((s) => s.waitMs))),
      longestReportedWaitMs: Math.round(Math.max(...reported.map(([, ms]) => ms))),
      pressureChanges: levels.length,
      levels: levels.slice(0, 12),
      finalRates: Object.fromEntries([...rate].map(([id, r]) => [id, Math.round(r)])),
      chart: args.out,
    }),
  );
} finally {
  await local.stop();
  rmSync(dir, { recursive: true, force: true });
}
