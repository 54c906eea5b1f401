import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { fileURLToPath } from 'node:url';
import { lastValueFrom, map, range, toArray } from 'rxjs';
import { createProducer } from 'rxjs-kinesis';
import { startLocalKinesis } from 'rxjs-kinesis/testing';

/** Every record's data in the stream, read with GetShardIterator and GetRecords. */
async function readAll(client: KinesisClient, streamName: string): Promise<string[]> {
  const data: string[] = [];
  const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: streamName }));
  for (const { ShardId } of Shards) {
    const start = new GetShardIteratorCommand({ StreamName: streamName, ShardId, ShardIteratorType: 'TRIM_HORIZON' });
    let iterator = (await client.send(start)).ShardIterator;
    while (iterator) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator }));
      for (const r of page.Records ?? []) data.push(new TextDecoder().decode(r.Data));
      iterator = page.Records?.length ? page.NextShardIterator : undefined;
    }
  }
  return data;
}

export async function main({ orders = 1000, shards = 2 } = {}) {
  // kinesalite behind a front that keeps the service's budget: 1000 records/s and 1 MiB/s per shard.
  const kinesis = await startLocalKinesis();
  try {
    await kinesis.createStream('orders', shards);
    // Another writer takes three quarters of shard 0's budget, so the service throttles us there, as AWS would.
    kinesis.setShardCapacity('shardId-000000000000', 0.25);

    const client = kinesis.client();
    const producer = createProducer({ client, streamName: 'orders' });
    const outcomes = await lastValueFrom(
      range(0, orders).pipe(
        map((i) => ({ orderId: `order-${i}`, amount: i % 100 })),
        producer.put((o) => ({ partitionKey: o.orderId, data: JSON.stringify(o) })),
        toArray(),
      ),
    );
    await producer.close();

    for (const s of kinesis.stats().shards) {
      console.log(`${s.shardId}: accepted ${s.acceptedRecords}, throttled ${s.throttledRecords}, at most ${s.maxWindowRecords} records in one second`);
    }
    const stored = new Set(await readAll(client, 'orders'));
    const lost = outcomes.filter((o) => !stored.has(JSON.stringify(o.value)));
    const attempts = Math.max(...outcomes.map((o) => o.attempts));
    console.log(`${outcomes.filter((o) => o.ok).length} of ${orders} sent, ${lost.length} missing on read-back, up to ${attempts} attempts per order`);
    return { outcomes, stored: stored.size, lost: lost.length, stats: kinesis.stats() };
  } finally {
    await kinesis.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) void main();
