import { SHARD_BURST_SECONDS, SHARD_BYTES_PER_SECOND, SHARD_RECORDS_PER_SECOND } from './constants.js';

/** One shard's write budget: two token buckets (records and bytes) refilled continuously. */
interface Bucket {
  records: number;
  bytes: number;
  /** Share of the shard's budget this writer gets, in (0, 1]. */
  fraction: number;
  /** When the buckets were last refilled, in milliseconds (performance.now). */
  at: number;
}

export interface Budgets {
  /** Takes one record of `bytes` from the shard's budget at time `now`; false when it does not fit. */
  take(streamName: string, shardId: string, bytes: number, now: number): boolean;
  setCapacity(shardId: string, fraction: number, streamName?: string): void;
  /** Empties the buckets of every shard (of `streamName` only, when given), those not written yet included. */
  drain(streamName: string | undefined, now: number): void;
}

const ANY_STREAM = '*';

/**
 * Per-shard budgets like the service keeps them. A bucket is created full on a shard's first write, which is
 * the one-second burst an idle shard allows; a new shard after resharding starts the same way. After
 * `drain`, it is created empty instead, refilled from the drain on.
 */
export function createBudgets(enabled: boolean): Budgets {
  const buckets = new Map<string, Bucket>();
  const fractions = new Map<string, number>();
  /** When the budgets of a stream (or of every stream, `ANY_STREAM`) were last drained: later buckets start empty then. */
  const drained = new Map<string, number>();

  const fractionOf = (streamName: string, shardId: string) =>
    fractions.get(`${streamName}/${shardId}`) ?? fractions.get(`${ANY_STREAM}/${shardId}`) ?? 1;

  function bucketOf(streamName: string, shardId: string, now: number): Bucket {
    const key = `${streamName}/${shardId}`;
    let bucket = buckets.get(key);
    if (!bucket) {
      const fraction = fractionOf(streamName, shardId);
      const emptyAt = Math.max(drained.get(streamName) ?? -Infinity, drained.get(ANY_STREAM) ?? -Infinity);
      bucket =
        emptyAt === -Infinity
          ? { records: capacity(SHARD_RECORDS_PER_SECOND, fraction), bytes: capacity(SHARD_BYTES_PER_SECOND, fraction), fraction, at: now }
          : { records: 0, bytes: 0, fraction, at: emptyAt };
      buckets.set(key, bucket);
    }
    return bucket;
  }

  function refill(bucket: Bucket, now: number): void {
    const seconds = (now - bucket.at) / 1000;
    if (seconds <= 0) return;
    bucket.at = now;
    bucket.records = Math.min(capacity(SHARD_RECORDS_PER_SECOND, bucket.fraction), bucket.records + SHARD_RECORDS_PER_SECOND * bucket.fraction * seconds);
    bucket.bytes = Math.min(capacity(SHARD_BYTES_PER_SECOND, bucket.fraction), bucket.bytes + SHARD_BYTES_PER_SECOND * bucket.fraction * seconds);
  }

  return {
    take(streamName, shardId, bytes, now) {
      if (!enabled) return true;
      const bucket = bucketOf(streamName, shardId, now);
      refill(bucket, now);
      if (bucket.records < 1 || bucket.bytes < bytes) return false;
      bucket.records -= 1;
      bucket.bytes -= bytes;
      return true;
    },
    setCapacity(shardId, fraction, streamName) {
      if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`fraction must be within [0, 1], got ${fraction}`);
      // A setting for every stream replaces earlier per-stream settings of that shard.
      if (streamName === undefined) for (const key of fractions.keys()) if (splitKey(key)[1] === shardId) fractions.delete(key);
      fractions.set(`${streamName ?? ANY_STREAM}/${shardId}`, fraction);
      for (const [key, bucket] of buckets) {
        const [stream, shard] = splitKey(key);
        if (shard !== shardId || (streamName !== undefined && stream !== streamName)) continue;
        refill(bucket, performance.now());
        bucket.fraction = fraction;
        bucket.records = Math.min(bucket.records, capacity(SHARD_RECORDS_PER_SECOND, fraction));
        bucket.bytes = Math.min(bucket.bytes, capacity(SHARD_BYTES_PER_SECOND, fraction));
      }
    },
    drain(streamName, now) {
      drained.set(streamName ?? ANY_STREAM, now);
      for (const [key, bucket] of buckets) {
        if (streamName !== undefined && splitKey(key)[0] !== streamName) continue;
        bucket.records = 0;
        bucket.bytes = 0;
        bucket.at = now;
      }
    },
  };
}

const capacity = (perSecond: number, fraction: number) => perSecond * fraction * SHARD_BURST_SECONDS;

function splitKey(key: string): [string, string] {
  const slash = key.lastIndexOf('/');
  return [key.slice(0, slash), key.slice(slash + 1)];
}
