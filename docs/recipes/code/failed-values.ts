import { KinesisClient } from '@aws-sdk/client-kinesis';
import { appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { lastValueFrom, map, range, reduce } from 'rxjs';
import { createProducer, type PutOutcome } from 'rxjs-kinesis';

interface Order {
  orderId: string;
  customerId: string;
  note: string;
}

// Two broken orders among the good ones: an empty key and a record over the 1 MiB limit.
const order = (i: number): Order => ({
  orderId: `order-${i}`,
  customerId: i === 7 ? '' : `customer-${i % 50}`,
  note: i === 9 ? 'x'.repeat(1_100_000) : 'gift wrap',
});

export async function main({
  client = new KinesisClient({}),
  streamName = 'orders',
  orders = 1000,
  deadLetterFile = 'dead-letters.jsonl',
  recordTtlMs = 30_000,
} = {}) {
  const producer = createProducer({ client, streamName, recordTtlMs });

  const handle = (t: { sent: number; retryLater: number; bugs: string[] }, o: PutOutcome<Order>) => {
    if (o.ok) t.sent++;
    else if (o.error.retryable) {
      // Kinesis would take it later (throttled past recordTtlMs, dropped, timed out): keep it to replay.
      appendFileSync(deadLetterFile, `${JSON.stringify({ order: o.value, error: o.error.code })}\n`);
      t.retryLater++;
    } else {
      // Retrying cannot help (bad input, access denied): it is a bug to fix, so say which value and why.
      t.bugs.push(`${o.value.orderId}: ${o.error.code}: ${o.error.message}`);
    }
    return t;
  };

  const tally = await lastValueFrom(
    range(0, orders).pipe(
      map(order),
      producer.put((o) => ({ partitionKey: o.customerId, data: JSON.stringify(o) })),
      reduce(handle, { sent: 0, retryLater: 0, bugs: [] as string[] }),
    ),
  );
  await producer.close();

  console.log(`sent ${tally.sent}, kept ${tally.retryLater} in ${deadLetterFile} to replay, ${tally.bugs.length} to fix:`);
  for (const bug of tally.bugs) console.log(`  ${bug}`);
  return tally;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) void main();
