/**
 * Child process: a hot source (a fixed number of values per tick, catching up when a tick runs late)
 * into a producer whose endpoint stalls. Prints JSON lines: `{ event: 'ready' }` after the warm-up
 * (the parent stalls the endpoint, then answers), `{ event: 'sourceDone' }` when a bounded source has
 * offered everything (the parent lifts the stall), and the result last.
 */
import { BufferOverflowError, createProducer, type OverflowPolicy, type PressureLevel } from '../../../src/index.js';
import { afterEach } from './after-each.js';
import { askParent, clientFor, fail, finish, readConfig, report, warmUp, type Target } from './child.js';
import { countOutcomes, type OutcomeCounts } from './outcomes.js';
import { retainedProbes, type RetainedProbe } from './retained.js';
import { sampleRss, type RssFigures } from './rss.js';
import { hotSource, idOf, keyOf, sizeOf, valueMaker, type HotSourceConfig } from './source.js';

export interface HotConfig extends Target, HotSourceConfig {
  overflow: OverflowPolicy;
  maxBufferedBytes: number;
  maxBufferedRecords: number;
  recordTtlMs: number;
  requestTimeoutMs: number;
  sampleMs: number;
  /** KPL aggregation with its default limits. */
  aggregation: boolean;
  /** Probe retained memory after forced GCs (baseline, first 'full', source done, end); needs `--expose-gc`. */
  probeRetained: boolean;
}

export interface HotResult {
  overflow: OverflowPolicy;
  /** Values the producer took, and their bytes (partition keys + data). */
  offered: number;
  offeredBytes: number;
  /** From the first value to the last one offered (or to the overflow that stopped the source). */
  sourceMs: number;
  /** From the first value to the output's end. */
  durationMs: number;
  outcomes: OutcomeCounts;
  /** Sums of the `dropped` and `expired` signals' counts. */
  droppedSignalled: number;
  expiredSignalled: number;
  /** Most values and bytes the producer held at once (exact: measured after each value went in). */
  heldRecordsPeak: number;
  heldBytesPeak: number;
  /** The first level changes `pressure$` emitted. */
  pressureLevels: PressureLevel[];
  outputError?: { name: string; code: string | undefined; isBufferOverflowError: boolean; message: string };
  rss: RssFigures;
  retained: RetainedProbe[];
}

async function main(): Promise<void> {
  const c = readConfig<HotConfig>();
  const client = clientFor(c);
  await warmUp(c, client);
  const producer = createProducer({
    client,
    streamName: c.streamName,
    overflow: c.overflow,
    maxBufferedBytes: c.maxBufferedBytes,
    maxBufferedRecords: c.maxBufferedRecords,
    recordTtlMs: c.recordTtlMs,
    requestTimeoutMs: c.requestTimeoutMs,
    aggregation: c.aggregation ? {} : false,
  });
  const outcomes = countOutcomes(c.values > 0 ? c.values : 8_000_000, idOf);
  const make = valueMaker(c);
  let offered = 0;
  let offeredBytes = 0;
  let decided = 0;
  let decidedBytes = 0;
  let heldRecordsPeak = 0;
  let heldBytesPeak = 0;
  let sourceMs: number | undefined;
  let outputError: HotResult['outputError'];
  const probes = retainedProbes(c.probeRetained);

  let droppedSignalled = 0;
  let expiredSignalled = 0;
  producer.signals$.subscribe((s) => {
    if (s.type === 'dropped') droppedSignalled += s.count;
    if (s.type === 'expired') expiredSignalled += s.count;
  });
  const pressureLevels: PressureLevel[] = [];
  producer.pressure$.subscribe((p) => {
    if (pressureLevels.length < 20) pressureLevels.push(p.level);
    if (p.level === 'full' && !probes.probes.some((x) => x.at === 'full')) probes.take('full', p.bufferedRecords, p.bufferedBytes);
  });

  await askParent('ready');
  probes.take('baseline', 0, 0);
  const rss = sampleRss(c.sampleMs);
  rss.markBaseline();
  const started = performance.now();
  await new Promise<void>((resolve) =>
    hotSource(c, make, () => {
      sourceMs = performance.now() - started;
      probes.take('sourceDone', offered - decided, offeredBytes - decidedBytes);
      report({ event: 'sourceDone', offered });
    })
      .pipe(
        afterEach((data) => {
          offered++;
          offeredBytes += sizeOf(data);
          heldRecordsPeak = Math.max(heldRecordsPeak, offered - decided);
          heldBytesPeak = Math.max(heldBytesPeak, offeredBytes - decidedBytes);
        }),
        producer.put((data) => ({ partitionKey: keyOf(data), data })),
      )
      .subscribe({
        next(o) {
          decided++;
          decidedBytes += sizeOf(o.value);
          outcomes.add(o);
          if (!o.ok && o.error.code === 'BufferOverflow') sourceMs = performance.now() - started;
        },
        error(e) {
          outputError = { name: e?.name, code: e?.code, isBufferOverflowError: e instanceof BufferOverflowError, message: String(e?.message) };
          resolve();
        },
        complete: resolve,
      }),
  );
  const durationMs = performance.now() - started;
  const figures = rss.stop();
  probes.take('end', offered - decided, offeredBytes - decidedBytes);
  await producer.close();
  client.destroy();
  const result: HotResult = {
    overflow: c.overflow,
    offered,
    offeredBytes,
    sourceMs: Math.round(sourceMs ?? durationMs),
    durationMs: Math.round(durationMs),
    outcomes: outcomes.counts(offered),
    droppedSignalled,
    expiredSignalled,
    heldRecordsPeak,
    heldBytesPeak,
    pressureLevels,
    outputError,
    rss: figures,
    retained: probes.probes,
  };
  finish(result);
}

main().catch(fail);
