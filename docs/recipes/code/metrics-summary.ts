import { KinesisClient } from '@aws-sdk/client-kinesis';
import { fileURLToPath } from 'node:url';
import { lastValueFrom, range, reduce } from 'rxjs';
import { createProducer, type MetricsSnapshot, type PressureLevel } from 'rxjs-kinesis';

/** What the alarms compare with: the producer's own options. */
export interface AlarmLimits {
  maxBufferedRecords: number;
  recordTtlMs: number;
}

/** The alarms of the metrics page, checked on one snapshot. `pressure`: the worst level `pressure$` reached in its interval. */
export function alarms(s: MetricsSnapshot, pressure: PressureLevel, limits: AlarmLimits): string[] {
  const m = s.stream;
  const found: string[] = [];
  const throttled = m.ErrorsByCode.ProvisionedThroughputExceededException ?? 0;
  if (throttled > 0.05 * m.KinesisRecordsPut) found.push(`throttling: ${throttled} refused for ${m.KinesisRecordsPut} stored`);
  if (m.UserRecordExpired > 0) found.push(`expiry: ${m.UserRecordExpired} expired`);
  if (pressure !== 'ok' || (m.UserRecordsPending ?? 0) > 0.8 * limits.maxBufferedRecords) found.push(`pressure: ${pressure}, ${m.UserRecordsPending} pending`);
  if (m.BufferingTime.p99 > limits.recordTtlMs / 3) found.push(`latency: buffering p99 ${Math.round(m.BufferingTime.p99)} ms`);
  return found;
}

/** One line per snapshot: what came in and went out per second, what failed, how long values waited. */
export function summarize(s: MetricsSnapshot, pressure: PressureLevel, limits: AlarmLimits): string {
  const m = s.stream;
  const perSecond = (n: number) => Math.round((n * 1000) / Math.max(1, s.intervalMs));
  const codes = Object.entries(m.ErrorsByCode).map(([code, n]) => `${code} ${n}`);
  const raised = alarms(s, pressure, limits);
  return [
    new Date(s.at).toISOString().slice(11, 19),
    `received ${m.UserRecordsReceived}`,
    `put ${m.UserRecordsPut} (${perSecond(m.UserRecordsPut)}/s) in ${m.KinesisRecordsPut} records`,
    `pending ${m.UserRecordsPending}`,
    `errors ${m.AllErrors}${codes.length > 0 ? ` (${codes.join(', ')})` : ''}`,
    `expired ${m.UserRecordExpired}`,
    `buffering p99 ${Math.round(m.BufferingTime.p99)} ms`,
    `pressure ${pressure}`,
    ...(raised.length > 0 ? [`ALARM ${raised.join('; ')}`] : []),
  ].join('  ');
}

const RANK: Record<PressureLevel, number> = { ok: 0, high: 1, full: 2 };

export async function main({ client = new KinesisClient({}), streamName = 'events', events = 2000, maxBufferedRecords = 500_000, recordTtlMs = 30_000 } = {}) {
  const limits = { maxBufferedRecords, recordTtlMs };
  const producer = createProducer({ client, streamName, maxBufferedRecords, recordTtlMs, metrics: { intervalMs: 1000 } });

  // pressure$ emits on changes: keep the worst level of each interval for its line.
  let level: PressureLevel = 'ok';
  let worst: PressureLevel = 'ok';
  producer.pressure$.subscribe((p) => {
    level = p.level;
    if (RANK[level] > RANK[worst]) worst = level;
  });
  const snapshots: MetricsSnapshot[] = [];
  producer.metrics$.subscribe((s) => {
    snapshots.push(s);
    console.log(summarize(s, worst, limits));
    worst = level;
  });

  const { sent, failed } = await lastValueFrom(
    range(0, events).pipe(
      producer.put((i) => ({ partitionKey: `user-${i % 300}`, data: JSON.stringify({ i, at: Date.now() }) })),
      reduce((t, o) => (o.ok ? { ...t, sent: t.sent + 1 } : { ...t, failed: t.failed + 1 }), { sent: 0, failed: 0 }),
    ),
  );
  await producer.close(); // emits the last, shorter snapshot and completes metrics$
  console.log(`done: ${sent} sent, ${failed} failed`);
  return { sent, failed, snapshots };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) void main();
