import type { MetricDatum, PutMetricDataInput } from '@aws-sdk/client-cloudwatch';
import type { MetricsSnapshot } from '../metrics/metrics.js';
import { checkOptions, metricGroups, type CloudWatchMetricsOptions, type MetricGroup } from './kpl-metrics.js';
import { PUT_METRIC_DATA_MAX_BYTES, PUT_METRIC_DATA_MAX_DATUMS } from './limits.js';

/** One group's datums: numbers as `Value`, distributions as their exact `StatisticValues` plus the two percentiles. */
function datumsOf(group: MetricGroup, Timestamp: Date): MetricDatum[] {
  const Dimensions = group.dimensions.map(([Name, Value]) => ({ Name, Value }));
  return group.metrics.flatMap((m): MetricDatum[] => {
    if ('value' in m) return [{ MetricName: m.name, Dimensions, Timestamp, Unit: m.unit, Value: m.value }];
    const { count, sum, min, max, p50, p99 } = m.distribution;
    return [
      { MetricName: m.name, Dimensions, Timestamp, Unit: m.unit, StatisticValues: { SampleCount: count, Sum: sum, Minimum: min, Maximum: max } },
      { MetricName: `${m.name}P50`, Dimensions, Timestamp, Unit: m.unit, Value: p50 },
      { MetricName: `${m.name}P99`, Dimensions, Timestamp, Unit: m.unit, Value: p99 },
    ];
  });
}

/**
 * Bytes a value takes in a request, counted as the Query protocol form-encodes it (`MetricData.member.1.Dimensions.member.1.Name=…&`):
 * the longest of the encodings SDK versions use, so a request within this count fits whatever the client speaks.
 */
function encodedBytes(path: string, value: unknown): number {
  if (value instanceof Date) return encodedBytes(path, value.toISOString());
  if (Array.isArray(value)) return value.reduce((n: number, v, i) => n + encodedBytes(`${path}.member.${i + 1}`, v), 0);
  if (value !== null && typeof value === 'object') return Object.entries(value).reduce((n, [k, v]) => n + encodedBytes(`${path}.${k}`, v), 0);
  return path.length + 2 + encodeURIComponent(String(value)).length;
}

/**
 * A metrics snapshot as PutMetricData requests, within the API's limits (1,000 datums and 1 MB per request). The
 * metrics and dimensions are the KPL's, as {@link toEmf} sends them, but distributions go as CloudWatch statistic
 * sets under the KPL's name (`RequestTime` with its exact sample count, sum, minimum and maximum, as the KPL
 * publishes it) plus `RequestTimeP50` and `RequestTimeP99`, since a statistic set has no percentiles.
 *
 * @example
 * ```ts
 * import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
 * import { toMetricData } from 'rxjs-kinesis/cloudwatch';
 * const cloudWatch = new CloudWatchClient({});
 * producer.metrics$.subscribe(async (snapshot) => {
 *   for (const input of toMetricData(snapshot, { namespace: 'KinesisProducer' })) await cloudWatch.send(new PutMetricDataCommand(input));
 * });
 * ```
 *
 * @param snapshot A snapshot of `producer.metrics$`.
 * @param options The namespace, dimensions to add, and whether to include the shards.
 * @return The requests' inputs, in order.
 */
export function toMetricData(snapshot: MetricsSnapshot, options: CloudWatchMetricsOptions): PutMetricDataInput[] {
  const o = checkOptions('toMetricData', options);
  const timestamp = new Date(snapshot.at);
  const datums = metricGroups(snapshot, o).flatMap((group) => datumsOf(group, timestamp));
  const overhead = encodedBytes('Action', 'PutMetricData') + encodedBytes('Version', '2010-08-01') + encodedBytes('Namespace', o.namespace);
  const requests: PutMetricDataInput[] = [];
  let current: MetricDatum[] = [];
  let bytes = overhead;
  for (const datum of datums) {
    const size = encodedBytes(`MetricData.member.${PUT_METRIC_DATA_MAX_DATUMS}`, datum);
    if (current.length === PUT_METRIC_DATA_MAX_DATUMS || (current.length > 0 && bytes + size > PUT_METRIC_DATA_MAX_BYTES)) {
      requests.push({ Namespace: o.namespace, MetricData: current });
      current = [];
      bytes = overhead;
    }
    current.push(datum);
    bytes += size;
  }
  if (current.length > 0) requests.push({ Namespace: o.namespace, MetricData: current });
  return requests;
}
