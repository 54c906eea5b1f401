/**
 * A file of numbered lines streamed with `stream.pipeline` through `toWritable` into a local Kinesis
 * (aggregation on), then read back: used by the toWritable suite (100,000 lines) and by
 * `npm run bench:writable` (1,000,000 lines).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { decodeAggregate, isAggregate } from '../../src/kpl/index.js';
import { createProducer } from '../../src/producer/create-producer.js';
import type { LocalKinesis } from '../../src/testing/index.js';
import { toWritable } from '../../src/to-writable-node.js';
import { readBack } from './read-back.js';


/** Line `i`: its number first, so the read-back can count it; ~100 bytes, like an access-log line. */
export const line = (i: number) => `${i} 10.0.${i % 256}.${(i * 7) % 256} - - "GET /items/${i % 5000}?page=${i % 37} HTTP/1.1" 200 ${(i * 13) % 9000}`;

/** Writes `count` lines to `file`, honouring the file stream's backpressure. */
export async function writeLines(file: string, count: number): Promise<void> {
  const out = createWriteStream(file);
  for (let i = 0; i < count; i++) if (!out.write(`${line(i)}\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

/** The lines of a text stream, one at a time, pulled only as fast as the next stage takes them. */
export async function* lines(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of chunks) {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop()!;
    yield* parts;
  }
  if (rest !== '') yield rest;
}

export interface FileRun {
  lines: number;
  sent: number;
  failed: number;
  /** Most values handed to the producer and not yet decided. */
  mostHeld: number;
  /** Most lines read from the file and not yet decided. */
  mostRead: number;
  /** Heap after a full collection: before the run, and the most during it, in bytes (with `gc` only). */
  heapBefore?: number;
  heapPeak?: number;
  seconds: number;
  /** Lines read back once, more than once, and not at all. */
  once: number;
  duplicates: number;
  missing: number;
}

export interface FileRunOptions {
  local: LocalKinesis;
  streamName: string;
  shards: number;
  file: string;
  count: number;
  maxBufferedRecords: number;
  /**
   * A full garbage collection (`node --expose-gc`'s `gc`): the heap is then measured after one every
   * `heapSampleMs` during the run. Costly in a process with a large heap: for the benchmark only.
   */
  gc?: () => void;
  heapSampleMs?: number;
}

export async function fileThroughWritable(o: FileRunOptions): Promise<FileRun> {
  await o.local.createStream(o.streamName, o.shards);
  const client = o.local.client();
  const producer = createProducer({ client, streamName: o.streamName, aggregation: {}, maxBufferedRecords: o.maxBufferedRecords });
  let read = 0;
  let taken = 0;
  let decided = 0;
  let mostHeld = 0;
  let mostRead = 0;
  const sink = toWritable(producer, (text: string) => {
    taken++;
    mostHeld = Math.max(mostHeld, taken - decided);
    return { partitionKey: text.slice(0, text.indexOf(' ')), data: text };
  });
  sink.on('outcome', () => decided++);
  const counted = async function* (source: AsyncIterable<string>) {
    for await (const text of source) {
      read++;
      mostRead = Math.max(mostRead, read - decided);
      yield text;
    }
  };
  const { gc } = o;
  const heapAfterGc = () => (gc?.(), process.memoryUsage().heapUsed);
  const heapBefore = gc && heapAfterGc();
  let heapPeak = heapBefore;
  const sampler = gc && setInterval(() => (heapPeak = Math.max(heapPeak!, heapAfterGc())), o.heapSampleMs ?? 500);
  const started = Date.now();
  try {
    await pipeline(createReadStream(o.file, 'utf8'), lines, counted, sink);
    await producer.close();
  } finally {
    clearInterval(sampler);
  }
  const seconds = (Date.now() - started) / 1000;
  if (gc) heapPeak = Math.max(heapPeak!, heapAfterGc());

  const seen = new Uint8Array(o.count);
  for (const records of (await readBack(client, o.streamName)).values()) {
    for (const r of records) {
      const payloads = isAggregate(r.Data!) ? decodeAggregate(r.Data!).map((u) => u.data) : [r.Data!];
      for (const payload of payloads) {
        const n = Number(Buffer.from(payload.subarray(0, 12)).toString('latin1').split(' ')[0]);
        seen[n] = Math.min(255, seen[n] + 1);
      }
    }
  }
  client.destroy();
  let once = 0;
  let duplicates = 0;
  for (const times of seen) {
    if (times === 1) once++;
    if (times > 1) duplicates++;
  }
  return { lines: read, sent: sink.sent, failed: sink.failed, mostHeld, mostRead, ...(gc ? { heapBefore, heapPeak } : {}), seconds, once, duplicates, missing: o.count - once - duplicates };
}
