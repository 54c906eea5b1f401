/**
 * The pipeline's own ceiling: values through encode, route, batch (and aggregate) into a client that
 * answers at once without any HTTP, so the SDK's serialization and signing are left out.
 *   npx tsx test/bench/pipeline-ceiling.ts
 */
import { PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { range } from 'rxjs';
import { createProducer, createShardMap } from '../../src/index.js';
import { decimalToHashKey, partitionKeyHash } from '../../src/kinesis/index.js';
import { evenShards } from '../helpers/scripted-client.js';

const VALUES = 1_000_000;
const payload = 'x'.repeat(90);
const shards = evenShards(4);
const map = createShardMap(shards);
// Answers every entry on the shard its hash key falls in, as Kinesis does.
const client = {
  async send(command: unknown) {
    if (command instanceof PutRecordsCommand) {
      return {
        FailedRecordCount: 0,
        Records: command.input.Records!.map((r, i) => ({
          ShardId: map.shardFor(r.ExplicitHashKey ? decimalToHashKey(r.ExplicitHashKey) : partitionKeyHash(r.PartitionKey!))!.shardId,
          SequenceNumber: String(i),
        })),
      };
    }
    return { Shards: shards };
  },
} as unknown as KinesisClient;

for (const aggregation of [false, {}] as const) {
  for (let round = 0; round < 3; round++) {
    const producer = createProducer({ client, streamName: 's', rateLimit: false, aggregation, maxBufferedRecords: 2_000_000, maxBufferedBytes: 1 << 30 });
    const cpu = process.cpuUsage();
    const start = performance.now();
    let n = 0;
    await new Promise<void>((resolve) =>
      range(0, VALUES)
        .pipe(producer.put((i) => ({ partitionKey: `device-${i % 10_000}`, data: `${i}${payload}` })))
        .subscribe({ next: () => n++, complete: resolve }),
    );
    await producer.close();
    const seconds = (performance.now() - start) / 1000;
    const used = process.cpuUsage(cpu);
    console.log(`aggregation ${aggregation ? 'on ' : 'off'}: ${Math.round(n / seconds).toLocaleString('en')} values/s, ${(((used.user + used.system) / n) * 1000).toFixed(0)} ns CPU per value`);
  }
}
