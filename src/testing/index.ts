export { startLocalKinesis } from './local-kinesis.js';
export type { ErrorAnswer, Faults, FaultStats, LocalKinesis, LocalKinesisOptions, LocalKinesisStats, OutageMode, OutageOptions, ShardStats } from './types.js';
export {
  DEFAULT_MAX_RECORD_BYTES,
  DEFAULT_MAX_REQUEST_BYTES,
  PUT_RECORDS_MAX_RECORDS,
  SHARD_BYTES_PER_SECOND,
  SHARD_RECORDS_PER_SECOND,
} from './constants.js';
