import type { KinesisClient, KinesisClientConfig } from '@aws-sdk/client-kinesis';
import type { ErrorAnswer, Faults, FaultStats, OutageOptions } from './fault-types.js';

export type { ErrorAnswer, Faults, FaultStats, OutageMode, OutageOptions } from './fault-types.js';

/**
 * Options of {@link startLocalKinesis}: which of the service's limits to keep, and which faults to inject
 * from the start.
 *
 * @example
 * ```ts
 * import { startLocalKinesis, type LocalKinesisOptions } from 'rxjs-kinesis/testing';
 * const options: LocalKinesisOptions = { limits: false, fast: true, seed: 7 }; // throughput runs: no budget, nothing stored
 * const kinesis = await startLocalKinesis(options);
 * ```
 */
export interface LocalKinesisOptions {
  /** Port of the front on 127.0.0.1. Default: 0 (a free port). */
  port?: number;
  /** Region the client is configured for. Default: `'us-east-1'`. */
  region?: string;
  /** Keep the per-shard budget (1 MiB/s and 1000 records/s). Default: true. */
  limits?: boolean;
  /** Bytes (partition keys + data) per PutRecords request. Default: 5 MiB; at most 10 MiB. */
  maxRequestBytes?: number;
  /** Bytes (partition key + data) per record. Default: 1 MiB; at most 10 MiB (kinesalite stores data up to 1 MiB). */
  maxRecordBytes?: number;
  /** Faults from the start; change them later with `setFaults`. Default: none. */
  faults?: Partial<Faults>;
  /** Seed of every random choice, so a failing run replays. Default: 20131202. */
  seed?: number;
  /** Answer accepted PutRecords entries in the front instead of storing them in kinesalite. Default: false. */
  fast?: boolean;
  /**
   * Origins of web pages allowed besides loopback ones (`http://localhost:<port>`, `http://127.0.0.1:<port>`,
   * `http://[::1]:<port>`, and https), exact as a browser sends them (`'https://app.test:8443'`), or `'*'` for
   * any. Pages on other origins are answered 403. Default: none.
   */
  corsOrigins?: string[];
}

/**
 * One shard's traffic as the local Kinesis saw it: to check how evenly keys spread and how close a shard
 * came to its budget.
 *
 * @example
 * ```ts
 * import type { ShardStats } from 'rxjs-kinesis/testing';
 * const hottest = (shards: ShardStats[]) => shards.reduce((a, b) => (b.acceptedRecords > a.acceptedRecords ? b : a));
 * console.log(hottest(kinesis.stats().shards).shardId);
 * ```
 */
export interface ShardStats {
  streamName: string;
  shardId: string;
  /** Entries admitted within the shard's budget and not failed by an injected fault. */
  acceptedRecords: number;
  /** Partition key + data bytes of accepted records. */
  acceptedBytes: number;
  /** Entries refused with `ProvisionedThroughputExceededException` for lack of budget. */
  throttledRecords: number;
  /** Entries failed with an injected `InternalFailure`. */
  internalFailures: number;
  /** Most records accepted within any 1-second window. */
  maxWindowRecords: number;
  /** Most bytes accepted within any 1-second window. */
  maxWindowBytes: number;
  /**
   * Milliseconds from the first to the last request that brought the shard entries its budget judged
   * (accepted or throttled), by the local Kinesis's own clock. Under steady overload the shard could accept
   * `SHARD_RECORDS_PER_SECOND * (1 + spanMs / 1000)` records: its full bucket, then its rate over the span
   * it saw, whatever the senders' clocks say.
   */
  spanMs: number;
  /**
   * When the first of those requests was judged, in ms since the epoch (the local Kinesis's
   * clock; absent while the shard has none). Across a stats reset, the span the service saw is
   * `after.lastRequestAt - before.firstRequestAt`, which `spanMs` of each part does not give: the time
   * between the last request before the reset and the first after it is in neither.
   */
  firstRequestAt?: number;
  /** When the last of those requests was judged, in ms since the epoch; see `firstRequestAt`. */
  lastRequestAt?: number;
}

/**
 * What the local Kinesis saw since it started or its stats were last reset: what reached the service, to
 * assert on beside what the producer reports.
 *
 * @example
 * ```ts
 * import type { LocalKinesisStats } from 'rxjs-kinesis/testing';
 * const stats: LocalKinesisStats = kinesis.stats({ reset: true }); // read, then count afresh for the next phase
 * console.log(stats.operations.PutRecords, stats.largestRequestBytes, stats.faults.resets);
 * ```
 */
export interface LocalKinesisStats {
  /** Every shard that saw a PutRecords or PutRecord entry, sorted by stream and shard id. */
  shards: ShardStats[];
  /** Requests the front received, of any operation. */
  requests: number;
  /** Largest request body received, in bytes. */
  largestRequestBytes: number;
  /** Requests per operation name (`PutRecords`, `ListShards`, ..., `OPTIONS` for preflights). */
  operations: Record<string, number>;
  /** Faults injected, by kind. */
  faults: FaultStats;
}

/**
 * A running local Kinesis, from {@link startLocalKinesis}: clients for it, its streams, the stats and faults
 * that steer and check a test, and `stop`.
 *
 * @example
 * ```ts
 * import { startLocalKinesis, type LocalKinesis } from 'rxjs-kinesis/testing';
 * let kinesis: LocalKinesis;
 * before(async () => { kinesis = await startLocalKinesis(); await kinesis.createStream('events', 2); });
 * after(() => kinesis.stop());
 * ```
 */
export interface LocalKinesis {
  /** `http://127.0.0.1:<port>` of the front, for HTTP/2 (cleartext) and HTTP/1.1 clients alike. */
  endpoint: string;
  region: string;
  /** Dummy credentials; the SDK insists on signing. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /**
   * A `KinesisClient` for the front on HTTP/1.1 keep-alive (`NodeHttpHandler`, the cheaper transport for load
   * tests); `overrides` are merged over it (e.g. `{ maxAttempts: 1 }`). For the SDK's default HTTP/2 handler,
   * as in production, build one: `new KinesisClient({ endpoint, region, credentials })`. `stop()` destroys the
   * clients handed out here.
   */
  client(overrides?: Partial<KinesisClientConfig>): KinesisClient;
  /** Creates a stream and resolves once it is ACTIVE. */
  createStream(name: string, shardCount: number): Promise<void>;
  stats(options?: { reset?: boolean }): LocalKinesisStats;
  resetStats(): void;
  setFaults(faults: Partial<Faults>): void;
  /** Gives a shard `fraction` (0..1) of its budget, as if another writer shared it; all streams unless named. */
  setShardCapacity(shardId: string, fraction: number, streamName?: string): void;
  /**
   * Empties every shard's write budget (of `streamName` only, when given), as if another writer had just
   * used it: no burst is left, and the budget refills from now at the shard's rate. Shards not written yet
   * start empty too, instead of with the one-second burst of an idle shard. With `limits: false` it does
   * nothing.
   *
   * @example
   * ```ts
   * await kinesis.createStream('events', 2);
   * kinesis.drainBudget('events'); // the producer starts from empty buckets: its ramp-up shows
   * ```
   */
  drainBudget(streamName?: string): void;
  /**
   * Answers the next `times` requests of `operation` (`'PutRecords'`, `'ListShards'`, ...) with `error`
   * instead of serving them, on either protocol. Calls add up: errors queued for one operation are used in
   * the order they were given. Counted in `stats().faults.failNext`.
   *
   * @example
   * ```ts
   * kinesis.failNext('PutRecords', { status: 400, type: 'ExpiredTokenException', message: 'The security token included in the request is expired' }, 2);
   * kinesis.failNext('ListShards', { status: 400, type: 'ResourceInUseException' });
   * ```
   */
  failNext(operation: string, error: ErrorAnswer, times?: number): void;
  /**
   * Takes the whole endpoint down, every operation, for `ms` milliseconds, as {@link OutageMode} says; then it
   * answers again by itself, on the same port. Resolves once it does; rejects if an outage is under way.
   *
   * @example
   * ```ts
   * const down = kinesis.outage({ mode: 'refuse', ms: 1_000 });
   * // ... the producer meets ECONNREFUSED and retries ...
   * await down; // the endpoint answers again
   * ```
   */
  outage(options: OutageOptions): Promise<void>;
  /** Ends the outage under way now, if any; its promise resolves once the endpoint answers again. */
  endOutage(): void;
  /** Ends any outage, closes both servers and every open connection; safe to call twice. */
  stop(): Promise<void>;
}
