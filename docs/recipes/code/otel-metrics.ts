import { KinesisClient } from '@aws-sdk/client-kinesis';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type MetricData } from '@opentelemetry/sdk-metrics';
import { fileURLToPath } from 'node:url';
import { lastValueFrom, range, reduce } from 'rxjs';
import { createProducer } from 'rxjs-kinesis';
import { instrumentProducer } from 'rxjs-kinesis/otel';

/** One line per data point: the metric, the shard and error it is for, its value. */
function describe(metric: MetricData): string[] {
  return metric.dataPoints.map((p) => {
    const on = [p.attributes['messaging.destination.partition.id'], p.attributes['error.type'] && `error.type=${p.attributes['error.type']}`].filter(Boolean).join(' ');
    const value = typeof p.value === 'number' ? `${p.value}` : 'count' in p.value ? `${p.value.count} requests, ${p.value.sum!.toFixed(3)} s in all` : '';
    return `${metric.descriptor.name}${on ? ` {${on}}` : ''}: ${value}`;
  });
}

export async function main({ client = new KinesisClient({}), streamName = 'orders', orders = 3000 } = {}) {
  // In production the exporter is your collector's: new OTLPMetricExporter() from @opentelemetry/exporter-metrics-otlp-http.
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const meterProvider = new MeterProvider({ readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 10_000 })] });

  const producer = createProducer({ client, streamName, metrics: { intervalMs: 10_000 } });
  const instrumentation = instrumentProducer(producer, { meter: meterProvider.getMeter('orders-service'), streamName });

  const { sent, failed } = await lastValueFrom(
    range(0, orders).pipe(
      producer.put((i) => ({ partitionKey: `customer-${i % 500}`, data: JSON.stringify({ order: i, at: Date.now() }) })),
      reduce((t, o) => (o.ok ? { ...t, sent: t.sent + 1 } : { ...t, failed: t.failed + 1 }), { sent: 0, failed: 0 }),
    ),
  );
  await producer.close(); // its last metrics snapshot sets the pending gauge to 0
  await meterProvider.forceFlush(); // export now what the last interval recorded
  instrumentation.stop();
  await meterProvider.shutdown();

  const exported = exporter.getMetrics().at(-1)?.scopeMetrics.flatMap((s) => s.metrics) ?? [];
  for (const metric of exported) for (const line of describe(metric)) console.log(line);
  console.log(`done: ${sent} sent, ${failed} failed`);
  return { sent, failed, exported };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) void main();
