/**
 * Turns one run's results into what docs/benchmarks/ publishes: results.json (every repetition),
 * results.md (the tables and targets) and chart.svg. Nothing in those files is typed by hand.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as cases from './cases.js';
import type { Spread } from './cases.js';
import { chart, type Panel } from './svg.js';

type R<K extends keyof typeof cases> = (typeof cases)[K] extends (...args: any[]) => Promise<infer X> ? X : never;

export interface Results {
  generatedAt: string;
  command: string;
  durationSeconds: number;
  machine: { cpu: string; cores: number; memoryGiB: number; node: string; platform: string };
  load1: { start: number; end: number };
  versions: Record<string, string>;
  settings: cases.Settings;
  contenders: string[];
  throughput?: R<'throughput'>;
  aggregation?: R<'aggregation'>;
  utilization?: R<'utilization'>;
  budget?: R<'budget'>;
  latency?: R<'latency'>;
  memory?: R<'memory'>;
  /** The library's browser code (docs/scripts/browser-size.ts). */
  browser?: { own: { minified: number; gzip: number }; createProducerOwn?: { minified: number; gzip: number } };
}

const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
const fixed = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
const range = (s: Spread, f: (n: number) => string) => (s.runs.length > 1 ? `${f(s.min)} – ${f(s.max)}` : 'one run');
const size = (bytes: number) => (bytes >= 1024 ? `${bytes / 1024} KiB` : `${bytes} B`);
const mib = (bytes: number) => `${bytes / 2 ** 20} MiB`;

export interface Target {
  name: string;
  target: string;
  measured: string;
  met: boolean | undefined;
}

export function targets(r: Results): Target[] {
  const out: Target[] = [];
  const t = r.throughput?.cells ?? [];
  const cell = (c: string, bytes: number) => t.find((x) => x.contender === c && x.valueBytes === bytes);
  const sdk = (bytes: number) => cell('rxjs+sdk', bytes);
  /** The harness's own CPU per value (the floor contender): what every contender's figure includes. */
  const harness = cell('floor', 100)?.cpuMicrosPerValue.median;
  // Without aggregation: per CPU-second against the plain RxJS + SDK pipeline the library replaces.
  for (const [bytes, goal] of [[100, 1.5], [10 * 1024, 1.1]] as const) {
    const ours = cell('rxjs-kinesis', bytes);
    const plain = sdk(bytes);
    if (!ours || !plain) continue;
    const ratio = ours.valuesPerCpuSecond.median / plain.valuesPerCpuSecond.median;
    out.push({
      name: `Without aggregation, ${size(bytes)} values, per CPU-second`,
      target: `≥ ${goal}x the plain \`bufferCount\` + \`PutRecordsCommand\` pipeline (rxjs+sdk)`,
      measured: `${fixed(ratio, 2)}x (${int(ours.valuesPerCpuSecond.median)} vs ${int(plain.valuesPerCpuSecond.median)} values per CPU-second; wall clock ${fixed(ours.valuesPerSecond.median / plain.valuesPerSecond.median, 2)}x)`,
      met: ratio >= goal,
    });
  }
  const withMetrics = cell('rxjs-kinesis', 100);
  const withoutMetrics = cell('rxjs-kinesis-nometrics', 100);
  if (withMetrics && withoutMetrics) {
    const extra = withMetrics.cpuMicrosPerValue.median - withoutMetrics.cpuMicrosPerValue.median;
    out.push({
      name: 'Metrics, 100 B values',
      target: 'no measurable cost per value: `metrics$` subscribed with a snapshot a second against `metrics: false`, within the spread of the rounds',
      measured: `${fixed(extra, 2)} µs per value (${fixed(withMetrics.cpuMicrosPerValue.median, 2)} vs ${fixed(withoutMetrics.cpuMicrosPerValue.median, 2)}; rounds ${range(withoutMetrics.cpuMicrosPerValue, (n) => fixed(n, 2))} without)`,
      met: withMetrics.cpuMicrosPerValue.median <= withoutMetrics.cpuMicrosPerValue.max,
    });
  }
  const agg = cell('rxjs-kinesis+agg', 100);
  if (agg) {
    const v = agg.valuesPerCpuSecond.median;
    const own = harness === undefined ? undefined : agg.cpuMicrosPerValue.median - harness;
    out.push({
      name: 'With aggregation, 100 B values',
      target: '≥ 500,000 values per CPU-second, the library’s own CPU ≤ 1.3 µs per value beyond the harness',
      measured:
        `${int(v)} values per CPU-second (${fixed(agg.cpuMicrosPerValue.median, 2)} µs per value` +
        (own === undefined ? ')' : `, ${fixed(own, 2)} µs beyond the harness’s ${fixed(harness!, 2)})`),
      met: v >= 500_000 && own !== undefined && own <= 1.3,
    });
  }
  if (r.aggregation) {
    const ratio = r.aggregation.oursVsAwsOnOurGroups;
    out.push({
      name: 'Aggregation alone, 10,000 keys',
      target: '≥ 2.5x aws-kinesis-agg',
      measured: `${fixed(ratio.median, 2)}x on the same groups (median of per-round ratios, ${range(ratio, (n) => fixed(n, 2))}); ${fixed(r.aggregation.oursVsAwsOwnCut.median, 2)}x its own 1 MiB cut`,
      met: ratio.median >= 2.5,
    });
  }
  if (r.browser) {
    // Runs before createProducerOwn was measured had only every export's figure.
    const size = r.browser.createProducerOwn ?? r.browser.own;
    const every = r.browser.createProducerOwn === undefined ? '' : `; every export: ${fixed(r.browser.own.gzip / 1000, 1)} KB gzip`;
    out.push({
      name: 'Own code in a browser bundle',
      target: '≤ 10 KB gzip (`createProducer`, without rxjs, the SDK, Bottleneck and js-md5)',
      measured: `${fixed(size.gzip / 1000, 1)} KB gzip (${fixed(size.minified / 1000, 1)} KB minified${every})`,
      met: size.gzip <= 10_000,
    });
  }
  const u = r.utilization?.find((x) => x.contender === 'rxjs-kinesis');
  if (u) {
    out.push({
      name: `Shard utilization at ${r.settings.utilization.load}x offered load`,
      target: '≥ 95% of capacity, < 1% throttled, none lost',
      measured: `${fixed(u.utilizationPercent.median)}% of capacity, ${fixed(u.throttledPercent.median, 2)}% throttled, ${int(u.lost.max)} lost and ${int(u.duplicated.max)} duplicated at worst`,
      met: u.utilizationPercent.median >= 95 && u.throttledPercent.median < 1 && u.lost.max === 0,
    });
  }
  const budgetCells = r.budget?.filter((x) => x.contender === 'rxjs-kinesis') ?? [];
  if (budgetCells.length > 0) {
    const b = r.settings.budget;
    const met = budgetCells.every(
      (c) => c.utilizationPercent.median >= 97 && c.throttledPercent.median <= 1 && c.lateByPercent.median <= 5 && c.busiestSecondPercent.max <= 105 && c.lost.max === 0,
    );
    out.push({
      name: `The budget used, from empty buckets, at ${b.load}x offered load`,
      target: '≥ 97% of capacity at ≤ 1% throttled, done within 5% of the fastest possible, no sliding second at the service over 105% of the budget, none lost',
      measured: budgetCells
        .map(
          (c) =>
            `${size(c.valueBytes)} (${c.bound}-bound): ${fixed(c.utilizationPercent.median)}%, ${fixed(c.throttledPercent.median, 2)}% throttled, ` +
            `done ${fixed(c.lateByPercent.median)}% after the fastest, busiest second ${fixed(c.busiestSecondPercent.max)}%, ${int(c.lost.max)} lost`,
        )
        .join('; '),
      met,
    });
  }
  const l = r.latency?.find((x) => x.contender === 'rxjs-kinesis');
  if (l) {
    out.push({
      name: `Latency at ${Math.round(r.settings.latency.load * 100)}% load`,
      target: 'p99 < linger (100 ms) + 20 ms',
      measured: `p99 ${fixed(l.p99.median)} ms (p50 ${fixed(l.p50.median)} ms)`,
      met: l.p99.median < 120,
    });
  }
  const m = r.memory?.find((x) => x.contender === 'rxjs-kinesis');
  if (m) {
    const bound = r.settings.memory.maxBufferedBytes / 2 ** 20;
    out.push({
      name: 'Memory, stalled endpoint, hot source',
      target: `bounded by the configured buffer (maxBufferedBytes ${bound} MiB; judged: memory retained after a full GC ≤ 2x it, for the records and the values their outcomes return)`,
      measured: `retained ${fixed(m.retainedMiB.median)} MiB (${fixed(m.retainedMiB.median / bound, 1)}x); peak RSS ${fixed(m.peakRssMiB.median)} MiB (+${fixed(m.growthMiB.median)} MiB, garbage of dropped values included) with ${fixed(m.offeredMiB.median)} MiB offered`,
      met: m.retainedMiB.max <= 2 * bound,
    });
  }
  return out;
}

function markdown(r: Results): string {
  const s = r.settings;
  const lines: string[] = [];
  const p = (line = '') => lines.push(line);
  p(`<!-- Generated by \`${r.command}\` on ${r.generatedAt}. Do not edit: rerun the command. -->`);
  p();
  p(`Machine: ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, Node ${r.machine.node} (${r.machine.platform}). ` +
    `1-minute load average ${r.load1.start} at the start, ${r.load1.end} at the end (the cores are shared with other work: read the spreads). ` +
    `${s.reps} repetition${s.reps === 1 ? '' : 's'} per figure, round-robin over the contenders; the run took ${Math.round(r.durationSeconds)} s.`);
  p();
  p('Versions: ' + Object.entries(r.versions).map(([k, v]) => `${k} ${v}`).join(', ') + '.');
  p();
  const ts = targets(r);
  if (ts.length > 0) {
    p('### Targets');
    p();
    p('| target | goal | measured | met |');
    p('| --- | --- | --- | --- |');
    for (const t of ts) p(`| ${t.name} | ${t.target} | ${t.measured} | ${t.met === undefined ? 'n/a' : t.met ? 'yes' : '**no**'} |`);
    p();
  }
  if (r.throughput) {
    p('### Pipeline throughput');
    p();
    p(`Local Kinesis in fast mode with limits off (a separate process), ${s.throughput.shards} shards, ${int(s.keys)} distinct partition keys; ` +
      `${s.throughput.warmupMs / 1000} s warm-up, then ${s.throughput.measureMs / 1000} s measured. "CPU" is the producer process's user + system time (process.cpuUsage) over the window; ` +
      `"per CPU-second" is what one fully busy core would do.`);
    p();
    p('| contender | value | values/s (median) | min – max | CPU µs per value | values per CPU-second | producer CPU share |');
    p('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
    for (const c of r.throughput.cells) {
      p(`| ${c.contender} | ${size(c.valueBytes)} | ${int(c.valuesPerSecond.median)} | ${range(c.valuesPerSecond, int)} | ${fixed(c.cpuMicrosPerValue.median, 2)} | ${int(c.valuesPerCpuSecond.median)} | ${Math.round(c.cpuShare.median * 100)}% |`);
    }
    p();
    for (const prof of r.throughput.profiles) {
      p(`<details><summary>Where ${prof.contender} spends its CPU time (${size(prof.valueBytes)} values; one extra profiled run; GC ${prof.gcPercent}%)</summary>`);
      p();
      p('| function | where | self % | total % |');
      p('| --- | --- | ---: | ---: |');
      for (const f of prof.bySelf) p(`| \`${f.name}\` | ${f.where} | ${f.selfPercent} | ${f.totalPercent} |`);
      p();
      p('</details>');
      p();
    }
  }
  if (r.aggregation) {
    const a = s.aggregation;
    p('### Aggregation alone');
    p();
    p(`${int(a.records)} records of ${a.dataBytes} bytes, ${int(a.keys)} distinct keys, aggregates of at most ${int(a.maxBytes)} bytes; group + encode + MD5; ${a.rounds} rounds after ${a.warmupRounds} warm-up rounds.`);
    p();
    p('| encoder | records/s (median) | min – max | aggregates | mean bytes |');
    p('| --- | ---: | ---: | ---: | ---: |');
    for (const c of r.aggregation.contenders) p(`| ${c.name} | ${int(c.recordsPerSecond.median)} | ${range(c.recordsPerSecond, int)} | ${c.aggregates} | ${int(c.meanBytes)} |`);
    p();
    p(`Ours is ${fixed(r.aggregation.oursVsAwsOnOurGroups.median, 2)}x aws-kinesis-agg on the same groups and ${fixed(r.aggregation.oursVsAwsOwnCut.median, 2)}x on its own 1 MiB cut (medians of per-round ratios).`);
    p();
  }
  if (r.utilization) {
    const u = s.utilization;
    p('### Shard utilization at 2x offered load');
    p();
    p(`Local Kinesis with the service's limits on (kinesalite stores what is accepted), ${u.shards} shards, ${size(u.valueBytes)} values offered at ${u.load}x capacity ` +
      `(${int(r.utilization[0]?.runs[0]?.capacityPerSecond * u.load)} values/s) for ${u.durationMs / 1000} s, then up to ${u.drainMs / 1000} s to finish. ` +
      `Utilization: records accepted while the source ran, per second, over capacity. Lost and duplicated: from reading the stream back.`);
    p();
    p('| contender | utilization % | throttled entries % | lost values | duplicated values | tail after the source ended |');
    p('| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const c of r.utilization) {
      const cut = c.runs.some((x) => x.drainTimedOut) ? ' (cut off)' : '';
      p(`| ${c.contender} | ${fixed(c.utilizationPercent.median)} (${range(c.utilizationPercent, (n) => fixed(n))}) | ${fixed(c.throttledPercent.median, 2)} | ${int(c.lost.median)} (${range(c.lost, int)}) | ${int(c.duplicated.median)} | ${fixed(c.tailMs.median / 1000)} s${cut} |`);
    }
    p();
  }
  if (r.budget) {
    const b = s.budget;
    p(`### The budget used, from empty buckets`);
    p();
    p(`Local Kinesis with the service's limits on, ${b.shards} shards whose budgets are emptied the instant the offer starts (no idle-shard burst), ` +
      `values offered at ${b.load}x capacity for ${b.durationMs / 1000} s. The fastest possible finish is the offer over the capacity. ` +
      `Used: values first accepted per second, from the offer's start to the last of them, over capacity. Busiest second: the fullest sliding second of any shard at the service, ` +
      `against its budget (records or bytes, whichever is fuller). Lost and duplicated: from reading the stream back. Every contender with its defaults.`);
    p();
    p('| contender | value | used % | done after the fastest | throttled entries % | busiest second % | lost values | duplicated values |');
    p('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const c of r.budget) {
      const cut = c.runs.some((x) => x.drainTimedOut) ? ' (cut off)' : '';
      p(
        `| ${c.contender} | ${size(c.valueBytes)}, ${c.bound}-bound | ${fixed(c.utilizationPercent.median)} (${range(c.utilizationPercent, (n) => fixed(n))})${cut} | ${fixed(c.lateByPercent.median)}% | ` +
          `${fixed(c.throttledPercent.median, 2)} | ${fixed(c.busiestSecondPercent.max)} | ${int(c.lost.median)} (${range(c.lost, int)}) | ${int(c.duplicated.median)} |`,
      );
    }
    p();
  }
  if (r.latency) {
    const l = s.latency;
    p(`### Latency at ${Math.round(l.load * 100)}% load`);
    p();
    p(`Local Kinesis with limits on, ${l.shards} shards, ${size(l.valueBytes)} values at ${int(r.latency[0]?.ratePerSecond)} values/s for ${l.durationMs / 1000} s. ` +
      'Ours: from the value entering `put` to its outcome. Peers (no per-value callback): from `write` to the PutRecords answer that accepted the entry.');
    p();
    p('| contender | p50 ms | p99 ms | p99 min – max | max ms | not accepted |');
    p('| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const c of r.latency) p(`| ${c.contender} | ${fixed(c.p50.median)} | ${fixed(c.p99.median)} | ${range(c.p99, (n) => fixed(n))} | ${fixed(c.max.median)} | ${int(c.notAccepted.median)} |`);
    p();
  }
  if (r.memory) {
    const m = s.memory;
    p('### Memory with a stalled endpoint');
    p();
    p(`Every answer delayed ${m.stallMs / 1000} s; a hot source of ${size(m.valueBytes)} values (each its own string) at ${int(m.rate)} values/s for ${m.durationMs / 1000} s; one process per run, RSS sampled every 50 ms; ` +
      `"retained": V8 heap + external memory still reachable after a full GC at the end, over the same before the source started. ` +
      `Ours: maxBufferedBytes ${mib(m.maxBufferedBytes)}, overflow 'dropIncoming' (each dropped value gets a failed outcome).`);
    p();
    p('| contender | peak RSS MiB | growth MiB | min – max growth | retained after GC MiB | growth in the 2nd half MiB | offered MiB | dropped values |');
    p('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const c of r.memory) {
      p(`| ${c.contender} | ${fixed(c.peakRssMiB.median)} | ${fixed(c.growthMiB.median)} | ${range(c.growthMiB, (n) => fixed(n))} | ${fixed(c.retainedMiB.median)} | ${fixed(c.secondHalfGrowthMiB.median)} | ${fixed(c.offeredMiB.median)} | ${int(c.dropped.median)} |`);
    }
    p();
  }
  return lines.join('\n');
}

function panels(r: Results): Panel[] {
  const out: Panel[] = [];
  const ours = (c: string) => c.startsWith('rxjs-kinesis');
  for (const bytes of r.settings.throughput.sizes) {
    const cells = r.throughput?.cells.filter((c) => c.valueBytes === bytes) ?? [];
    if (cells.length === 0) continue;
    out.push({
      title: `Pipeline throughput, ${size(bytes)} values (values/s)`,
      format: int,
      rows: cells.map((c) => ({ label: c.contender, value: c.valuesPerSecond.median, min: c.valuesPerSecond.min, max: c.valuesPerSecond.max, ours: ours(c.contender) })),
    });
  }
  if (r.aggregation) {
    out.push({
      title: 'Aggregation alone (records/s)',
      format: int,
      rows: r.aggregation.contenders.map((c) => ({ label: c.name.replace(/, .*$/, (m) => m.slice(0, 22)), value: c.recordsPerSecond.median, min: c.recordsPerSecond.min, max: c.recordsPerSecond.max, ours: ours(c.name) })),
    });
  }
  if (r.utilization) {
    out.push({
      title: `Utilization at ${r.settings.utilization.load}x load (% of capacity)`,
      format: (n) => `${fixed(n)}%`,
      rows: r.utilization.map((c) => ({ label: c.contender, value: c.utilizationPercent.median, min: c.utilizationPercent.min, max: c.utilizationPercent.max, ours: ours(c.contender) })),
      target: { value: 95, label: '95%' },
    });
    out.push({
      title: 'Values lost at 2x load (read back)',
      format: int,
      rows: r.utilization.map((c) => ({ label: c.contender, value: c.lost.median, min: c.lost.min, max: c.lost.max, ours: ours(c.contender) })),
    });
  }
  for (const bytes of r.settings.budget?.sizes ?? []) {
    const cells = r.budget?.filter((c) => c.valueBytes === bytes) ?? [];
    if (cells.length === 0) continue;
    out.push({
      title: `Budget used from empty buckets, ${size(bytes)} values (% of capacity)`,
      format: (n) => `${fixed(n)}%`,
      rows: cells.map((c) => ({ label: c.contender, value: c.utilizationPercent.median, min: c.utilizationPercent.min, max: c.utilizationPercent.max, ours: ours(c.contender) })),
      target: { value: 97, label: '97%' },
    });
  }
  if (r.latency) {
    out.push({
      title: `p99 latency at ${Math.round(r.settings.latency.load * 100)}% load (ms)`,
      format: (n) => `${fixed(n)} ms`,
      rows: r.latency.map((c) => ({ label: c.contender, value: c.p99.median, min: c.p99.min, max: c.p99.max, ours: ours(c.contender) })),
      target: { value: 120, label: '120 ms' },
    });
  }
  if (r.memory) {
    out.push({
      title: 'Peak RSS growth, stalled endpoint, hot source (MiB)',
      format: (n) => `${fixed(n)} MiB`,
      rows: r.memory.map((c) => ({ label: c.contender, value: c.growthMiB.median, min: c.growthMiB.min, max: c.growthMiB.max, ours: ours(c.contender) })),
    });
    out.push({
      title: 'Memory retained after a full GC, stalled endpoint (MiB)',
      format: (n) => `${fixed(n)} MiB`,
      rows: r.memory.map((c) => ({ label: c.contender, value: c.retainedMiB.median, min: c.retainedMiB.min, max: c.retainedMiB.max, ours: ours(c.contender) })),
      target: { value: (2 * r.settings.memory.maxBufferedBytes) / 2 ** 20, label: '2x maxBufferedBytes' },
    });
  }
  return out;
}

export function writeReport(r: Results, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const files = { json: join(dir, 'results.json'), md: join(dir, 'results.md'), svg: join(dir, 'chart.svg') };
  writeFileSync(files.json, `${JSON.stringify({ ...r, targets: targets(r) }, null, 2)}\n`);
  writeFileSync(files.md, markdown(r));
  const subtitle = `${r.machine.cpu}, ${r.machine.cores} cores, Node ${r.machine.node}; ${r.generatedAt.slice(0, 10)}; ${r.settings.reps} repetitions; load ${r.load1.start}–${r.load1.end}`;
  writeFileSync(files.svg, chart('rxjs-kinesis and its peers, one run, one machine', subtitle, panels(r)));
  return Object.values(files);
}
