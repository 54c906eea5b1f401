// The producer and its one-call forms.
export { createProducer } from './producer/create-producer.js';
export type { Producer } from './producer/producer.js';
export type { ProducerOptions, OverflowPolicy } from './producer/options.js';
export { toKinesis, type ToKinesisOptions } from './to-kinesis.js';
export { pullFrom, type PressureSource } from './pull-from.js';
export { checkpoints } from './checkpoints.js';
export { toWritable, type KinesisWritable, type ToWritableOptions } from './to-writable.js';
export { DEFAULTS } from './defaults.js';
// The stages, in flow order: each usable alone.
export { encodeRecords } from './operators/encode-records.js';
export { routeToShards } from './operators/route-to-shards.js';
export { collectBatches } from './operators/collect-batches.js';
export { aggregateRecords } from './operators/aggregate-records.js';
export { putBatches, type PutBatchesOptions } from './operators/put-batches.js';
export { loadShardMap, createShardMap, type ShardMap, type ShardRange, type StreamRef } from './kinesis/shard-map.js';
// What flows between them.
export type { EncodedRecord, EncodeOptions, RecordMapper } from './records/encode.js';
export type { RoutedRecord } from './records/route.js';
export type { KinesisRecordInput, ProducerErrorCode, PutError, PutFailure, PutOutcome, PutSuccess } from './records/outcome.js';
export type { Batch, BatchEntry, BatchOptions } from './batch/batcher.js';
export type { AggregateEntry, AggregationOptions, KinesisEntry } from './batch/aggregate.js';
export type { AggregationLimits } from './kpl/limits.js';
export type { HashKey } from './kinesis/hash.js';
export type { SendOptions } from './send/options.js';
export type { RetryOptions } from './send/backoff.js';
export type { AdaptiveRateOptions } from './throttle/adaptive-rate.js';
export type { ShardBudget } from './throttle/shard-limiters.js';
export type { RedisClientLike, SharedLimitsOptions } from './throttle/shared-limits.js';
// Signals, pressure, errors.
export type * from './producer/signals.js';
export type { Pressure, PressureLevel, PressureState } from './producer/pressure.js';
export type { MetricValues, MetricsOptions, MetricsSnapshot } from './metrics/metrics.js';
export type { Distribution } from './metrics/distribution.js';
export { KinesisStreamError, BufferOverflowError } from './errors.js';
export { classifyError, ERROR_TABLE, type ClassifiedError, type ErrorRule, type FailureKind } from './kinesis/classify.js';
