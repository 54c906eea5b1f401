/**
 * Sharing each shard's budget between producer processes through Redis (Bottleneck's clustering):
 * the options, and the small pure decisions around them.
 */

/**
 * The parts of an ioredis client (or Cluster) the shared limits use: it is duplicated, never used itself.
 *
 * @example
 * ```ts
 * import Redis from 'ioredis';
 * import { createProducer, type RedisClientLike } from 'rxjs-kinesis';
 * const redis: RedisClientLike = new Redis(process.env.REDIS_URL!);
 * const producer = createProducer({ client, streamName: 'events', limits: { redis } }); // opens its own duplicates
 * ```
 */
export interface RedisClientLike {
  duplicate(...args: unknown[]): unknown;
  /** ioredis sets it: a Cluster duplicates with its options second. */
  isCluster?: boolean;
}

/**
 * Sharing each shard's budget with every producer process writing to the stream.
 *
 * @example
 * ```ts
 * import { createProducer, type SharedLimitsOptions } from 'rxjs-kinesis';
 * // Every process with this key shares each shard's budget; alone, each takes a quarter of it.
 * const limits: SharedLimitsOptions = { redis: { host: 'redis.internal', port: 6379 }, key: 'events-eu', fallbackShare: 0.25 };
 * const producer = createProducer({ client, streamName: 'events', limits });
 * ```
 */
export interface SharedLimitsOptions {
  /**
   * An ioredis client, or ioredis connection options (`{ host, port, ... }`). A client is not used
   * itself: the producer opens its own duplicates of it and closes them when it closes. Options need
   * the `ioredis` package installed (Bottleneck loads it).
   */
  redis: RedisClientLike | Record<string, unknown>;
  /**
   * Name the processes meet under in Redis: processes with the same `key` share each shard's budget.
   * Default: the stream's name.
   */
  key?: string;
  /**
   * Fraction of each shard's budget, in (0, 1], a process uses alone while Redis is unreachable.
   * Default: 1 / the number of producer processes last seen through Redis (1 if Redis never answered).
   */
  fallbackShare?: number;
}

/** Which stream the limits are for: the engine's stream reference. */
export interface StreamNames {
  streamName?: string | undefined;
  streamARN?: string | undefined;
}

/** How often each process's limiter refreshes the shared reservoir and checks for capacity, in ms. */
export const SHARED_HEARTBEAT_MS = 100;
/** Tokens the shared bucket holds at most, in ms of the rate: two heartbeats, so no refill is capped away between ticks. */
export const SHARED_BUCKET_MS = 2 * SHARED_HEARTBEAT_MS;
/** How often a process checks Redis and says it is alive, in ms. */
export const CHECK_INTERVAL_MS = 500;
/** A check unanswered this long means Redis is unreachable, in ms. */
export const CHECK_TIMEOUT_MS = 1000;
/** A process not seen for this long no longer counts among the processes sharing the budget, in ms. */
export const PRESENCE_WINDOW_MS = 4 * CHECK_INTERVAL_MS;
/**
 * How long a process that is back on Redis waits for the others it last saw, in ms. Until they are
 * back (or this passes: one still away is taken as gone) it keeps its local share as a cap, so it never
 * takes the whole shared budget while others still send on their local shares.
 */
export const REJOIN_TIMEOUT_MS = 5000;
/** Redis keys of a stream's shared limits expire after this long without use, in ms. */
export const SHARED_KEY_TTL_MS = 10 * 60_000;
/** How often a process with waiting batches settles the shared rate (AIMD) with Redis, in ms. */
export const RATE_SYNC_MS = 200;

/** Key used when neither `key` nor the stream is known: shards of every stream with the same id then share one budget. */
export const ANY_STREAM_KEY = '*';

/**
 * `key`, else the stream's name: `streamName`, else the last part of the ARN (`arn:aws:kinesis:…:stream/NAME`).
 * Without either, every stream meets under one key: safe (no shard exceeds its budget), only slower.
 */
export function streamKey(options: Pick<SharedLimitsOptions, 'key'>, stream: StreamNames | undefined): string {
  if (options.key !== undefined) return options.key;
  if (stream?.streamName) return stream.streamName;
  if (stream?.streamARN) return stream.streamARN.slice(stream.streamARN.lastIndexOf('/') + 1);
  return ANY_STREAM_KEY;
}

/** Prefix of every Redis key of a stream's shared limits; braces keep a shard's keys in one Redis Cluster slot. */
export const keyPrefix = (key: string) => `rxjs-kinesis:${key}`;
/** Bottleneck's id for a shard's shared limiter: every process meets on it. */
export const limiterId = (key: string, shardId: string) => `{${keyPrefix(key)}:${shardId}}`;

/** The fraction of a shard's budget one process uses alone while Redis is unreachable. */
export function fallbackShare(configured: number | undefined, processesLastSeen: number | undefined): number {
  return configured ?? 1 / Math.max(1, processesLastSeen ?? 1);
}

/**
 * Whether a process back on Redis for `elapsedMs` may use the shared budget without its local cap: it
 * counts again every process it saw before Redis went away (each of them is then back on the shared
 * bucket too), or it waited `REJOIN_TIMEOUT_MS`.
 */
export function rejoined(processesNow: number | undefined, processesBefore: number | undefined, elapsedMs: number): boolean {
  return (processesNow ?? 0) >= (processesBefore ?? 1) || elapsedMs >= REJOIN_TIMEOUT_MS;
}

/** Checks the options once, so a bad one throws at `createProducer`. */
export function checkSharedLimits(options: SharedLimitsOptions): void {
  if (options === null || typeof options !== 'object' || options.redis === null || typeof options.redis !== 'object') {
    throw new TypeError('limits needs `redis`: an ioredis client or ioredis connection options');
  }
  const share = options.fallbackShare;
  if (share !== undefined && !(share > 0 && share <= 1)) throw new RangeError(`limits.fallbackShare must be in (0, 1]; got ${share}`);
  if (options.key !== undefined && (typeof options.key !== 'string' || options.key.length === 0)) {
    throw new TypeError('limits.key must be a non-empty string');
  }
}

/** Whether `redis` is a client to duplicate rather than connection options. */
export const isRedisClient = (redis: SharedLimitsOptions['redis']): redis is RedisClientLike =>
  typeof (redis as Partial<RedisClientLike>).duplicate === 'function';
