import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand, type KinesisClient, type PutRecordsResultEntry } from '@aws-sdk/client-kinesis';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Fails a test that would otherwise hang: uvu has no timeouts of its own. */
export function withTimeout<T>(ms: number, work: () => Promise<T>): () => Promise<T> {
  return () => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`test timed out after ${ms} ms`)), ms);
    });
    return Promise.race([work(), timeout]).finally(() => clearTimeout(timer));
  };
}

/** Runs `count` tasks with at most `concurrency` in flight; results in task order. */
export async function pool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) results[i] = await task(i);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

/** Data of every record stored in a shard, oldest first, via TRIM_HORIZON and a bounded GetRecords loop. */
export async function readShard(client: KinesisClient, streamName: string, shardId: string): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  let iterator = (await client.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
  for (let call = 0; call < 1000 && iterator; call++) {
    const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
    for (const record of page.Records ?? []) out.push(record.Data!);
    if ((page.Records ?? []).length === 0 && page.MillisBehindLatest === 0) break;
    iterator = page.NextShardIterator;
  }
  return out;
}

export async function openShards(client: KinesisClient, streamName: string) {
  const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: streamName }));
  return Shards.filter((s) => s.SequenceNumberRange?.EndingSequenceNumber === undefined);
}

/** Sorts by sequence number, which the service makes grow within a shard. */
export const bySequence = (a: { seq: string }, b: { seq: string }) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : BigInt(a.seq) > BigInt(b.seq) ? 1 : 0);

export const isThrottled = (r: PutRecordsResultEntry) => r.ErrorCode === 'ProvisionedThroughputExceededException';

/** Bound on a binomial count: `sigmas` standard deviations around n·p. */
export function binomialBounds(n: number, p: number, sigmas = 4): [number, number] {
  const sd = Math.sqrt(n * p * (1 - p));
  return [n * p - sigmas * sd, n * p + sigmas * sd];
}
