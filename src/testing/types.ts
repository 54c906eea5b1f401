import type { KinesisClient, KinesisClientConfig } from '@aws-sdk/client-kinesis';

/**
 * Faults injected into PutRecords and PutRecord; rates are probabilities in [0, 1].
 *
 * @example
 * ```ts
 * import { startLocalKinesis, type Faults } from 'rxjs-kinesis/testing';
 * const flaky: Partial<Faults> = { throttleRequestRate: 0.1, latencyMs: 20, latencyJitterMs: 30 };
 * const kinesis = await startLocalKinesis({ faults: flaky });
 * ```
 */
export interface Faults {
  /** Per entry: fail with `InternalFailure` instead of storing it. Default: 0. */
  internalFailureRate: number;
  /** Per request: answer 400 `ProvisionedThroughputExceededException` for the whole request. Default: 0. */
  throttleRequestRate: number;
  /** Per request: answer 500 `InternalFailure`. Default: 0. */
  http500Rate: number;
  /** Per request: answer 503 `ServiceUnavailable`. Default: 0. */
  http503Rate: number;
  /** Per request: destroy the connection without an answer. Default: 0. */
  resetRate: number;
  /** Per request: never answer; the request stays open until the client gives up. Default: 0. */
  hangRate: number;
  /** Added to every answer, in milliseconds. Default: 0. */
  latencyMs: number;
  /** Uniform random extra latency in [0, latencyJitterMs), in milliseconds. Default: 0. */
  latencyJitterMs: number;
}

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
}

/**
 * Faults injected since the start or the last reset, by kind: to check that a test met the failures it
 * meant to.
 *
 * @example
 * ```ts
 * import type { FaultStats } from 'rxjs-kinesis/testing';
 * const failedRequests = (f: FaultStats) => f.throttledRequests + f.http500 + f.http503 + f.resets + f.hangs;
 * assert.ok(failedRequests(kinesis.stats().faults) > 0, 'the run met at least one injected fault');
 * ```
 */
export interface FaultStats {
  /** Entries failed with `InternalFailure` (the other counts are of whole requests). */
  internalFailures: number;
  /** Requests answered 400 `ProvisionedThroughputExceededException`. */
  throttledRequests: number;
  /** Requests answered 500 `InternalFailure`. */
  http500: number;
  /** Requests answered 503 `ServiceUnavailable`. */
  http503: number;
  /** Connections destroyed without an answer. */
  resets: number;
  /** Requests left without an answer. */
  hangs: number;
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
  /** `http://127.0.0.1:<port>` of the front. */
  endpoint: string;
  region: string;
  /** Dummy credentials; the SDK insists on signing. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** A `KinesisClient` for the front; `overrides` are merged over the defaults (e.g. `{ maxAttempts: 1 }`). */
  client(overrides?: Partial<KinesisClientConfig>): KinesisClient;
  /** Creates a stream and resolves once it is ACTIVE. */
  createStream(name: string, shardCount: number): Promise<void>;
  stats(options?: { reset?: boolean }): LocalKinesisStats;
  resetStats(): void;
  setFaults(faults: Partial<Faults>): void;
  /** Gives a shard `fraction` (0..1) of its budget, as if another writer shared it; all streams unless named. */
  setShardCapacity(shardId: string, fraction: number, streamName?: string): void;
  /** Closes both servers and every open connection; safe to call twice. */
  stop(): Promise<void>;
}
