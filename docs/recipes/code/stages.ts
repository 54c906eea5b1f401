import { KinesisClient } from '@aws-sdk/client-kinesis';
import { fileURLToPath } from 'node:url';
import { from, lastValueFrom, reduce, tap } from 'rxjs';
import {
  collectBatches,
  encodeRecords,
  loadShardMap,
  putBatches,
  routeToShards,
  type KinesisRecordInput,
} from 'rxjs-kinesis';

interface Event {
  userId: string;
  action: string;
}

const toRecord = (e: Event): KinesisRecordInput => ({ partitionKey: e.userId, data: JSON.stringify(e) });

export async function main({ client = new KinesisClient({}), streamName = 'events', users = ['ada', 'grace', 'linus', 'margaret', ''] } = {}) {
  const events = users.flatMap((userId) => ['login', 'search', 'buy'].map((action) => ({ userId, action })));
  const shardMap = await loadShardMap(client, { streamName });

  // A dry run: encode and route without sending, to see where each key lands and what is invalid.
  const plan = await lastValueFrom(
    from(events).pipe(
      encodeRecords(toRecord),
      routeToShards(shardMap),
      reduce((lines, r) => {
        const line = 'ok' in r ? `invalid: ${r.error.message}` : `${r.partitionKey} -> ${r.shardId}`;
        return lines.includes(line) ? lines : [...lines, line];
      }, [] as string[]),
    ),
  );
  plan.forEach((line) => console.log(line));

  // The same stages with your own batching, then PutRecords with retries of failed entries.
  let batches = 0;
  const outcomes = await lastValueFrom(
    from(events).pipe(
      encodeRecords(toRecord),
      routeToShards(shardMap),
      collectBatches({ maxCount: 100, lingerMs: 50 }),
      tap((b) => 'entries' in b && batches++),
      putBatches({ client, streamName }),
      reduce((t, o) => (o.ok ? { ...t, sent: t.sent + 1 } : { ...t, failed: t.failed + 1 }), { sent: 0, failed: 0 }),
    ),
  );
  console.log(`sent ${outcomes.sent} in ${batches} PutRecords requests, ${outcomes.failed} failed`);
  return { plan, batches, ...outcomes };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) void main();
