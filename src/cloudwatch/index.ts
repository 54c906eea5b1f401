// `rxjs-kinesis/cloudwatch`: a producer's metrics in CloudWatch, as the KPL names them: EMF log lines, or PutMetricData.
export { toEmf } from './emf.js';
export { toMetricData } from './metric-data.js';
export { publishMetrics, type MetricsPublisher, type PublishMetricsOptions } from './publish-metrics.js';
export type { CloudWatchMetricsOptions } from './kpl-metrics.js';
