import type { Distribution } from '../metrics/distribution.js';
import type { MetricValues, MetricsSnapshot } from '../metrics/metrics.js';
import { MAX_DIMENSIONS_PER_METRIC, NAMESPACE_MAX_LENGTH } from './limits.js';

/** The CloudWatch units the KPL's metrics are in. */
export type Unit = 'Count' | 'Bytes' | 'Milliseconds';

type CountName = { [K in keyof MetricValues]-?: MetricValues[K] extends number | undefined ? K : never }[keyof MetricValues];
type DistributionName = { [K in keyof MetricValues]-?: MetricValues[K] extends Distribution ? K : never }[keyof MetricValues];

const COUNT_UNITS: Record<CountName, Unit> = {
  UserRecordsReceived: 'Count',
  UserRecordsPending: 'Count',
  UserRecordsPut: 'Count',
  UserRecordsDataPut: 'Bytes',
  KinesisRecordsPut: 'Count',
  KinesisRecordsDataPut: 'Bytes',
  AllErrors: 'Count',
  UserRecordExpired: 'Count',
};
const DISTRIBUTION_UNITS: Record<DistributionName, Unit> = {
  RetriesPerRecord: 'Count',
  BufferingTime: 'Milliseconds',
  RequestTime: 'Milliseconds',
  UserRecordsPerKinesisRecord: 'Count',
  KinesisRecordsPerPutRecordsRequest: 'Count',
  UserRecordsPerPutRecordsRequest: 'Count',
};

/** One metric of a group: a number, or a distribution of the interval's samples. */
export type KplMetric = { name: string; unit: Unit; value: number } | { name: string; unit: Unit; distribution: Distribution };

/** Metrics that share their dimensions: the stream's, a shard's, or one error code's count on either. */
export interface MetricGroup {
  dimensions: [name: string, value: string][];
  metrics: KplMetric[];
}

/**
 * Options shared by `toEmf`, `toMetricData` and `publishMetrics`.
 *
 * @example
 * ```ts
 * import type { CloudWatchMetricsOptions } from 'rxjs-kinesis/cloudwatch';
 * const options: CloudWatchMetricsOptions = { namespace: 'KinesisProducer', dimensions: { Service: 'checkout' }, granularity: 'stream' };
 * ```
 */
export interface CloudWatchMetricsOptions {
  /** The CloudWatch namespace (1..255 characters, not starting with `AWS/`). */
  namespace: string;
  /** Dimensions added to every metric, beside the KPL's `StreamName`, `ShardId` and `ErrorCode`. Default none. */
  dimensions?: Record<string, string>;
  /**
   * `'shard'`: the stream's metrics and each shard's, as the KPL's `detailed` level; `'stream'`: the stream's only,
   * a fraction of the custom metrics to pay for. Default `'shard'`.
   */
  granularity?: 'stream' | 'shard';
}

const RESERVED = ['StreamName', 'ShardId', 'ErrorCode', 'ErrorsByCode', '_aws'];

/** Checks the options once, at the call, so a bad one throws there and not when a snapshot comes. */
export function checkOptions(caller: string, options: CloudWatchMetricsOptions): Required<CloudWatchMetricsOptions> {
  const { namespace, dimensions = {}, granularity = 'shard' } = options ?? ({} as CloudWatchMetricsOptions);
  if (typeof namespace !== 'string' || namespace.length === 0 || namespace.length > NAMESPACE_MAX_LENGTH || namespace.startsWith('AWS/')) {
    throw new TypeError(`${caller} needs \`namespace\`: 1..${NAMESPACE_MAX_LENGTH} characters, not starting with AWS/ (got ${JSON.stringify(namespace)})`);
  }
  const names = Object.keys(dimensions);
  if (names.length > MAX_DIMENSIONS_PER_METRIC - 3) throw new TypeError(`${caller}: at most ${MAX_DIMENSIONS_PER_METRIC - 3} \`dimensions\` (CloudWatch takes ${MAX_DIMENSIONS_PER_METRIC} per metric, 3 are the KPL's)`);
  for (const name of names) {
    const value = dimensions[name];
    if (RESERVED.includes(name) || name in COUNT_UNITS || name in DISTRIBUTION_UNITS) throw new TypeError(`${caller}: the dimension ${name} is a name of its own metrics`);
    if (typeof value !== 'string' || value.length === 0) throw new TypeError(`${caller}: the dimension ${name} needs a non-empty string value (got ${JSON.stringify(value)})`);
  }
  if (granularity !== 'stream' && granularity !== 'shard') throw new TypeError(`${caller}: \`granularity\` is 'stream' or 'shard' (got ${JSON.stringify(granularity)})`);
  return { namespace, dimensions, granularity };
}

function metricsOf(values: MetricValues): KplMetric[] {
  const metrics: KplMetric[] = [];
  for (const [name, unit] of Object.entries(COUNT_UNITS) as [CountName, Unit][]) {
    const value = values[name];
    if (value !== undefined) metrics.push({ name, unit, value });
  }
  // A distribution without samples has no statistics: left out, rather than a 0 that would pull averages down.
  for (const [name, unit] of Object.entries(DISTRIBUTION_UNITS) as [DistributionName, Unit][]) {
    if (values[name].count > 0) metrics.push({ name, unit, distribution: values[name] });
  }
  return metrics;
}

/**
 * A snapshot as the KPL publishes it: the stream's metrics (dimension `StreamName`), each shard's (`StreamName`,
 * `ShardId`), and `ErrorsByCode` per code on each (plus `ErrorCode`).
 */
export function metricGroups(snapshot: MetricsSnapshot, o: Required<CloudWatchMetricsOptions>): MetricGroup[] {
  const extra = Object.entries(o.dimensions);
  const errors = (dimensions: [string, string][], values: MetricValues): MetricGroup[] =>
    Object.entries(values.ErrorsByCode).map(([code, n]) => ({
      dimensions: [...dimensions, ['ErrorCode', code], ...extra],
      metrics: [{ name: 'ErrorsByCode', unit: 'Count', value: n }],
    }));
  const stream: [string, string][] = [['StreamName', snapshot.streamName]];
  const groups: MetricGroup[] = [{ dimensions: [...stream, ...extra], metrics: metricsOf(snapshot.stream) }, ...errors(stream, snapshot.stream)];
  if (o.granularity === 'shard') {
    for (const [shardId, values] of Object.entries(snapshot.shards)) {
      const shard: [string, string][] = [...stream, ['ShardId', shardId]];
      groups.push({ dimensions: [...shard, ...extra], metrics: metricsOf(values) }, ...errors(shard, values));
    }
  }
  return groups;
}
