import { KinesisClient } from '@aws-sdk/client-kinesis';
import { fileURLToPath } from 'node:url';
import { bufferTime, filter, lastValueFrom, map, range, reduce } from 'rxjs';
import { createProducer, type ProducerSignal } from 'rxjs-kinesis';

/** One line per second from the signals of that second. */
function summarize(signals: ProducerSignal[], second: number): string {
  const n = { records: 0, batches: 0, retried: 0, local: 0, service: 0, dropped: 0, expired: 0 };
  const errors = new Set<string>();
  for (const s of signals) {
    switch (s.type) {
      case 'batchSent':
        n.batches++;
        n.records += s.succeeded;
        break;
      case 'retryScheduled':
        n.retried += s.count;
        errors.add(s.errorCode);
        break;
      case 'throttled':
        n[s.source] += s.count;
        break;
      case 'dropped':
        n.dropped += s.count;
        break;
      case 'expired':
        n.expired += s.count;
        break;
    }
  }
  const why = errors.size > 0 ? ` (${[...errors].join(', ')})` : '';
  return `${second}s  sent ${n.records} in ${n.batches} batches  retried ${n.retried}${why}  throttled local ${n.local} / service ${n.service}  dropped ${n.dropped}  expired ${n.expired}`;
}

export async function main({ client = new KinesisClient({}), streamName = 'events', events = 3000 } = {}) {
  const producer = createProducer({ client, streamName });
  let second = 0;
  const live = producer.signals$
    .pipe(
      bufferTime(1000),
      filter((signals) => signals.length > 0),
      map((signals) => summarize(signals, ++second)),
    )
    .subscribe((line) => console.log(line));

  const { sent, failed } = await lastValueFrom(
    range(0, events).pipe(
      producer.put((i) => ({ partitionKey: `user-${i % 300}`, data: JSON.stringify({ i, at: Date.now() }) })),
      reduce((t, o) => (o.ok ? { ...t, sent: t.sent + 1 } : { ...t, failed: t.failed + 1 }), { sent: 0, failed: 0 }),
    ),
  );
  await producer.close();
  live.unsubscribe();
  console.log(`done: ${sent} sent, ${failed} failed`);
  return { sent, failed, seconds: second };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) void main();
