import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand, type KinesisClientConfig, type PutRecordsResultEntry } from '@aws-sdk/client-kinesis';
import type { Test } from 'uvu';
import { startLocalKinesis, type LocalKinesis } from '../../src/testing/index.js';

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

/** The two protocols the front speaks on one port. */
export type Protocol = 'http/1.1' | 'h2';
export const PROTOCOLS: Protocol[] = ['http/1.1', 'h2'];

/**
 * A client on `protocol`: `kinesis.client()` (HTTP/1.1 keep-alive), or the SDK's default client with no request
 * handler given (HTTP/2 cleartext), as `new KinesisClient({ endpoint, region, credentials })` is in an app.
 * The caller destroys an HTTP/2 one; `stop()` destroys the others.
 */
export function clientOn(kinesis: LocalKinesis, protocol: Protocol, overrides: Partial<KinesisClientConfig> = {}): KinesisClient {
  if (protocol === 'http/1.1') return kinesis.client(overrides);
  return new KinesisClient({ endpoint: kinesis.endpoint, region: kinesis.region, credentials: kinesis.credentials, ...overrides });
}

/** The error `work` fails with; fails the test when it succeeds. */
export async function errorOf(work: Promise<unknown>): Promise<any> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, it succeeded');
}

/** An SDK error in one line, for assertion messages. */
export const describeError = (error: any) =>
  `${error?.name} code=${error?.code} cause=${error?.cause?.code} status=${error?.$metadata?.httpStatusCode}: ${String(error?.message).split('\n')[0]}`;

/**
 * For a suite: a local Kinesis (limits off) with one stream of one shard and a client per protocol with the
 * SDK's retries off, started before its tests and stopped after.
 */
export function onBothProtocols(test: Test, stream: string) {
  const local = { kinesis: undefined as unknown as LocalKinesis, clients: {} as Record<Protocol, KinesisClient> };
  test.before(
    withTimeout(10_000, async () => {
      local.kinesis = await startLocalKinesis({ limits: false });
      await local.kinesis.createStream(stream, 1);
      for (const protocol of PROTOCOLS) local.clients[protocol] = clientOn(local.kinesis, protocol, { maxAttempts: 1 });
    }),
  );
  test.after(async () => {
    local.clients.h2?.destroy();
    await local.kinesis?.stop();
  });
  return local;
}
