/**
 * Where the shards' budgets are kept changed: `'shared'` with every producer process through Redis
 * (`limits: { redis }`), or `'local'` while Redis is unreachable, each process then using `share` of
 * each shard's budget by itself. Nothing held is lost in either change.
 *
 * @example
 * ```ts
 * import type { LimitsSignal } from 'rxjs-kinesis';
 * const onLimits = (s: LimitsSignal) =>
 *   console.warn(s.mode === 'local' ? `Redis unreachable (${s.reason}): using ${s.share} of each shard` : `sharing with ${s.processes} processes`);
 * ```
 */
export interface LimitsSignal {
  type: 'limits';
  mode: 'shared' | 'local';
  reason: string;
  /** Producer processes last seen sharing the stream's budget, this one included (undefined before Redis answered). */
  processes: number | undefined;
  /** In `'local'` mode: the fraction of each shard's budget this process uses alone. */
  share?: number;
}
