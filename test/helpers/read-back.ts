import { GetRecordsCommand, GetShardIteratorCommand, type KinesisClient, type _Record } from '@aws-sdk/client-kinesis';
import { listAllShards } from '../../src/kinesis/shard-map.js';

/** Every record of every shard (open or closed), oldest first per shard. Bounded in calls. */
export async function readBack(client: KinesisClient, streamName: string): Promise<Map<string, _Record[]>> {
  const out = new Map<string, _Record[]>();
  for (const shard of await listAllShards(client, { streamName })) {
    const records: _Record[] = [];
    let iterator = (
      await client.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }))
    ).ShardIterator;
    for (let call = 0; call < 100_000 && iterator !== undefined; call++) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      records.push(...(page.Records ?? []));
      if ((page.Records ?? []).length === 0 && page.MillisBehindLatest === 0) break;
      iterator = page.NextShardIterator;
    }
    out.set(shard.ShardId!, records);
  }
  return out;
}

/** Records each PutRecords request's entry count and bytes (partition keys + data) as the service counts them. */
export function recordPutRequests(client: KinesisClient) {
  const requests: { entries: number; bytes: number; error?: string }[] = [];
  const encoder = new TextEncoder();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'PutRecordsCommand') return next(args);
      const input = args.input as { Records: { PartitionKey: string; Data: Uint8Array }[] };
      const bytes = input.Records.reduce((n, r) => n + encoder.encode(r.PartitionKey).length + r.Data.length, 0);
      const request: (typeof requests)[number] = { entries: input.Records.length, bytes };
      requests.push(request);
      try {
        return await next(args);
      } catch (error) {
        // No answer, or an error answer: the attempt may be made again (by the SDK or the producer).
        request.error = (error as Error).name;
        throw error;
      }
    },
    { step: 'finalizeRequest', name: 'recordPutRequests' },
  );
  return requests;
}
