/**
 * Child process (`--expose-gc`): where the memory of one held value goes. Keeps `values` tiny values
 * alive throughout, then measures, one layer at a time, what is still reachable after forced GCs
 * (V8 heap in use + memory outside it, ArrayBuffers included): the array slots that hold them, their
 * encoded bytes, the encoded records, the fields the producer adds, the batch arrays, and last the
 * producer itself holding every value against a client that never answers. Prints the result last.
 */
import { Subject } from 'rxjs';
import { createProducer, type EncodedRecord } from '../../../src/index.js';
import { encodeRecord } from '../../../src/records/encode.js';
import { utf8Encode } from '../../../src/utf8/encode.js';
import { hang, scriptedClient } from '../../helpers/scripted-client.js';
import { fail, finish, readConfig } from './child.js';

export interface PerValueConfig {
  values: number;
}

/** Bytes per value of each layer, measured as the growth of retained memory over `values`. */
export interface PerValueResult {
  values: number;
  /** A reference to each value in an array: what any holder pays per value. */
  slot: number;
  /** `utf8Encode('x')` as the producer encodes (TextEncoder here: each value its own ArrayBuffer), and Node's pooled `Buffer.from`. */
  encoded: number;
  encodedPooled: number;
  /** `encodeRecord` results: the record object with its encoded bytes. */
  record: number;
  /** The same records after the producer's fields (shardId, sink) are added, as the producer adds them. */
  recordWithFields: number;
  /** Those records in arrays of 500, as sealed batches hold them, instead of one array. */
  inBatches: number;
  /** The producer holding every value against a client that never answers (no outcome came). */
  producer: number;
}

const gc = (globalThis as { gc?: () => void }).gc;
const KEYS = Array.from({ length: 1000 }, (_, i) => `device-${i}`);
const BATCH = 500;

function retained(): number {
  if (gc === undefined) throw new Error('run with --expose-gc');
  // ArrayBuffers freed by a GC leave `external` only once their sweep is done: the second GC waits for it.
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

/** Bytes per value that `make` keeps reachable, rounded to 0.1. */
function perValue(count: number, make: () => unknown): number {
  const before = retained();
  const kept = make();
  const bytes = retained() - before;
  if (kept === undefined) throw new Error('nothing kept');
  return Math.round((bytes / count) * 10) / 10;
}

async function main(): Promise<void> {
  const { values: n } = readConfig<PerValueConfig>();
  const values = Array.from({ length: n }, (_, id) => ({ id }));
  const mapper = (v: { id: number }) => ({ partitionKey: KEYS[v.id % KEYS.length], data: 'x' });
  const encode = () => values.map((v) => encodeRecord(v, mapper, 1024 * 1024, 0) as EncodedRecord<{ id: number }>);
  encode(); // compiles encodeRecord and fills the partition-key hash cache before any measurement
  const sink = { deliver() {}, check() {} };
  const shardId = 'shardId-000000000000';
  const result: PerValueResult = {
    values: n,
    slot: perValue(n, () => values.slice()),
    encoded: perValue(n, () => values.map(() => utf8Encode('x'))),
    encodedPooled: perValue(n, () => values.map(() => Buffer.from('x'))),
    record: perValue(n, encode),
    recordWithFields: perValue(n, () =>
      encode().map((r) => Object.assign(r, { shardId }, { sink })),
    ),
    inBatches: perValue(n, () => {
      const records = encode().map((r) => Object.assign(r, { shardId }, { sink }));
      return Array.from({ length: Math.ceil(n / BATCH) }, (_, i) => ({ shardId, entries: records.slice(i * BATCH, (i + 1) * BATCH), bytes: 0 }));
    }),
    producer: 0,
  };

  // Last: the producer keeps its requests hanging, so nothing it holds is released after.
  const { client } = scriptedClient({ onPut: () => hang() });
  // Long enough that every value is accepted: 500,000 values wait ~505 s for one shard at 990 records/s.
  const hour = 3_600_000;
  const producer = createProducer({ client, streamName: 'held', recordTtlMs: hour, requestTimeoutMs: hour, maxBufferedRecords: n + 1 });
  const input = new Subject<{ id: number }>();
  let outcomes = 0;
  input.pipe(producer.put(mapper)).subscribe(() => outcomes++);
  input.next({ id: n }); // the shard map loads and the first request goes out before the baseline
  await new Promise((resolve) => setTimeout(resolve, 300));
  const before = retained();
  for (const v of values) input.next(v);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const after = retained();
  if (outcomes > 0) throw new Error(`${outcomes} values were decided: the producer must hold them all`);
  result.producer = Math.round(((after - before) / n) * 10) / 10;
  finish(result);
}

main().catch(fail);
