import { PutRecordsCommand, type KinesisClient, type PutRecordsRequestEntry, type PutRecordsResultEntry } from '@aws-sdk/client-kinesis';
import { sleep } from './helpers.js';

export interface LoadOptions {
  streamName: string;
  /** Concurrent senders, each sending one request per period, staggered evenly. */
  senders: number;
  periodMs: number;
  entriesPerRequest: number;
  durationMs: number;
  /** The n-th entry offered (0-based, over the whole run). */
  entry(n: number): PutRecordsRequestEntry;
}

export interface Outcome {
  entry: PutRecordsRequestEntry;
  result: PutRecordsResultEntry;
}

export interface LoadResult {
  /** One list per request, entries in request order. */
  requests: Outcome[][];
  /** performance.now() of the first and the last send. */
  firstSendAt: number;
  lastSendAt: number;
  /** performance.now() of every send, in order. */
  sendTimes: number[];
}

/** Offers entries at a fixed pace with the raw SDK; the client must not retry, so the offer is exactly what is sent. */
export async function offerLoad(client: KinesisClient, options: LoadOptions): Promise<LoadResult> {
  const { streamName, senders, periodMs, entriesPerRequest, durationMs } = options;
  const start = performance.now();
  const requests: Outcome[][] = [];
  let offered = 0;
  let lastSendAt = start;
  const sendTimes: number[] = [];
  await Promise.all(
    Array.from({ length: senders }, async (_, sender) => {
      for (let k = 0; ; k++) {
        const offset = (sender * periodMs) / senders + k * periodMs;
        if (offset >= durationMs) return;
        await sleep(start + offset - performance.now());
        const Records = Array.from({ length: entriesPerRequest }, () => options.entry(offered++));
        lastSendAt = Math.max(lastSendAt, performance.now());
        sendTimes.push(performance.now());
        const out = await client.send(new PutRecordsCommand({ StreamName: streamName, Records }), { abortSignal: AbortSignal.timeout(10_000) });
        requests.push(Records.map((entry, i) => ({ entry, result: out.Records![i] })));
      }
    }),
  );
  return { requests, firstSendAt: start, lastSendAt, sendTimes };
}
