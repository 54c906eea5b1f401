/**
 * Sharing each shard's budget between producer processes through Redis (Bottleneck's clustering).
 * Options only for now; the clustered limiter reads them.
 */
export interface SharedLimitsOptions {
  /** An ioredis client, or ioredis connection options, for Bottleneck's Redis datastore. */
  redis: unknown;
}
