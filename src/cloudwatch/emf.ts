import type { Distribution } from '../metrics/distribution.js';
import type { MetricsSnapshot } from '../metrics/metrics.js';
import { checkOptions, metricGroups, type CloudWatchMetricsOptions, type MetricGroup, type Unit } from './kpl-metrics.js';

/** What a distribution becomes in EMF: one plain number per statistic, under the metric's name and a suffix. */
const STATISTICS: [suffix: string, of: (d: Distribution) => number][] = [
  ['Count', (d) => d.count],
  ['Sum', (d) => d.sum],
  ['Avg', (d) => d.sum / d.count],
  ['Max', (d) => d.max],
  ['P50', (d) => d.p50],
  ['P99', (d) => d.p99],
];

type Flat = [name: string, unit: Unit, value: number];

/** One group's numbers, flat: a distribution spread over its statistics (its Count is a count whatever its unit). */
function flatten(group: MetricGroup): Flat[] {
  return group.metrics.flatMap((m): Flat[] =>
    'value' in m ? [[m.name, m.unit, m.value]] : STATISTICS.map(([suffix, of]) => [`${m.name}${suffix}`, suffix === 'Count' ? 'Count' : m.unit, of(m.distribution)]),
  );
}

/**
 * A metrics snapshot as CloudWatch Embedded Metric Format: one JSON document per line to write to a log that
 * CloudWatch Logs reads (a Lambda function's or a container's stdout with the CloudWatch agent). CloudWatch
 * extracts the metrics from them, with no API call and no client.
 *
 * The documents are the KPL's: one for the stream (dimension `StreamName`), one per shard (`StreamName`,
 * `ShardId`; not with `granularity: 'stream'`), and `ErrorsByCode` per error code on each (plus `ErrorCode`),
 * with `Count`, `Bytes` and `Milliseconds` units and `_aws.Timestamp` the snapshot's `at`. A document carries at
 * most 44 metrics and 30 dimensions, within the format's limits (100 metrics, 30 dimensions); `dimensions` are
 * added to every one.
 *
 * The KPL's distributions (`RequestTime`, `BufferingTime`, `RetriesPerRecord`, the per-request and per-record
 * counts) cannot go as they are: an EMF value is a number or a list of samples, and the producer keeps no samples,
 * only each interval's statistics. A single number would let CloudWatch read one sample where there were many;
 * so each goes as its statistics, one metric each: `RequestTimeCount`, `RequestTimeSum`, `RequestTimeAvg`,
 * `RequestTimeMax`, `RequestTimeP50`, `RequestTimeP99`. Graph `…Max` with the Maximum statistic, and when several
 * documents fall in one period (many Lambda environments) the exact mean is `SUM(…Sum) / SUM(…Count)`. A
 * distribution without samples in the interval is left out rather than sent as a 0.
 *
 * @example
 * ```ts
 * import { toEmf } from 'rxjs-kinesis/cloudwatch';
 * producer.metrics$.subscribe((snapshot) => console.log(toEmf(snapshot, { namespace: 'KinesisProducer' }).join('\n')));
 * ```
 *
 * @param snapshot A snapshot of `producer.metrics$`.
 * @param options The namespace, dimensions to add, and whether to include the shards.
 * @return The documents, each a JSON string of one line.
 */
export function toEmf(snapshot: MetricsSnapshot, options: CloudWatchMetricsOptions): string[] {
  const o = checkOptions('toEmf', options);
  const Timestamp = Math.round(snapshot.at);
  return metricGroups(snapshot, o).map((group) => {
    const metrics = flatten(group);
    const directive = { Namespace: o.namespace, Dimensions: [group.dimensions.map(([name]) => name)], Metrics: metrics.map(([Name, Unit]) => ({ Name, Unit })) };
    return JSON.stringify({ _aws: { Timestamp, CloudWatchMetrics: [directive] }, ...Object.fromEntries(group.dimensions), ...Object.fromEntries(metrics.map(([name, , value]) => [name, value])) });
  });
}
