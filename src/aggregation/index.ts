export type { AggregationInput, Md5 } from './types';
export type { AggregationLimits, AggregateBuilderOptions } from './limits';
export type { AggregateBuilder } from './builder';
export type { DecodeAggregateOptions } from './decode';
export {
  AGGREGATE_MAGIC,
  AGGREGATE_MAGIC_BYTES,
  AGGREGATE_CHECKSUM_BYTES,
  AGGREGATE_OVERHEAD_BYTES,
} from './format';
export { DEFAULT_AGGREGATION } from './limits';
export { createAggregateBuilder } from './builder';
export { encodeAggregate } from './encode';
export { decodeAggregate, isAggregate } from './decode';
export { AggregateFormatError } from './format-error';
