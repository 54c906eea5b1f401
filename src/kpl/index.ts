export type { AggregationInput, Md5 } from './types.js';
export type { AggregationLimits, AggregateBuilderOptions } from './limits.js';
export type { AggregateBuilder } from './builder.js';
export type { DecodeAggregateOptions } from './decode.js';
export {
  AGGREGATE_MAGIC,
  AGGREGATE_MAGIC_BYTES,
  AGGREGATE_CHECKSUM_BYTES,
  AGGREGATE_OVERHEAD_BYTES,
} from './format.js';
export { DEFAULT_AGGREGATION } from './limits.js';
export { createAggregateBuilder } from './builder.js';
export { encodeAggregate } from './encode.js';
export { decodeAggregate, isAggregate } from './decode.js';
export { AggregateFormatError } from './format-error.js';
