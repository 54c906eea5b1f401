import type { ShardGate } from './local-limiters.js';
import type { SharedLimitersOptions } from './shared-limiters.js';

/**
 * `limits: { redis }` in the browser build (the package without the `"node"` export condition): Redis
 * needs TCP, which browsers do not have, so the Redis-shared limiters stay out of this build and asking
 * for them fails at `createProducer`, saying why. rollup.config.js swaps this module in.
 *
 * @example
 * ```ts
 * createProducer({ client, streamName: 'clicks', limits: { redis } }); // in a browser: throws, naming Node
 * ```
 */
export function createSharedLimiters(_o: SharedLimitersOptions): ShardGate {
  throw new TypeError(
    'limits.redis needs Node: Redis-shared limits are not in the browser build of rxjs-kinesis (the package loaded without the "node" export condition); leave limits.redis out in browsers',
  );
}
