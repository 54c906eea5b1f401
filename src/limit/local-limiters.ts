import Bottleneck from 'bottleneck';
import type { SchedulerLike, Subscription } from 'rxjs';
import { createAdaptiveRate, type AdaptiveRate, type AdaptiveRateOptions } from './adaptive-rate.js';
import { createRefill } from './token-bucket.js';

/**
 * Budget a shard's bucket holds when full, in ms of its rate. Small on purpose: the service lets a
 * shard burst a full second, but a producer that bursts takes that second from other writers and
 * shows up as 2x spikes; 50 ms keeps every sliding second within 5% of the rate.
 */
export const BURST_MS = 50;
/** How often a shard with waiting batches is refilled, in ms. Refills count exact elapsed time. */
export const REFILL_INTERVAL_MS = 10;

/** Tokens a bucket at `rate` per second holds when full. */
export const bucketSize = (rate: number) => Math.max(1, Math.floor((rate * BURST_MS) / 1000));
/**
 * The heaviest batch a bucket grants at once: half of it. A batch that needed the whole bucket would
 * wait for it to be full, and the tokens that arrive while the grant goes through would spill over
 * its top (measured: 95% of the rate); with half, the other half takes them.
 */
export const grantSize = (rate: number) => Math.max(1, Math.floor(bucketSize(rate) / 2));

/** What the engine asks of a shard's limiter, whichever way its budget is kept. */
export interface ShardGate {
  /** Heaviest batch the shard's bucket can ever grant now: split batches above it. */
  maxWeight(shardId: string): number;
  /** Whether a batch of this weight would wait for tokens now. */
  wouldWait(shardId: string, weight: number): boolean;
  /** Resolves when the shard's bucket has granted `weight` tokens; rejects only once disposed. */
  acquire(shardId: string, weight: number): Promise<void>;
  /** The service throttled entries of this shard: lower its rate. Returns the new rate. */
  throttled(shardId: string): number;
  /** The service accepted a batch of this shard. */
  succeeded(shardId: string): void;
  /** The shard's current rate, in records per second. */
  rate(shardId: string): number;
  dispose(): void;
}

export interface LocalLimitersOptions {
  /** Highest rate of each shard, in records per second. */
  top: number;
  adaptive: AdaptiveRateOptions | false;
  scheduler: SchedulerLike;
}

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
 * Bottleneck's own reservoir refresh is not used: its local heartbeat adds one amount per tick and
 * loses the rest of the interval (measured: 93% of the rate at 100 ms, 37% with a 250 ms heartbeat
 * and a 100 ms interval); the refill here counts exact elapsed time on the producer's scheduler.
 */
export function createLocalLimiters(o: LocalLimitersOptions): ShardGate {
  const { scheduler, top } = o;
  const shards = new Map<string, Shard>();
  const capacity = (s: Shard) => bucketSize(s.rate.rate);

  function shard(shardId: string): Shard {
    let s = shards.get(shardId);
    if (s === undefined) {
      const rate = createAdaptiveRate(top, o.adaptive === false ? { decreaseFactor: 1, minFraction: 1 } : o.adaptive);
      const tokens = bucketSize(top);
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
    maxWeight: (shardId) => grantSize(shard(shardId).rate.rate),
    wouldWait(shardId, weight) {
      const s = shard(shardId);
      refill(s);
      return s.waiting.length > 0 || s.tokens < weight;
    },
    acquire(shardId, weight) {
      const s = shard(shardId);
      refill(s);
      // A request is charged its full weight: one heavier than the bucket waits until the bucket has
      // gathered all of it (the refill tops up to the heaviest waiting request), so big records keep the budget.
      const w = weight;
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
    /** Lowers the rate and empties the bucket, as the service's is. */
    throttled(shardId) {
      const s = shard(shardId);
      s.rate.throttled(scheduler.now());
      refill(s);
      adjust(s, -s.tokens);
      return s.rate.rate;
    },
    succeeded(shardId) {
      shard(shardId).rate.succeeded(scheduler.now());
    },
    rate: (shardId) => shard(shardId).rate.rate,
    dispose() {
      for (const s of shards.values()) {
        s.timer?.unsubscribe();
        void s.limiter.stop({ dropWaitingJobs: true }).catch(() => undefined);
      }
      shards.clear();
    },
  };
}
