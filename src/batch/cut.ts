import type { AggregatePacker, KinesisEntry } from './aggregate.js';
import type { Batch } from './batcher.js';
import type { RoutedRecord } from '../records/route.js';
import type { ShardQueue } from './shard-queue.js';

/** What one batch may hold: the request's limits, and the weight the shard's limiter grants at once. */
export interface CutLimits {
  maxCount: number;
  maxBytes: number;
  /** Whether `count` entries of `bytes` fit the weight the limiter grants at once. */
  fits(count: number, bytes: number): boolean;
}

/**
 * Cuts the next batch from the head of a shard's queue: records, or with a packer KPL aggregates of
 * them, until the next entry would break a limit. The first entry always goes, whatever it weighs:
 * the limiter charges it in full.
 */
export function cutBatch<R extends RoutedRecord<unknown>>(queue: ShardQueue<R>, limits: CutLimits, packer?: AggregatePacker): Batch<KinesisEntry<R>> | undefined {
  const batch: Batch<KinesisEntry<R>> = { shardId: queue.shardId, entries: [], bytes: 0 };
  const fits = (size: number) =>
    batch.entries.length === 0 || (batch.entries.length < limits.maxCount && batch.bytes + size <= limits.maxBytes && limits.fits(batch.entries.length + 1, batch.bytes + size));
  const add = (entry: KinesisEntry<R>) => {
    batch.entries.push(entry);
    batch.bytes += entry.size;
  };
  if (packer === undefined) {
    for (let r = queue.peek(); r !== undefined && fits(r.size); r = queue.peek()) add(queue.shift()!);
  } else {
    // Room for a whole aggregate is checked before one is packed, so no packed work is undone.
    while (queue.length > 0 && fits(packer.maxEntryBytes)) add(packer.pack(queue.shardId, queue.peek, queue.shift as () => R)!);
  }
  return batch.entries.length === 0 ? undefined : batch;
}
