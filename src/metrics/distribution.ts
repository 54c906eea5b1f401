/**
 * A time or count metric over one interval, as the KPL reports it: how many samples, their sum, the
 * smallest and largest, and two percentiles.
 *
 * @example
 * ```ts
 * import type { Distribution } from 'rxjs-kinesis';
 * const mean = (d: Distribution) => (d.count === 0 ? 0 : d.sum / d.count);
 * ```
 */
export interface Distribution {
  count: number;
  sum: number;
  min: number;
  max: number;
  p50: number;
  p99: number;
}

/** Samples below this are counted exactly (retries, records per request); above, in buckets 2% wide. */
const EXACT_BELOW = 64;
const GROWTH = Math.log(1.02);
const FIRST_LOG = Math.log(EXACT_BELOW);

/** The bucket of a sample: exact for small integers, else by its logarithm (2% wide). */
const bucketOf = (v: number) => (v < EXACT_BELOW ? Math.max(0, Math.floor(v)) : EXACT_BELOW + Math.floor((Math.log(v) - FIRST_LOG) / GROWTH));
/** The value a bucket stands for: its lower edge. */
const valueOf = (b: number) => (b < EXACT_BELOW ? b : Math.exp(FIRST_LOG + (b - EXACT_BELOW) * GROWTH));

/**
 * Collects samples in buckets (no sample kept), so adding one costs a few operations and memory stays
 * bounded; percentiles are within 2% (exact for values under 64).
 */
export function createDistribution() {
  let buckets = new Map<number, number>();
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  const percentile = (sorted: [number, number][], p: number) => {
    const rank = Math.ceil((p / 100) * count);
    let seen = 0;
    for (const [b, n] of sorted) if ((seen += n) >= rank) return Math.min(max, Math.max(min, valueOf(b)));
    return max;
  };
  return {
    add(v: number): void {
      count++;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
      const b = bucketOf(v);
      buckets.set(b, (buckets.get(b) ?? 0) + 1);
    },
    /** The interval's figures, then a fresh start. */
    take(): Distribution {
      const sorted = [...buckets].sort((a, b) => a[0] - b[0]);
      const d = count === 0 ? { count: 0, sum: 0, min: 0, max: 0, p50: 0, p99: 0 } : { count, sum, min, max, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
      buckets = new Map();
      count = sum = 0;
      min = Infinity;
      max = -Infinity;
      return d;
    },
  };
}

export type DistributionCollector = ReturnType<typeof createDistribution>;
