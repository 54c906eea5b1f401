/**
 * Child process: `pullFrom` over the lines of a file (readline over a read stream) into one shard.
 * Prints `{ event: 'ready' }` after the warm-up, waits for the parent's answer, and prints the result
 * last.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createProducer, pullFrom, type Pressure } from '../../../src/index.js';
import { afterEach } from './after-each.js';
import { askParent, clientFor, fail, finish, readConfig, warmUp, type Target } from './child.js';
import { countOutcomes, type OutcomeCounts } from './outcomes.js';
import { sampleRss, type RssFigures } from './rss.js';

export interface PullConfig extends Target {
  file: string;
  lines: number;
  maxBufferedRecords: number | undefined;
  recordTtlMs: number | undefined;
  maxBufferedBytes: number;
  highWatermark: number;
  lowWatermark: number;
  /** KPL aggregation with its default limits. */
  aggregation: boolean;
  sampleMs: number;
}

export interface PullResult {
  lines: number;
  bytes: number;
  durationMs: number;
  outcomes: OutcomeCounts;
  /** Most values and bytes held at once (exact: measured after each value went in). */
  heldRecordsPeak: number;
  heldBytesPeak: number;
  /** What `pressure$` emitted: level changes with the amounts held then. */
  pressure: Pick<Pressure, 'level' | 'bufferedRecords' | 'bufferedBytes' | 'expectedWaitMs'>[];
  pressureChanges: number;
  /** PutRecords requests, and Kinesis records they carried (aggregates count once). */
  requests: number;
  kinesisRecords: number;
  rss: RssFigures;
}

const idOf = (line: string) => Number(line.slice(0, line.indexOf(' ')));
const keyOf = (line: string) => {
  const from = line.indexOf(' ') + 1;
  return line.slice(from, line.indexOf(' ', from));
};
/** Partition key + data bytes, as the producer counts them (the lines are ASCII). */
const sizeOf = (line: string) => keyOf(line).length + line.length;

async function main(): Promise<void> {
  const c = readConfig<PullConfig>();
  const client = clientFor(c);
  await warmUp(c, client);
  const producer = createProducer({
    client,
    streamName: c.streamName,
    maxBufferedRecords: c.maxBufferedRecords,
    recordTtlMs: c.recordTtlMs,
    maxBufferedBytes: c.maxBufferedBytes,
    highWatermark: c.highWatermark,
    lowWatermark: c.lowWatermark,
    aggregation: c.aggregation ? {} : false,
  });
  const pressure: PullResult['pressure'] = [];
  let pressureChanges = 0;
  producer.pressure$.subscribe((p) => {
    pressureChanges++;
    if (pressure.length < 50) pressure.push({ level: p.level, bufferedRecords: p.bufferedRecords, bufferedBytes: p.bufferedBytes, expectedWaitMs: Math.round(p.expectedWaitMs) });
  });
  let requests = 0;
  let kinesisRecords = 0;
  producer.signals$.subscribe((s) => {
    if (s.type !== 'batchSent') return;
    requests++;
    kinesisRecords += s.succeeded;
  });
  const outcomes = countOutcomes(c.lines, idOf);
  let taken = 0;
  let takenBytes = 0;
  let decided = 0;
  let decidedBytes = 0;
  let heldRecordsPeak = 0;
  let heldBytesPeak = 0;

  await askParent('ready');
  const rss = sampleRss(c.sampleMs);
  rss.markBaseline();
  const started = performance.now();
  const lines = createInterface({ input: createReadStream(c.file), crlfDelay: Infinity });
  await new Promise<void>((resolve, reject) =>
    pullFrom(lines, producer)
      .pipe(
        afterEach((line) => {
          taken++;
          takenBytes += sizeOf(line);
          heldRecordsPeak = Math.max(heldRecordsPeak, taken - decided);
          heldBytesPeak = Math.max(heldBytesPeak, takenBytes - decidedBytes);
        }),
        producer.put((line) => ({ partitionKey: keyOf(line), data: line })),
      )
      .subscribe({
        next(o) {
          decided++;
          decidedBytes += sizeOf(o.value);
          outcomes.add(o);
        },
        error: reject,
        complete: resolve,
      }),
  );
  const durationMs = performance.now() - started;
  const figures = rss.stop();
  await producer.close();
  client.destroy();
  const result: PullResult = {
    lines: taken,
    bytes: takenBytes,
    durationMs: Math.round(durationMs),
    outcomes: outcomes.counts(taken),
    heldRecordsPeak,
    heldBytesPeak,
    pressure,
    pressureChanges,
    requests,
    kinesisRecords,
    rss: figures,
  };
  finish(result);
}

main().catch(fail);
