import { KinesisClient } from '@aws-sdk/client-kinesis';
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SQSClient,
  type DeleteMessageBatchCommandOutput,
  type Message,
  type ReceiveMessageCommandOutput,
} from '@aws-sdk/client-sqs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { bufferTime, filter, fromEvent, lastValueFrom, map, merge, mergeMap, reduce, tap, type Observable } from 'rxjs';
import { createProducer, pullFrom, type PutSuccess } from 'rxjs-kinesis';

/** The SQS calls this recipe makes: an SQSClient, or a stand-in in a test. */
export interface SqsClient {
  send(command: ReceiveMessageCommand, options?: { abortSignal?: AbortSignal }): Promise<ReceiveMessageCommandOutput>;
  send(command: DeleteMessageBatchCommand): Promise<DeleteMessageBatchCommandOutput>;
}

export async function main({
  client = new KinesisClient({}),
  streamName = 'orders',
  sqs = new SQSClient({}) as SqsClient,
  queueUrl = process.env.QUEUE_URL ?? 'https://sqs.us-east-1.amazonaws.com/123456789012/orders',
  stop$ = merge(fromEvent(process, 'SIGTERM'), fromEvent(process, 'SIGINT')) as Observable<unknown>,
} = {}) {
  const producer = createProducer({ client, streamName });
  // The stop ends the long poll under way; messages already received are still sent and deleted.
  const stopping = new AbortController();
  const stop = stop$.subscribe(() => stopping.abort());

  let received = 0;
  let failed = 0;
  const tally = await lastValueFrom(
    pullFrom(receiveMessages(sqs, queueUrl, stopping.signal), producer).pipe(
      tap(() => received++),
      producer.put((m) => ({ partitionKey: m.MessageId!, data: m.Body ?? '' })),
      // A failed message is not deleted: SQS delivers it again after its visibility timeout, and moves it to the
      // dead-letter queue of its redrive policy after maxReceiveCount deliveries.
      tap((o) => o.ok || failed++),
      filter((o): o is PutSuccess<Message> => o.ok),
      map((o) => o.value),
      // No order to keep: each message is deleted once it is in Kinesis, up to 10 a request, within a second.
      bufferTime(1000, null, 10),
      filter((messages) => messages.length > 0),
      mergeMap((messages) => deleteMessages(sqs, queueUrl, messages), 4),
      reduce((t, d) => ({ deleted: t.deleted + d.deleted, requests: t.requests + d.requests, retried: t.retried + d.retried, kept: t.kept + d.kept })),
    ),
    { defaultValue: { deleted: 0, requests: 0, retried: 0, kept: 0 } },
  );
  stop.unsubscribe();
  await producer.close();

  console.log(`received ${received} messages, sent ${received - failed} to Kinesis, failed ${failed}`);
  console.log(`deleted ${tally.deleted} in ${tally.requests} DeleteMessageBatch requests (entries retried: ${tally.retried}); not deleted: ${tally.kept}`);
  return { received, failed, ...tally };
}

/** Receives by long polling, up to 10 messages a request, until `signal` aborts. */
async function* receiveMessages(sqs: SqsClient, QueueUrl: string, signal: AbortSignal): AsyncGenerator<Message> {
  while (!signal.aborted) {
    let answer: ReceiveMessageCommandOutput;
    try {
      // From receive to delete a message waits for the producer to take it, up to recordTtlMs (30 s) for its outcome
      // and up to a second to be deleted: keep it hidden longer than that, or SQS delivers it again meanwhile.
      const receive = new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 20, VisibilityTimeout: 60 });
      answer = await sqs.send(receive, { abortSignal: signal });
    } catch (error) {
      if (signal.aborted) return;
      throw error;
    }
    yield* answer.Messages ?? [];
  }
}

/**
 * Deletes up to 10 messages with one DeleteMessageBatch, and again for the entries that failed on SQS's side,
 * 3 attempts in all; an entry that failed on the sender's side (an expired receipt handle) would fail again.
 * A message left undeleted comes back after its visibility timeout and is sent to Kinesis again.
 */
async function deleteMessages(sqs: SqsClient, QueueUrl: string, messages: Message[]) {
  let entries = messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! }));
  let requests = 0;
  let retried = 0;
  let kept = 0;
  for (let attempt = 1; entries.length > 0; attempt++) {
    if (attempt > 3) {
      kept += entries.length;
      break;
    }
    if (attempt > 1) {
      retried += entries.length;
      await sleep(100 * 2 ** attempt);
    }
    requests++;
    let answer: DeleteMessageBatchCommandOutput;
    try {
      answer = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: entries }));
    } catch {
      kept += entries.length; // the SDK retried the request already
      break;
    }
    const failedEntries = answer.Failed ?? [];
    kept += failedEntries.filter((f) => f.SenderFault).length;
    const again = new Set(failedEntries.filter((f) => !f.SenderFault).map((f) => f.Id));
    entries = entries.filter((e) => again.has(e.Id));
  }
  return { deleted: messages.length - kept, requests, retried, kept };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) void main();
