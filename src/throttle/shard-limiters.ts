import type { SchedulerLike } from 'rxjs';
import type { LimitsSignal } from './signals.js';
import type { AdaptiveRateOptions } from './adaptive-rate.js';
import { createLocalLimiters } from './local-limiters.js';
import { createSharedLimiters } from './shared-limiters.js';
import type { SharedLimitsOptions, StreamNames } from './shared-limits.js';
import { batchWeight } from './token-bucket.js';

export { BURST_MS, REFILL_INTERVAL_MS } from './local-limiters.js';

/**
 * A shard's write budget.
 *
 * @example
 * ```ts
 * import { createProducer, type ShardBudget } from 'rxjs-kinesis';
 * const shardBudget: ShardBudget = { recordsPerSecond: 500 }; // half of each shard: another application writes the rest
 * const producer = createProducer({ client, streamName: 'events', shardBudget });
 * ```
 */
export interface ShardBudget {
  /** Records per second. Default 1000, the service's. */
  recordsPerSecond?: number;
  /** Bytes (partition key + data) per second. Default 1 MiB, the service's. */
  bytesPerSecond?: number;
}

/**
 * Options of {@link createShardLimiters}. Nothing here has a default: the producer resolves its own options
 * into these, and a caller using the limiters alone gives them all.
 *
 * @example
 * ```ts
 * import { asyncScheduler } from 'rxjs';
 * const options: ShardLimitersOptions = { budget: { recordsPerSecond: 1000, bytesPerSecond: 1024 * 1024 }, rateLimit: 80, adaptive: false, scheduler: asyncScheduler };
 * const limiters = createShardLimiters(options);
 * ```
 */
export interface ShardLimitersOptions {
  /** Each shard's write budget: records per second and bytes (partition key + data) per second. */
  budget: Required<ShardBudget>;
  /** Percentage of the budget to use at most. */
  rateLimit: number;
  /** AIMD settings, or false to keep the rate fixed. */
  adaptive: AdaptiveRateOptions | false;
  /** Clock and timers of the buckets' refills. */
  scheduler: SchedulerLike;
  /** Share the budget with other processes through Redis. */
  shared?: SharedLimitsOptions | undefined;
  /** The stream written to: shared limits meet under its name unless `shared.key` says otherwise. */
  stream?: StreamNames | undefined;
  /** Reports limiter events (e.g. falling back to local limits when Redis is gone). */
  onSignal?: (signal: LimitsSignal) => void;
}

/**
 * Share of the rate left unused for transit jitter. Requests granted at an even pace reach the service
 * unevenly (a few ms either way on each side's event loop), and a producer at exactly the budget then
 * shows up to 1% over it in some sliding second. The bucket starts empty and grants half its depth at
 * once; 1% below the budget, the budget benchmark's busiest sliding second was 103.7% of it, inside the
 * service's 5%.
 */
export const TRANSIT_MARGIN = 0.01;

/**
 * How unevenly requests granted at an even pace may reach the service, in ms: event loops on both sides
 * and the transfer of a large body. Small requests average it out within the transit margin. A request
 * heavier than its shard's bucket (a big record) counts whole in the service's second: such requests
 * are spaced so that one more than fit in a second's budget always spans a second and this much more.
 */
export const TRANSIT_JITTER_MS = 100;

/**
 * Each shard's limiter: a token bucket per shard (weights count records and bytes together) with AIMD
 * on service throttles, kept in this process, or with `shared` in Redis for every producer process
 * writing to the stream (falling back to a local share while Redis is unreachable).
 *
 * @example
 * ```ts
 * const budget = { recordsPerSecond: SHARD_RECORDS_PER_SECOND, bytesPerSecond: SHARD_BYTES_PER_SECOND };
 * const limiters = createShardLimiters({ budget, rateLimit: 100, adaptive: {}, scheduler: asyncScheduler });
 * await limiters.acquire('shardId-000000000000', limiters.weightOf(500, 50_000)); // waits for 500 record units
 * ```
 */
export function createShardLimiters(o: ShardLimitersOptions) {
  const top = (o.budget.recordsPerSecond * o.rateLimit * (1 - TRANSIT_MARGIN)) / 100;
  /**
   * Extra weight of a request heavier than the shard's bucket. `fit` such requests fit a second's budget;
   * at `top` they are spaced (weight + charge) / top apart, and `fit` spacings must span a second plus
   * the jitter, or `fit + 1` of them land in one second at the service (600 KiB records: two in 612 ms).
   */
  const heavyCharge = (weight: number) => {
    const fit = Math.max(1, Math.floor(o.budget.recordsPerSecond / weight));
    return Math.max(0, Math.ceil((top * (1 + TRANSIT_JITTER_MS / 1000)) / fit - weight));
  };
  /** Heavier than the bucket grants at once, and more than 5% of a second's budget: one too many would overshoot it by more. */
  const isHeavy = (shardId: string, weight: number) => weight > gate.maxWeight(shardId) && weight * 20 > o.budget.recordsPerSecond;
  const gate =
    o.shared === undefined
      ? createLocalLimiters({ top, adaptive: o.adaptive, scheduler: o.scheduler })
      : createSharedLimiters({ top, adaptive: o.adaptive, scheduler: o.scheduler, shared: o.shared, stream: o.stream, onSignal: o.onSignal });
  return {
    /** Each shard's highest rate, in records per second: the budget's share, less the transit margin. */
    top,
    /** Weight of a batch in record units: the larger of its records and its bytes' share of the budget. */
    weightOf: (records: number, bytes: number) => batchWeight(records, bytes, o.budget.recordsPerSecond, o.budget.bytesPerSecond),
    /** Heaviest batch the shard's bucket can ever grant now: split batches above it. */
    maxWeight: (shardId: string) => gate.maxWeight(shardId),
    /** Whether a batch of this weight would wait for tokens now. */
    wouldWait: (shardId: string, weight: number) => gate.wouldWait(shardId, weight),
    /** Resolves when the shard's bucket has granted `weight` tokens (plus the spacing charge of a request heavier than the bucket). Rejects only once disposed. */
    acquire: (shardId: string, weight: number) => gate.acquire(shardId, isHeavy(shardId, weight) ? weight + heavyCharge(weight) : weight),
    /** The service throttled entries of this shard: lower its rate and empty its bucket, as the service's is. */
    throttled: (shardId: string) => gate.throttled(shardId),
    succeeded: (shardId: string) => gate.succeeded(shardId),
    /** The shard's current rate, in records per second. */
    rate: (shardId: string) => gate.rate(shardId),
    dispose: () => gate.dispose(),
  };
}

/**
 * What {@link createShardLimiters} returns: wait on it before each PutRecords request of a shard, and tell
 * it how the request went so the shard's rate follows the service.
 *
 * @example
 * ```ts
 * async function send(limiters: ShardLimiters, batch: Batch<SendableEntry>) {
 *   await limiters.acquire(batch.shardId, limiters.weightOf(batch.entries.length, batch.bytes));
 *   const { retry } = await putBatch(client, { streamName: 'events' }, batch, { requestTimeoutMs: 10_000 });
 *   const throttled = retry.some((r) => r.code === 'ProvisionedThroughputExceededException');
 *   return throttled ? limiters.throttled(batch.shardId) : limiters.succeeded(batch.shardId);
 * }
 * ```
 */
export type ShardLimiters = ReturnType<typeof createShardLimiters>;
