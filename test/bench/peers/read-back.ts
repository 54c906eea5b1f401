import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { CREDENTIALS, idOfData } from './common.js';

/** Counts, per value id below `offered`, how many times it is stored in the stream: lost and duplicated values. */
export async function readBackIds(endpoint: string, region: string, streamName: string, offered: number) {
  const client = new KinesisClient({ endpoint, region, credentials: CREDENTIALS, requestHandler: new NodeHttpHandler() });
  try {
    const seen = new Uint16Array(offered);
    let stored = 0;
    let foreign = 0;
    const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: streamName }));
    for (const shard of Shards) {
      let iterator = (await client.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' })))
        .ShardIterator;
      for (let call = 0; call < 10_000 && iterator !== undefined; call++) {
        const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
        for (const r of page.Records ?? []) {
          stored++;
          const id = idOfData(r.Data!);
          if (id < offered) seen[id]++;
          else foreign++;
        }
        if ((page.Records ?? []).length === 0 && page.MillisBehindLatest === 0) break;
        iterator = page.NextShardIterator;
      }
    }
    let lost = 0;
    let duplicated = 0;
    for (let id = 0; id < offered; id++) {
      if (seen[id] === 0) lost++;
      else if (seen[id] > 1) duplicated++;
    }
    return { stored, distinct: offered - lost, lost, duplicated, foreign };
  } finally {
    client.destroy();
  }
}
