import { createShardLimiters } from '../throttle/shard-limiters.js';
import { batchWeight } from '../throttle/token-bucket.js';
import type { BatchResult, SendableEntry } from '../kinesis/put-records.js';
import type { ShardMap } from '../kinesis/shard-map.js';
import type { ResolvedOptions } from './options.js';
import { createSendRate } from '../throttle/send-rate.js';
import type { ProducerSignal } from './signals.js';

/**
 * Each shard's rate and the weight of what waits for it: the shard limiters when the producer keeps
 * the budget alone (their rate follows the service's throttles), else the rate measured from answers.
 * Waits are weights over rates, in the limiter's units (records/s, bytes counted in).
 */
export function createShardRates(o: ResolvedOptions, emit: (s: ProducerSignal) => void, currentMap: () => ShardMap | undefined) {
  const { recordsPerSecond, bytesPerSecond } = o.shardBudget;
  const limiters =
    o.rateLimit === false
      ? undefined
      : createShardLimiters({ budget: o.shardBudget, rateLimit: o.rateLimit, adaptive: o.adaptiveRate, scheduler: o.scheduler, shared: o.limits, onSignal: emit });
  const top = limiters?.top ?? recordsPerSecond;
  const measured = createSendRate(top, () => o.scheduler.now());
  const known = limiters !== undefined && o.limits === undefined;
  const packing = o.aggregation;
  /** Kinesis records of a backlog: with aggregation, user records share them. */
  const kinesisRecords =
    packing === false ? (records: number) => records : (records: number, bytes: number) => Math.max(Math.ceil(records / packing.maxCount), Math.ceil(bytes / packing.maxBytes));
  const weightOf = (records: number, bytes: number) => batchWeight(kinesisRecords(records, bytes), bytes, recordsPerSecond, bytesPerSecond);

  return {
    limiters,
    weightOf,
    rateOf: (shardId: string): number => (known ? limiters!.rate(shardId) : measured.rate(shardId)),
    /** How long what waits for a map would wait: it spreads over every shard of the stream (one, until a map says). */
    unroutedWaitMs: (records: number, bytes: number): number => (records === 0 ? 0 : (weightOf(records, bytes) / (top * (currentMap()?.shards.length ?? 1))) * 1000),
    /** A request of the shard was answered; `backlogged`: more waited for the shard meanwhile. */
    answered(shardId: string, result: BatchResult<SendableEntry>, backlogged: boolean): void {
      let bytes = 0;
      for (const s of result.succeeded) bytes += s.entry.size;
      measured.sent(shardId, batchWeight(result.succeeded.length, bytes, recordsPerSecond, bytesPerSecond), backlogged);
    },
    dispose: () => limiters?.dispose(),
  };
}
