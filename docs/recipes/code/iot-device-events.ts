import { KinesisClient } from '@aws-sdk/client-kinesis';
import { fileURLToPath } from 'node:url';
import { lastValueFrom, map, range, reduce } from 'rxjs';
import { createProducer } from 'rxjs-kinesis';

interface Reading {
  deviceId: string;
  seq: number;
  temperature: number;
}

export async function main({ client = new KinesisClient({}), streamName = 'iot-events', devices = 200, readings = 2000 } = {}) {
  const producer = createProducer({ client, streamName });

  const readings$ = range(0, readings).pipe(
    map((seq): Reading => ({ deviceId: `device-${String(seq % devices).padStart(4, '0')}`, seq, temperature: 20 + (seq % 7) })),
  );

  // The device id is the partition key: many distinct keys spread evenly over the shards,
  // and one device's readings stay on one shard.
  const tally = await lastValueFrom(
    readings$.pipe(
      producer.put((r) => ({ partitionKey: r.deviceId, data: JSON.stringify(r) })),
      reduce(
        (t, o) => {
          if (o.ok) t.perShard.set(o.shardId, (t.perShard.get(o.shardId) ?? 0) + 1);
          else t.failed.push(`${o.value.deviceId}: ${o.error.code}`);
          return t;
        },
        { perShard: new Map<string, number>(), failed: [] as string[] },
      ),
    ),
  );
  await producer.close();

  const sent = [...tally.perShard.values()].reduce((a, b) => a + b, 0);
  console.log(`sent ${sent} of ${readings} readings from ${devices} devices`);
  for (const [shardId, count] of [...tally.perShard].sort()) console.log(`  ${shardId}  ${count}`);
  console.log(`failed ${tally.failed.length}`);
  return { sent, failed: tally.failed, perShard: tally.perShard };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) void main();
