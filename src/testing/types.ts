import type { KinesisClient, KinesisClientConfig } from '@aws-sdk/client-kinesis';

/** Faults injected into PutRecords and PutRecord; rates are probabilities in [0, 1]. */
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

export interface ShardStats {
  streamName: string;
  shardId: string;
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

export interface FaultStats {
  internalFailures: number;
  throttledRequests: number;
  http500: number;
  http503: number;
  resets: number;
  hangs: number;
}

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
