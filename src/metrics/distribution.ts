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
/** Buckets in all: exact ones, then 2% wide up to about 10^9 (ms: 11 days); larger samples share the last. */
const BUCKETS = EXACT_BELOW + 800;

/** The bucket of a sample: exact for small integers, else by its logarithm (2% wide). */
const bucketOf = (v: number) => (v < EXACT_BELOW ? (v > 0 ? v | 0 : 0) : Math.min(BUCKETS - 1, EXACT_BELOW + (((Math.log(v) - FIRST_LOG) / GROWTH) | 0)));
/** The value a bucket stands for: its lower edge. */
const valueOf = (b: number) => (b < EXACT_BELOW ? b : Math.exp(FIRST_LOG + (b - EXACT_BELOW) * GROWTH));

/**
 * Collects samples in a fixed array of buckets (no sample kept), so adding one costs a few operations
 * and memory stays bounded; percentiles are within 2% (exact for values under 64). Collectors of one
 * interval merge (a stream's from its shards') before they are taken.
 */
export class DistributionCollector {
  private buckets = new Uint32Array(BUCKETS);
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;

  add(v: number): void {
    this.count++;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    this.buckets[bucketOf(v)]++;
  }

  /** Adds another collector's samples to these. */
  merge(other: DistributionCollector): void {
    if (other.count === 0) return;
    this.count += other.count;
    this.sum += other.sum;
    this.min = Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
    for (let b = 0; b < BUCKETS; b++) this.buckets[b] += other.buckets[b];
  }

  private percentile(p: number): number {
    const rank = Math.ceil((p / 100) * this.count);
    let seen = 0;
    for (let b = 0; b < BUCKETS; b++) if ((seen += this.buckets[b]) >= rank) return Math.min(this.max, Math.max(this.min, valueOf(b)));
    return this.max;
  }

  /** The interval's figures, then a fresh start. */
  take(): Distribution {
    const d = this.count === 0 ? { count: 0, sum: 0, min: 0, max: 0, p50: 0, p99: 0 } : { count: this.count, sum: this.sum, min: this.min, max: this.max, p50: this.percentile(50), p99: this.percentile(99) };
    this.buckets.fill(0);
    this.count = this.sum = 0;
    this.min = Infinity;
    this.max = -Infinity;
    return d;
  }
}

export const createDistribution = () => new DistributionCollector();
