import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { fileURLToPath } from 'node:url';
import { lastValueFrom, map, range, reduce } from 'rxjs';
import { createProducer } from 'rxjs-kinesis';
import { decodeAggregate, isAggregate } from 'rxjs-kinesis/kpl';

/** The part of a Lambda Kinesis event a handler reads (`data` is base64). */
export interface KinesisEvent {
  Records: { kinesis: { partitionKey: string; data: string; sequenceNumber: string } }[];
}

/** The consumer: a Lambda handler that deaggregates, so it sees each user record, aggregated or not. */
export async function handler(event: KinesisEvent) {
  const readings: { deviceId: string; seq: number }[] = [];
  for (const { kinesis } of event.Records) {
    const bytes = Uint8Array.from(atob(kinesis.data), (c) => c.charCodeAt(0));
    const records = isAggregate(bytes) ? decodeAggregate(bytes) : [{ partitionKey: kinesis.partitionKey, data: bytes }];
    for (const r of records) readings.push(JSON.parse(new TextDecoder().decode(r.data)));
  }
  return readings;
}

/** Readings per aggregate: with Lambda's batch size, it bounds the readings one invocation handles. */
const MAX_COUNT = 100;
/** Bytes per aggregate: 100 of them, base64-encoded in the event, stay well within Lambda's 6 MB payload. */
const MAX_BYTES = 25_600;

/** The producer: small readings packed per shard into KPL aggregates. */
export async function send(client: KinesisClient, streamName: string, readings: number) {
  const producer = createProducer({ client, streamName, aggregation: { maxCount: MAX_COUNT, maxBytes: MAX_BYTES } });
  const tally = await lastValueFrom(
    range(0, readings).pipe(
      map((seq) => ({ deviceId: `device-${seq % 300}`, seq })),
      producer.put((r) => ({ partitionKey: r.deviceId, data: JSON.stringify(r) })),
      reduce((t, o) => (o.ok ? { ...t, sent: t.sent + 1 } : { ...t, failed: t.failed + 1 }), { sent: 0, failed: 0 }),
    ),
  );
  await producer.close();
  return tally;
}

/** Reads the stream as Lambda's event source mapping does: batches of `batchSize` Kinesis records per shard. */
async function* lambdaEvents(client: KinesisClient, streamName: string, batchSize: number): AsyncGenerator<KinesisEvent> {
  const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: streamName }));
  for (const { ShardId } of Shards) {
    const start = new GetShardIteratorCommand({ StreamName: streamName, ShardId, ShardIteratorType: 'TRIM_HORIZON' });
    let iterator = (await client.send(start)).ShardIterator;
    while (iterator) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: batchSize }));
      if (!page.Records?.length) break;
      yield {
        Records: page.Records.map((r) => ({
          kinesis: { partitionKey: r.PartitionKey!, sequenceNumber: r.SequenceNumber!, data: btoa(String.fromCharCode(...r.Data!)) },
        })),
      };
      iterator = page.NextShardIterator;
    }
  }
}

export async function main({ client = new KinesisClient({}), streamName = 'telemetry', readings = 5000, batchSize = 100 } = {}) {
  const { sent, failed } = await send(client, streamName, readings);
  let kinesisRecords = 0;
  let invocations = 0;
  let mostPerInvocation = 0;
  const seen = new Set<number>();
  for await (const event of lambdaEvents(client, streamName, batchSize)) {
    const batch = await handler(event);
    invocations++;
    kinesisRecords += event.Records.length;
    mostPerInvocation = Math.max(mostPerInvocation, batch.length);
    batch.forEach((r) => seen.add(r.seq));
  }
  console.log(`producer: ${sent} readings sent, ${failed} failed, in ${kinesisRecords} Kinesis records`);
  console.log(`consumer: ${invocations} invocations of up to ${batchSize} records, at most ${mostPerInvocation} readings in one`);
  console.log(`          (bound: batch size ${batchSize} x maxCount ${MAX_COUNT} = ${batchSize * MAX_COUNT} readings)`);
  console.log(`consumer saw ${seen.size} distinct readings of ${readings}`);
  return { sent, failed, kinesisRecords, invocations, mostPerInvocation, distinct: seen.size };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) void main();
