// `rxjs-kinesis/kinesis`: the service's facts the producer keeps to, for code that talks to Kinesis itself.
export * from './limits.js';
export { partitionKeyHash, decimalToHashKey, hashKeyToDecimal, isValidExplicitHashKey, type HashKey } from './hash.js';
export { createShardMap, listAllShards, loadShardMap, type ShardMap, type ShardRange, type StreamRef } from './shard-map.js';
export { putBatch, type BatchResult, type PutBatchOptions, type SendableEntry, type SentRecord } from './put-records.js';
export { classifyCode, classifyError, ERROR_TABLE, type ClassifiedError, type ErrorRule, type FailureKind } from './classify.js';
