import { asyncScheduler, type SchedulerLike, type Subscription } from 'rxjs';
import { DEFAULTS } from '../defaults.js';
import type { Batch, BatchEntry } from '../kinesis/put-records.js';

export type { Batch, BatchEntry };
import { PUT_RECORDS_DEFAULT_BYTES, PUT_RECORDS_MAX_BYTES, PUT_RECORDS_MAX_RECORDS } from '../kinesis/limits.js';

/**
 * Options of {@link collectBatches} and {@link createBatcher}: when a shard's batch is full enough, or has
 * waited long enough, to go out.
 *
 * @example
 * ```ts
 * import { collectBatches, type BatchOptions } from 'rxjs-kinesis';
 * const options: BatchOptions = { maxCount: 250, maxBytes: 1024 * 1024, lingerMs: 20 }; // smaller requests, sent sooner
 * routed$.pipe(collectBatches(options));
 * ```
 */
export interface BatchOptions {
  /** Entries in one batch, 1..500. Default 500. */
  maxCount?: number;
  /** Bytes (partition keys + data) in one batch. Default 5 MiB; at most 10 MiB. */
  maxBytes?: number;
  /** Longest time, in ms, an entry waits in a part-filled batch. Default 100. */
  lingerMs?: number;
  /** Clock and timers for the linger time. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/** Checks and fills in batch options. */
export function resolveBatchOptions(options: BatchOptions = {}): Required<BatchOptions> {
  const { maxCount = PUT_RECORDS_MAX_RECORDS, maxBytes = PUT_RECORDS_DEFAULT_BYTES, lingerMs = DEFAULTS.lingerMs } = options;
  if (!Number.isInteger(maxCount) || maxCount < 1 || maxCount > PUT_RECORDS_MAX_RECORDS) {
    throw new RangeError(`maxBatchCount must be an integer in 1..${PUT_RECORDS_MAX_RECORDS}; got ${maxCount}`);
  }
  if (!Number.isInteger(maxBytes) || maxBytes < 1 || maxBytes > PUT_RECORDS_MAX_BYTES) {
    throw new RangeError(`maxBatchBytes must be an integer in 1..${PUT_RECORDS_MAX_BYTES}; got ${maxBytes}`);
  }
  if (!(lingerMs >= 0)) throw new RangeError(`lingerMs must be >= 0; got ${lingerMs}`);
  return { maxCount, maxBytes, lingerMs, scheduler: options.scheduler ?? asyncScheduler };
}

/**
 * Per-shard batch buffers: seal a batch when it is full by count or bytes, or when it has lingered.
 *
 * @example
 * ```ts
 * const batcher: Batcher<RoutedRecord<Event>> = createBatcher({ lingerMs: 100 }, send);
 * process.once('SIGTERM', () => batcher.flush()); // seal what still lingers before the process exits
 * ```
 */
export interface Batcher<E extends BatchEntry> {
  /** Buffers the entry; returns the bytes its shard's part-filled batch now holds (0 when it just sealed). */
  add(entry: E): number;
  /** Seals every part-filled batch now. */
  flush(): void;
  /** Seals the shard's part-filled batch now, if it has one. */
  flushShard(shardId: string): void;
  /** Removes and returns every buffered entry without sealing (for failing them). */
  drain(): E[];
  /** Removes and returns the first entry of the oldest buffer, or of the shard's (for dropping it). */
  shift(shardId?: string): E | undefined;
  /** Entries buffered, not yet sealed. */
  readonly size: number;
  /** Cancels the linger timers. */
  dispose(): void;
}

interface Buffer<E> {
  entries: E[];
  bytes: number;
  timer: Subscription | undefined;
}

/**
 * Creates per-shard batch buffers that call `seal` with each full or lingered batch.
 *
 * @example
 * ```ts
 * const batcher = createBatcher({ lingerMs: 50 }, (batch) => send(batch));
 * batcher.add({ shardId: 'shardId-000000000000', size: 120 });
 * ```
 */
export function createBatcher<E extends BatchEntry>(options: BatchOptions, seal: (batch: Batch<E>) => void): Batcher<E> {
  // Not range-checked here: the producer cuts aggregated batches by bytes only (maxCount unbounded).
  const {
    maxCount = PUT_RECORDS_MAX_RECORDS,
    maxBytes = PUT_RECORDS_DEFAULT_BYTES,
    lingerMs = DEFAULTS.lingerMs,
    scheduler = asyncScheduler,
  } = options;
  const buffers = new Map<string, Buffer<E>>();
  let size = 0;

  function sealBuffer(shardId: string, buffer: Buffer<E>): void {
    buffer.timer?.unsubscribe();
    buffers.delete(shardId);
    size -= buffer.entries.length;
    seal({ shardId, entries: buffer.entries, bytes: buffer.bytes });
  }

  function add(entry: E): number {
    let buffer = buffers.get(entry.shardId);
    if (buffer !== undefined && buffer.bytes + entry.size > maxBytes) {
      sealBuffer(entry.shardId, buffer);
      buffer = undefined;
    }
    if (buffer === undefined) {
      const created: Buffer<E> = { entries: [], bytes: 0, timer: undefined };
      buffers.set(entry.shardId, created);
      const shardId = entry.shardId;
      created.timer = scheduler.schedule(() => {
        if (buffers.get(shardId) === created) sealBuffer(shardId, created);
      }, lingerMs);
      buffer = created;
    }
    buffer.entries.push(entry);
    buffer.bytes += entry.size;
    size++;
    if (buffer.entries.length < maxCount && buffer.bytes < maxBytes) return buffer.bytes;
    sealBuffer(entry.shardId, buffer);
    return 0;
  }

  return {
    add,
    flush: () => buffers.forEach((buffer, shardId) => sealBuffer(shardId, buffer)),
    flushShard(shardId) {
      const buffer = buffers.get(shardId);
      if (buffer !== undefined) sealBuffer(shardId, buffer);
    },
    drain() {
      const all: E[] = [];
      buffers.forEach((buffer) => {
        buffer.timer?.unsubscribe();
        all.push(...buffer.entries);
      });
      buffers.clear();
      size = 0;
      return all;
    },
    shift(only) {
      for (const [shardId, buffer] of buffers) {
        if (only !== undefined && shardId !== only) continue;
        const entry = buffer.entries.shift()!;
        buffer.bytes -= entry.size;
        size--;
        if (buffer.entries.length === 0) {
          buffer.timer?.unsubscribe();
          buffers.delete(shardId);
        }
        return entry;
      }
      return undefined;
    },
    get size() {
      return size;
    },
    dispose: () => buffers.forEach((buffer) => buffer.timer?.unsubscribe()),
  };
}
