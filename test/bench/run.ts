/**
 * `npm run bench`: rxjs-kinesis side by side with its peers, one run on one machine, every figure the
 * median of several repetitions with its min and max. Builds the package first (the npm script does) and
 * measures the BUILT package; installs the peers into .bench/peers on first use. A full run writes
 * docs/benchmarks/results.{json,md} and chart.svg; a subset writes .bench/results/ unless --out is given.
 *
 *   npm run bench                                   all cases, all contenders (~15 min)
 *   npm run bench -- --quick                        one short repetition of everything (~4 min)
 *   npm run bench -- --cases throughput,aggregation --contenders rxjs-kinesis,rxjs+sdk --reps 2
 *
 * Cases: throughput, aggregation, utilization, latency, memory. Contenders: see test/bench/peers/contenders.ts.
 * docs/benchmarks.md explains each case.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { measureBrowserSize } from '../../docs/scripts/browser-size.js';
import * as cases from './peers/cases.js';
import { MiB, ROOT } from './peers/common.js';
import { CONTENDERS, type ContenderName } from './peers/contenders.js';
import { ensurePeers, load1, machine, versions } from './peers/environment.js';
import { targets, writeReport, type Results } from './peers/report.js';

const CASES = ['throughput', 'aggregation', 'utilization', 'budget', 'latency', 'memory'] as const;
type CaseName = (typeof CASES)[number];

const { values: args } = parseArgs({
  options: {
    cases: { type: 'string', default: CASES.join(',') },
    contenders: { type: 'string', default: CONTENDERS.join(',') },
    reps: { type: 'string' },
    sizes: { type: 'string', default: '100,10240' },
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
    'no-profile': { type: 'boolean', default: false },
    'no-install': { type: 'boolean', default: false },
    render: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});
if (args.help) {
  console.log(`npm run bench -- [--cases ${CASES.join(',')}] [--contenders ${CONTENDERS.join(',')}] [--reps 3] [--sizes 100,10240] [--quick] [--out DIR] [--no-profile] [--no-install] [--render]`);
  console.log('--render rewrites results.md and chart.svg from the results.json in --out (default docs/benchmarks) without measuring.');
  process.exit(0);
}

const pick = <T extends string>(list: string, allowed: readonly T[], what: string): T[] => {
  const names = list.split(',').map((x) => x.trim()).filter(Boolean);
  for (const n of names) if (!allowed.includes(n as T)) throw new Error(`unknown ${what} "${n}"; one of ${allowed.join(', ')}`);
  return allowed.filter((a) => names.includes(a));
};
const selectedCases = pick<CaseName>(args.cases, CASES, 'case');
const contenders = pick<ContenderName>(args.contenders, CONTENDERS, 'contender');
const quick = args.quick;
const reps = Number(args.reps ?? (quick ? 1 : 3));
if (!Number.isInteger(reps) || reps < 1) throw new Error(`--reps expects a positive integer, got ${args.reps}`);
const full = selectedCases.length === CASES.length && contenders.length === CONTENDERS.length && !quick && reps >= 3 && args.sizes === '100,10240';
const outDir = args.out ?? (full ? join(ROOT, 'docs', 'benchmarks') : join(ROOT, '.bench', 'results'));

if (args.render) {
  // Only the presentation changed: the figures stay those the last run measured.
  const dir = args.out ?? join(ROOT, 'docs', 'benchmarks');
  const saved = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Results;
  console.log(`rewrote ${writeReport(saved, dir).map((f) => f.slice(ROOT.length)).join(', ')} from the figures of ${saved.generatedAt}`);
  process.exit(0);
}

const settings: cases.Settings = {
  reps,
  keys: 10_000,
  throughput: { sizes: args.sizes.split(',').map(Number), warmupMs: 1000, measureMs: quick ? 2000 : 3000, shards: 4, profile: !args['no-profile'] },
  aggregation: { records: 100_000, dataBytes: 100, keys: 10_000, maxBytes: 51_200, warmupRounds: 3, rounds: quick ? 5 : 15 },
  utilization: { shards: 2, valueBytes: 100, load: 2, durationMs: quick ? 6000 : 12_000, skipMs: 2000, drainMs: quick ? 12_000 : 24_000, idleMs: 1000 },
  budget: { shards: 2, sizes: [2048, 100], load: 1.5, durationMs: quick ? 5000 : 10_000, drainMs: 30_000, idleMs: 1000 },
  latency: { shards: 2, valueBytes: 100, load: 0.1, durationMs: quick ? 4000 : 9000, skipMs: 1000, drainMs: 5000 },
  memory: { valueBytes: 1024, rate: 25_000, durationMs: quick ? 5000 : 8000, stallMs: 10_000, maxBufferedBytes: 64 * MiB },
};

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const log = (line: string) => console.log(line);
const started = performance.now();
const startLoad = load1();
if (!args['no-install'] && contenders.some((c) => !c.startsWith('rxjs') && !c.endsWith('floor'))) ensurePeers(log);
log(`cases: ${selectedCases.join(', ')}; contenders: ${contenders.join(', ')}; ${reps} repetition(s); load ${startLoad}`);

const results: Results = {
  generatedAt: new Date().toISOString(),
  command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
  durationSeconds: 0,
  machine: machine(),
  load1: { start: startLoad, end: startLoad },
  versions: versions(),
  settings,
  contenders,
};
// Without metrics is only there to price them per value, in the throughput case.
const ours = contenders.filter((c) => c.startsWith('rxjs-kinesis') && c !== 'rxjs-kinesis-nometrics');
// Aggregation only changes our figures (at 2x the records limit it would not offer 2x load), and the
// floors are costs, not producers: the paced cases leave them out.
const paced = contenders.filter((c) => c !== 'rxjs-kinesis+agg' && !c.endsWith('floor') && c !== 'rxjs-kinesis-nometrics');
for (const name of selectedCases) {
  log(`\n${name}`);
  if (name === 'throughput') results.throughput = await cases.throughput(settings, contenders, log);
  if (name === 'aggregation') results.aggregation = await cases.aggregation(settings, log);
  if (name === 'utilization') results.utilization = await cases.utilization(settings, paced, log);
  if (name === 'budget') results.budget = await cases.budget(settings, paced, log);
  if (name === 'latency') results.latency = await cases.latency(settings, paced, log);
  if (name === 'memory') results.memory = await cases.memory(settings, paced.length > 0 ? paced : ours, log);
}
// Sizes do not depend on the machine's load; measured with every full run so the targets are one table.
if (full || selectedCases.includes('throughput')) {
  const size = await measureBrowserSize();
  results.browser = { own: size.own, createProducerOwn: size.createProducerOwn };
}
results.durationSeconds = (performance.now() - started) / 1000;
results.load1.end = load1();
const files = writeReport(results, outDir);
log('');
for (const t of targets(results)) log(`${t.met ? 'met   ' : 'MISSED'} ${t.name}: ${t.measured} (goal ${t.target})`);
log(`\nwrote ${files.map((f) => f.slice(ROOT.length)).join(', ')} in ${Math.round(results.durationSeconds)} s`);
