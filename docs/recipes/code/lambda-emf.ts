import { KinesisClient } from '@aws-sdk/client-kinesis';
import { fileURLToPath } from 'node:url';
import { from, lastValueFrom, toArray } from 'rxjs';
import { createProducer } from 'rxjs-kinesis';
import { toEmf } from 'rxjs-kinesis/cloudwatch';

/** An SQS event, and the partial batch response that makes SQS redeliver only the failed messages. */
export interface SqsEvent {
  Records: { messageId: string; body: string }[];
}
export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

/** A Lambda runs at most 15 minutes: with this interval, the one snapshot is the one `close()` emits. */
const LAMBDA_MAX_RUN_MS = 15 * 60 * 1000;

/**
 * A handler that sends each SQS message to Kinesis with a producer of its own, closes it before returning, and
 * prints that invocation's metrics as EMF lines: Lambda sends stdout to CloudWatch Logs, which turns them into
 * metrics. No CloudWatch client, no API call, no time added to the invocation.
 */
export function createHandler({ client = new KinesisClient({}), streamName = process.env.STREAM_NAME ?? 'orders', namespace = 'OrdersIngest' } = {}) {
  return async (event: SqsEvent): Promise<SqsBatchResponse> => {
    const producer = createProducer({ client, streamName, metrics: { intervalMs: LAMBDA_MAX_RUN_MS } });
    const snapshot = lastValueFrom(producer.metrics$);
    const outcomes = await lastValueFrom(
      from(event.Records).pipe(
        producer.put((m) => ({ partitionKey: m.messageId, data: m.body })),
        toArray(),
      ),
    );
    await producer.close(); // sends nothing more (every message has its outcome) and emits the snapshot
    for (const line of toEmf(await snapshot, { namespace })) console.log(line);
    return { batchItemFailures: outcomes.filter((o) => !o.ok).map((o) => ({ itemIdentifier: o.value.messageId })) };
  };
}

let defaultHandler: ReturnType<typeof createHandler> | undefined;
/** The function's handler: its client is made at the first invocation and kept while the environment lives. */
export const handler = (event: SqsEvent) => (defaultHandler ??= createHandler())(event);

/** Two invocations, as Lambda would make them, with events of `messages` orders each. */
export async function main({ client = new KinesisClient({}), streamName = 'orders', messages = 500 } = {}) {
  const invoke = createHandler({ client, streamName });
  const responses: SqsBatchResponse[] = [];
  for (const invocation of [1, 2]) {
    const Records = Array.from({ length: messages }, (_, i) => ({ messageId: `m-${invocation}-${i}`, body: JSON.stringify({ order: i, invocation }) }));
    responses.push(await invoke({ Records }));
  }
  return { responses };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) void main();
