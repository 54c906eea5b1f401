import {
  ListShardsCommand,
  PutRecordsCommand,
  type KinesisClient,
  type ListShardsCommandInput,
  type ListShardsCommandOutput,
  type PutRecordsCommandInput,
  type PutRecordsCommandOutput,
  type Shard,
} from '@aws-sdk/client-kinesis';

/** Evenly split shards over the hash key space, as CreateStream makes them. */
export function evenShards(count: number): Shard[] {
  const space = 1n << 128n;
  return Array.from({ length: count }, (_, i) => ({
    ShardId: `shardId-${String(i).padStart(12, '0')}`,
    HashKeyRange: {
      StartingHashKey: ((space * BigInt(i)) / BigInt(count)).toString(),
      EndingHashKey: ((space * BigInt(i + 1)) / BigInt(count) - 1n).toString(),
    },
    SequenceNumberRange: { StartingSequenceNumber: '1' },
  }));
}

export type PutHandler = (input: PutRecordsCommandInput, call: number) => Promise<Partial<PutRecordsCommandOutput>> | Partial<PutRecordsCommandOutput>;

/** A service error as the SDK throws it. */
export function serviceError(name: string, status: number, message = name): Error {
  return Object.assign(new Error(message), { name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status } });
}

/** Answers a ListShards call (throws to fail it); undefined answers with all of `shards` on one page. */
export type ListShardsHandler = (input: ListShardsCommandInput, call: number) => unknown;

/**
 * A stand-in for KinesisClient for unit tests of single functions: ListShards answers from `shards`
 * (or `onListShards`), PutRecords from `onPut`. Records every PutRecords and ListShards input. A
 * request that never answers rejects with AbortError when its abort signal fires, as the SDK does.
 */
export function scriptedClient(options: { shards?: Shard[]; onPut?: PutHandler; onListShards?: ListShardsHandler }) {
  const puts: PutRecordsCommandInput[] = [];
  const listShards: ListShardsCommandInput[] = [];
  const shards = options.shards ?? evenShards(1);
  const client = {
    async send(command: unknown, opts?: { abortSignal?: AbortSignal }) {
      if (command instanceof ListShardsCommand) {
        listShards.push(command.input);
        const answer = (await options.onListShards?.(command.input, listShards.length)) as Partial<ListShardsCommandOutput> | undefined;
        return answer ?? { Shards: shards };
      }
      if (command instanceof PutRecordsCommand) {
        puts.push(command.input);
        const answer = options.onPut?.(command.input, puts.length) ?? ok(command.input);
        return new Promise((resolve, reject) => {
          opts?.abortSignal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
          Promise.resolve(answer).then(resolve, reject);
        });
      }
      throw new Error(`unexpected command ${(command as object).constructor.name}`);
    },
  };
  return { client: client as unknown as KinesisClient, puts, listShards };
}

let seq = 0;
/** Accepts every entry, on the shard its hash key falls in the evenly split map of `shardCount`. */
export function ok(input: PutRecordsCommandInput): Partial<PutRecordsCommandOutput> {
  return { FailedRecordCount: 0, Records: input.Records!.map(() => ({ ShardId: 'shardId-000000000000', SequenceNumber: String(++seq) })) };
}

/** Never answers (until aborted). */
export const hang = () => new Promise<never>(() => {});
