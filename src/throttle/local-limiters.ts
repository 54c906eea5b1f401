import Bottleneck from 'bottleneck';
import type { SchedulerLike, Subscription } from 'rxjs';
import { createAdaptiveRate, type AdaptiveRate, type AdaptiveRateOptions } from './adaptive-rate.js';
import { createTokenBucket, type TokenBucket } from './token-bucket.js';

/**
 * Budget a shard's bucket holds when full, in ms of its rate. Small on purpose: the service lets a
 * shard burst a full second, but a producer that bursts takes that second from other writers and
 * shows up as 2x spikes; 50 ms keeps every sliding second within 5% of the rate.
 */
export const BURST_MS = 50;
/** Shortest wait for tokens, in ms: a request short of a few tokens waits at least this long. Refills count exact elapsed time. */
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
  /** Admits one request at a time, in the order they came: the shard's throttle. */
  gate: Bottleneck;
  bucket: TokenBucket;
  rate: AdaptiveRate;
  /** Requests at the gate, the one waiting for tokens included. */
  waiting: number;
  /** The weight the request now waiting for tokens needs: the bucket fills up to it. */
  need: number;
  timer: Subscription | undefined;
}

/**
 * Per shard, a Bottleneck gate in front of a token bucket refilled continuously at the shard's current
 * rate (weights count records and bytes together), with AIMD on service throttles. The bucket is the
 * one count of tokens, kept on the producer's scheduler, so virtual time drives it; Bottleneck's own
 * reservoir refresh is not used, since its heartbeat adds one amount per tick and loses the rest of
 * the interval. Tokens are taken the moment a request is granted, right before it goes out.
 *
 * A shard's bucket starts empty: the service's may be (another writer, or this process just before a
 * restart), and a first burst the service refuses would cut the shard's rate for seconds; an empty
 * start costs the shard's first batch one grant's refill, about 25 ms.
 */
export function createLocalLimiters(o: LocalLimitersOptions): ShardGate {
  const { scheduler, top } = o;
  const shards = new Map<string, Shard>();
  let disposed = false;

  function shard(shardId: string): Shard {
    let s = shards.get(shardId);
    if (s === undefined) {
      const rate = createAdaptiveRate(top, o.adaptive === false ? { decreaseFactor: 1, minFraction: 1 } : o.adaptive);
      s = { gate: new Bottleneck({ maxConcurrent: 1, minTime: 0 }), bucket: createTokenBucket(0, scheduler.now()), rate, waiting: 0, need: 0, timer: undefined };
      shards.set(shardId, s);
    }
    return s;
  }

  /** Refills up to the bucket's size, or to the request waiting when it is heavier: it is charged in full. */
  const refill = (s: Shard) => s.bucket.refill(s.rate.rate, Math.max(bucketSize(s.rate.rate), s.need), scheduler.now());

  /** Waits on the scheduler until the bucket holds `weight`, then takes it. */
  function take(s: Shard, weight: number): Promise<void> {
    s.need = weight;
    return new Promise<void>((resolve, reject) => {
      const attempt = () => {
        s.timer = undefined;
        if (disposed) return reject(new Error('the shard limiters were disposed'));
        refill(s);
        const waitMs = s.bucket.waitFor(weight, s.rate.rate);
        if (waitMs > 0) return void (s.timer = scheduler.schedule(attempt, Math.max(REFILL_INTERVAL_MS, Math.ceil(waitMs))));
        s.bucket.take(weight);
        s.need = 0;
        resolve();
      };
      attempt();
    });
  }

  return {
    maxWeight: (shardId) => grantSize(shard(shardId).rate.rate),
    wouldWait(shardId, weight) {
      const s = shard(shardId);
      refill(s);
      return s.waiting > 0 || s.bucket.tokens < weight;
    },
    acquire(shardId, weight) {
      const s = shard(shardId);
      s.waiting++;
      return s.gate.schedule(() => take(s, weight)).finally(() => void s.waiting--);
    },
    /** Lowers the rate and empties the bucket, as the service's is. */
    throttled(shardId) {
      const s = shard(shardId);
      refill(s);
      s.rate.throttled(scheduler.now());
      s.bucket.empty();
      return s.rate.rate;
    },
    succeeded(shardId) {
      shard(shardId).rate.succeeded(scheduler.now());
    },
    rate: (shardId) => shard(shardId).rate.rate,
    dispose() {
      disposed = true;
      for (const s of shards.values()) {
        s.timer?.unsubscribe();
        void s.gate.stop({ dropWaitingJobs: true }).catch(() => undefined);
      }
      shards.clear();
    },
  };
}
