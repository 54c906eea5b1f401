import Bottleneck from 'bottleneck';
import type { SchedulerLike, Subscription } from 'rxjs';
import { SHARD_BYTES_PER_SECOND, SHARD_RECORDS_PER_SECOND } from '../limits.js';
import { createAdaptiveRate, type AdaptiveRate, type AdaptiveRateOptions } from './adaptive-rate.js';
import { batchWeight, createRefill } from './token-bucket.js';
import type { SharedLimitsOptions } from './shared-limits.js';
import type { ProducerSignal } from '../producer/signals.js';

/** A shard's write budget. */
export interface ShardBudget {
  /** Records per second. Default 1000, the service's. */
  recordsPerSecond?: number;
  /** Bytes (partition key + data) per second. Default 1 MiB, the service's. */
  bytesPerSecond?: number;
}

export interface ShardLimitersOptions {
  budget: Required<ShardBudget>;
  /** Percentage of the budget to use at most. */
  rateLimit: number;
  /** AIMD settings, or false to keep the rate fixed. */
  adaptive: AdaptiveRateOptions | false;
  scheduler: SchedulerLike;
  /** Share the budget with other processes through Redis. */
  shared?: SharedLimitsOptions | undefined;
  /** Reports limiter events (e.g. falling back to local limits when Redis is gone). */
  onSignal?: (signal: ProducerSignal) => void;
}

/**
 * Budget a shard's bucket holds when full, in ms of its rate. Small on purpose: the service lets a
 * shard burst a full second, but a producer that bursts takes that second from other writers and
 * shows up as 2x spikes; 50 ms keeps every sliding second within 5% of the rate.
 */
export const BURST_MS = 50;
/** How often a shard with waiting batches is refilled, in ms. Refills count exact elapsed time. */
export const REFILL_INTERVAL_MS = 10;

export const DEFAULT_SHARD_BUDGET: Required<ShardBudget> = {
  recordsPerSecond: SHARD_RECORDS_PER_SECOND,
  bytesPerSecond: SHARD_BYTES_PER_SECOND,
};

interface Shard {
  limiter: Bottleneck;
  /** What we know the limiter's reservoir holds. */
  tokens: number;
  lastRefill: number;
  rate: AdaptiveRate;
  refill: ReturnType<typeof createRefill>;
  /** Weights of the jobs waiting in the limiter. */
  waiting: number[];
  timer: Subscription | undefined;
}

/**
 * One Bottleneck limiter per shard whose reservoir is a token bucket refilled continuously at the
 * shard's current rate (weights count records and bytes together), with AIMD on service throttles.
 * Bottleneck's own reservoir refresh is not used: it ticks on a heartbeat and loses budget to timer
 * drift; the refill here counts exact elapsed time on the producer's scheduler.
 */
export function createShardLimiters(o: ShardLimitersOptions) {
  const { scheduler } = o;
  const top = (o.budget.recordsPerSecond * o.rateLimit) / 100;
  const shards = new Map<string, Shard>();
  const capacity = (s: Shard) => Math.max(1, Math.floor((s.rate.rate * BURST_MS) / 1000));

  function shard(shardId: string): Shard {
    let s = shards.get(shardId);
    if (s === undefined) {
      const rate = createAdaptiveRate(top, o.adaptive === false ? { decreaseFactor: 1, minFraction: 1 } : o.adaptive);
      const tokens = Math.max(1, Math.floor((top * BURST_MS) / 1000));
      s = {
        limiter: new Bottleneck({ reservoir: tokens, maxConcurrent: null, minTime: 0 }),
        tokens,
        lastRefill: scheduler.now(),
        rate,
        refill: createRefill(),
        waiting: [],
        timer: undefined,
      };
      shards.set(shardId, s);
    }
    return s;
  }

  /** Changes the reservoir; its answer re-syncs our copy, which a grant changes before our job runs. */
  function adjust(s: Shard, delta: number): void {
    if (delta === 0) return;
    s.tokens += delta;
    void s.limiter.incrementReservoir(delta).then((value) => {
      if (typeof value === 'number') s.tokens = value;
    });
  }

  /** Fills up to the bucket's size, or to the heaviest waiting job when the rate fell below its weight. */
  function refill(s: Shard): void {
    const now = scheduler.now();
    const added = s.refill(s.rate.rate, now - s.lastRefill);
    s.lastRefill = now;
    const top = Math.max(capacity(s), ...s.waiting);
    adjust(s, Math.min(added, top - s.tokens));
  }

  function tick(s: Shard): void {
    refill(s);
    s.timer = s.waiting.length > 0 ? scheduler.schedule(() => tick(s), REFILL_INTERVAL_MS) : undefined;
  }

  return {
    /** Weight of a batch in record units: the larger of its records and its bytes' share of the budget. */
    weightOf: (records: number, bytes: number) => batchWeight(records, bytes, o.budget.recordsPerSecond, o.budget.bytesPerSecond),
    /** Heaviest batch the shard's bucket can ever grant now: split batches above it. */
    maxWeight: (shardId: string) => capacity(shard(shardId)),
    /** Whether a batch of this weight would wait for tokens now. */
    wouldWait(shardId: string, weight: number): boolean {
      const s = shard(shardId);
      refill(s);
      return s.waiting.length > 0 || s.tokens < Math.min(weight, capacity(s));
    },
    /** Resolves when the shard's bucket has granted `weight` tokens. */
    acquire(shardId: string, weight: number): Promise<void> {
      const s = shard(shardId);
      refill(s);
      // A single record heavier than the bucket still goes, at the bucket's full weight.
      const w = Math.min(weight, capacity(s));
      s.waiting.push(w);
      s.timer ??= scheduler.schedule(() => tick(s), REFILL_INTERVAL_MS);
      return s.limiter
        .schedule({ weight: w }, async () => {
          s.tokens -= w;
        })
        .finally(() => {
          s.waiting.splice(s.waiting.indexOf(w), 1);
        });
    },
    /** The service throttled entries of this shard: lower its rate and empty its bucket, as the service's is. */
    throttled(shardId: string): number {
      const s = shard(shardId);
      s.rate.throttled(scheduler.now());
      refill(s);
      adjust(s, -s.tokens);
      return s.rate.rate;
    },
    succeeded(shardId: string): void {
      shard(shardId).rate.succeeded(scheduler.now());
    },
    /** The shard's current rate, in records per second. */
    rate: (shardId: string) => shard(shardId).rate.rate,
    dispose(): void {
      for (const s of shards.values()) {
        s.timer?.unsubscribe();
        void s.limiter.stop({ dropWaitingJobs: true }).catch(() => undefined);
      }
      shards.clear();
    },
  };
}

export type ShardLimiters = ReturnType<typeof createShardLimiters>;
