// In-memory stand-ins for a Kafka consumer group and an SQS queue, for the recipes that read from them: there is
// no broker here. Each implements only the calls its recipe makes, with the semantics the recipe relies on.
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type DeleteMessageBatchCommandOutput,
  type Message,
  type ReceiveMessageCommandOutput,
} from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Batch, ConsumerRunConfig, EachBatchPayload, KafkaMessage, TopicPartitionOffsetAndMetadata } from 'kafkajs';
import type { KafkaConsumer } from '../../docs/recipes/code/kafka-offsets.js';
import type { SqsClient } from '../../docs/recipes/code/sqs-delete.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A request handler that records the data of every PutRecords entry Kinesis accepted, as the answer arrives:
 * before the SDK and the producer read it, so before any outcome. Pass it to `kinesis.client({ requestHandler })`;
 * what a recipe commits or deletes must be in `stored` already.
 */
export class AcknowledgedRecords extends NodeHttpHandler {
  readonly stored = new Set<string>();
  /** Requests by operation and how they ended (`PutRecords 200`, `ListShards error TimeoutError`): to explain a stalled run. */
  readonly requests = new Map<string, number>();

  override async handle(...[request, options]: Parameters<NodeHttpHandler['handle']>): ReturnType<NodeHttpHandler['handle']> {
    const target = Object.entries(request.headers).find(([name]) => name.toLowerCase() === 'x-amz-target')?.[1];
    const operation = target?.split('.').pop() ?? 'unknown';
    const count = (how: string) => this.requests.set(`${operation} ${how}`, (this.requests.get(`${operation} ${how}`) ?? 0) + 1);
    count('sent');
    let answer: Awaited<ReturnType<NodeHttpHandler['handle']>>;
    try {
      answer = await super.handle(request, options);
    } catch (error) {
      count(`error ${(error as Error).name}`);
      throw error;
    }
    count(String(answer.response.statusCode));
    if (operation === 'PutRecords' && answer.response.statusCode === 200) {
      const chunks: Buffer[] = [];
      for await (const chunk of answer.response.body as AsyncIterable<Buffer>) chunks.push(chunk);
      const body = Buffer.concat(chunks);
      answer.response.body = body; // read once here; the SDK reads bytes as it reads a stream
      const sent = (JSON.parse(Buffer.from(request.body as Uint8Array).toString()) as { Records: { Data: string }[] }).Records;
      const results = (JSON.parse(body.toString()) as { Records: { SequenceNumber?: string }[] }).Records;
      results.forEach((r, i) => r.SequenceNumber !== undefined && this.stored.add(Buffer.from(sent[i].Data, 'base64').toString()));
    }
    return answer;
  }
}

/** A commit the stand-in consumer received, with what was wrong with it when it came. */
export interface Commit {
  partition: number;
  offset: string;
  /** Offsets below the committed one whose messages Kinesis had not acknowledged yet. */
  ahead: string[];
}

/**
 * kafkajs's consumer for one topic whose partitions hold `messages[partition]` from offset 0. Batches of a
 * partition come one at a time, from its resolved offset (else its committed one), as kafkajs fetches them;
 * at most `partitionsConsumedConcurrently` batches are in `eachBatch` at once, and none from a paused topic.
 * Commits are recorded, and ignored once the consumer stops, as kafkajs does.
 */
export class StandInConsumer implements KafkaConsumer {
  readonly commits: Commit[] = [];
  /** Commits that came after `disconnect()`: kafkajs drops them. */
  readonly ignoredCommits: TopicPartitionOffsetAndMetadata[] = [];
  heartbeats = 0;
  pauses = 0;
  private readonly committed = new Map<number, bigint>();
  private readonly resolved = new Map<number, bigint>();
  private paused = false;
  private running = false;
  private slots = 1;
  private caughtUp!: () => void;
  /** Resolves once every message of every partition has been resolved by `eachBatch`. */
  readonly allResolved = new Promise<void>((resolve) => (this.caughtUp = resolve));

  constructor(
    readonly topic: string,
    readonly messages: KafkaMessage[][],
    private readonly batchSize: number,
    /** Whether Kinesis acknowledged a message (checked at each commit). */
    private readonly isStored: (partition: number, message: KafkaMessage) => boolean,
  ) {}

  async connect(): Promise<void> {}

  async subscribe(subscription: Parameters<KafkaConsumer['subscribe']>[0]): Promise<void> {
    const topics = 'topics' in subscription ? subscription.topics : [subscription.topic];
    if (topics.length !== 1 || topics[0] !== this.topic) throw new Error(`subscribe: only ${this.topic} exists here`);
  }

  async run(config?: ConsumerRunConfig): Promise<void> {
    if (config?.autoCommit !== false || config.eachBatchAutoResolve !== false || !config.eachBatch) {
      throw new Error('run: this stand-in serves eachBatch with autoCommit and eachBatchAutoResolve off');
    }
    this.running = true;
    this.slots = config.partitionsConsumedConcurrently ?? 1;
    for (let partition = 0; partition < this.messages.length; partition++) void this.consume(partition, config.eachBatch);
  }

  pause(topics: { topic: string }[]): void {
    if (topics.some((t) => t.topic !== this.topic)) throw new Error('pause: unknown topic');
    if (!this.paused) this.pauses++;
    this.paused = true;
  }

  resume(topics: { topic: string }[]): void {
    if (topics.some((t) => t.topic !== this.topic)) throw new Error('resume: unknown topic');
    this.paused = false;
  }

  async commitOffsets(offsets: TopicPartitionOffsetAndMetadata[]): Promise<void> {
    if (!this.running) return void this.ignoredCommits.push(...offsets);
    for (const { topic, partition, offset } of offsets) {
      if (topic !== this.topic) throw new Error(`commitOffsets: unknown topic ${topic}`);
      const next = BigInt(offset);
      const ahead = this.messages[partition].filter((m) => BigInt(m.offset) < next && !this.isStored(partition, m)).map((m) => m.offset);
      this.commits.push({ partition, offset, ahead });
      this.committed.set(partition, next);
    }
  }

  async disconnect(): Promise<void> {
    this.running = false;
  }

  /** The next offset a fetch of the partition starts from, as kafkajs's offset manager keeps it. */
  private position(partition: number): number {
    return Number(this.resolved.get(partition) ?? this.committed.get(partition) ?? 0n);
  }

  private async consume(partition: number, eachBatch: (payload: EachBatchPayload) => Promise<void>): Promise<void> {
    const all = this.messages[partition];
    while (this.running) {
      const from = this.position(partition);
      if (this.paused || from >= all.length || this.slots === 0) {
        if (this.messages.every((m, p) => this.position(p) >= m.length)) this.caughtUp();
        await sleep(5);
        continue;
      }
      this.slots--;
      try {
        await eachBatch(this.payload(partition, all.slice(from, from + this.batchSize)));
      } catch {
        // kafkajs logs it and fetches the partition again from its resolved offset
      } finally {
        this.slots++;
      }
    }
  }

  private payload(partition: number, messages: KafkaMessage[]): EachBatchPayload {
    const { topic } = this;
    const last = messages[messages.length - 1].offset;
    const highWatermark = String(this.messages[partition].length);
    const batch: Batch = {
      topic,
      partition,
      highWatermark,
      messages,
      isEmpty: () => messages.length === 0,
      firstOffset: () => messages[0]?.offset ?? null,
      lastOffset: () => last,
      offsetLag: () => String(Number(highWatermark) - 1 - Number(last)),
      offsetLagLow: () => String(Number(highWatermark) - 1 - Number(messages[0].offset)),
    };
    return {
      batch,
      resolveOffset: (offset) => void this.resolved.set(partition, BigInt(offset) + 1n),
      heartbeat: async () => void this.heartbeats++,
      pause: () => {
        this.pause([{ topic }]);
        return () => this.resume([{ topic }]);
      },
      commitOffsetsIfNecessary: async () => {},
      uncommittedOffsets: () => ({ topics: [] }),
      isRunning: () => this.running,
      isStale: () => false,
    };
  }
}

/** A message the stand-in queue holds. */
interface Held {
  id: string;
  body: string;
  /** The receipt handle of its latest receive: only that one deletes it. */
  receiptHandle?: string;
  visibleAt: number;
  receives: number;
}

/** A deletion the stand-in queue made, with whether Kinesis had acknowledged the message by then. */
export interface Deletion {
  id: string;
  storedBefore: boolean;
}

/**
 * An SQS standard queue in memory, behind `send` for the two commands the SQS recipe uses. A receive takes up to
 * MaxNumberOfMessages visible messages and hides each for VisibilityTimeout seconds under a new receipt handle; it
 * waits up to WaitTimeSeconds for one (long polling), until its abort signal. A delete takes the latest receipt
 * handle only. The first DeleteMessageBatch answer reports its first entry as failed on SQS's side (InternalError)
 * without deleting it, as SQS may.
 */
export class StandInQueue implements SqsClient {
  readonly deletions: Deletion[] = [];
  receiveRequests = 0;
  deleteRequests = 0;
  private readonly held = new Map<string, Held>();
  private handles = 0;
  private failNextDelete = true;

  constructor(
    readonly queueUrl: string,
    bodies: string[],
    /** Whether Kinesis acknowledged a body (checked at each delete). */
    private readonly isStored: (body: string) => boolean,
  ) {
    bodies.forEach((body, i) => this.held.set(`m-${i}`, { id: `m-${i}`, body, visibleAt: 0, receives: 0 }));
  }

  /** Messages not deleted, visible or not. */
  get size(): number {
    return this.held.size;
  }

  /** How many times a message was received. */
  receivesOf(id: string): number | undefined {
    return this.held.get(id)?.receives;
  }

  send(command: ReceiveMessageCommand, options?: { abortSignal?: AbortSignal }): Promise<ReceiveMessageCommandOutput>;
  send(command: DeleteMessageBatchCommand): Promise<DeleteMessageBatchCommandOutput>;
  async send(
    command: ReceiveMessageCommand | DeleteMessageBatchCommand,
    options?: { abortSignal?: AbortSignal },
  ): Promise<ReceiveMessageCommandOutput | DeleteMessageBatchCommandOutput> {
    if (command.input.QueueUrl !== this.queueUrl) throw new Error(`no queue ${command.input.QueueUrl}`);
    if (command instanceof ReceiveMessageCommand) return this.receive(command, options?.abortSignal);
    if (command instanceof DeleteMessageBatchCommand) return this.deleteBatch(command);
    throw new Error(`the stand-in queue does not serve ${(command as object).constructor.name}`);
  }

  private async receive(command: ReceiveMessageCommand, signal: AbortSignal | undefined): Promise<ReceiveMessageCommandOutput> {
    const { MaxNumberOfMessages = 1, WaitTimeSeconds = 0, VisibilityTimeout = 30 } = command.input;
    if (MaxNumberOfMessages < 1 || MaxNumberOfMessages > 10) throw new Error('MaxNumberOfMessages is 1 to 10');
    if (WaitTimeSeconds > 20) throw new Error('WaitTimeSeconds is at most 20');
    this.receiveRequests++;
    const until = Date.now() + WaitTimeSeconds * 1000;
    for (;;) {
      if (signal?.aborted) throw Object.assign(new Error('Request aborted'), { name: 'AbortError' });
      const now = Date.now();
      const visible = [...this.held.values()].filter((m) => m.visibleAt <= now).slice(0, MaxNumberOfMessages);
      if (visible.length > 0 || now >= until) {
        const Messages: Message[] = visible.map((m) => {
          m.receiptHandle = `${m.id}#${++this.handles}`;
          m.visibleAt = now + VisibilityTimeout * 1000;
          m.receives++;
          return { MessageId: m.id, ReceiptHandle: m.receiptHandle, Body: m.body };
        });
        return { Messages, $metadata: {} };
      }
      await sleep(5);
    }
  }

  private async deleteBatch(command: DeleteMessageBatchCommand): Promise<DeleteMessageBatchCommandOutput> {
    const entries = command.input.Entries ?? [];
    if (entries.length < 1 || entries.length > 10) throw new Error('TooManyEntriesInBatchRequest: 1 to 10 entries');
    if (new Set(entries.map((e) => e.Id)).size !== entries.length) throw new Error('BatchEntryIdsNotDistinct');
    this.deleteRequests++;
    const answer: DeleteMessageBatchCommandOutput = { Successful: [], Failed: [], $metadata: {} };
    for (const [i, { Id, ReceiptHandle }] of entries.entries()) {
      const message = [...this.held.values()].find((m) => m.receiptHandle === ReceiptHandle);
      if (i === 0 && this.failNextDelete) {
        this.failNextDelete = false;
        answer.Failed!.push({ Id, SenderFault: false, Code: 'InternalError', Message: 'injected by the stand-in' });
      } else if (message === undefined) {
        answer.Failed!.push({ Id, SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: `no message has ${ReceiptHandle}` });
      } else {
        this.held.delete(message.id);
        this.deletions.push({ id: message.id, storedBefore: this.isStored(message.body) });
        answer.Successful!.push({ Id });
      }
    }
    return answer;
  }
}
