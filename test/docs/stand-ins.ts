// In-memory stand-ins for the sources of the recipes that read from a broker: there is none here. Each implements
// only the calls its recipe makes, with the semantics the recipe relies on.
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Batch, ConsumerRunConfig, EachBatchPayload, KafkaMessage, TopicPartitionOffsetAndMetadata } from 'kafkajs';
import type { KafkaConsumer } from '../../docs/recipes/code/kafka-offsets.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A request handler that records the data of every PutRecords entry Kinesis accepted, as the answer arrives:
 * before the SDK and the producer read it, so before any outcome. Pass it to `kinesis.client({ requestHandler })`;
 * what a recipe commits or deletes must be in `stored` already.
 */
export class AcknowledgedRecords extends NodeHttpHandler {
  readonly stored = new Set<string>();

  override async handle(...[request, options]: Parameters<NodeHttpHandler['handle']>): ReturnType<NodeHttpHandler['handle']> {
    const answer = await super.handle(request, options);
    const target = Object.entries(request.headers).find(([name]) => name.toLowerCase() === 'x-amz-target')?.[1];
    if (target?.endsWith('.PutRecords') && answer.response.statusCode === 200) {
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
