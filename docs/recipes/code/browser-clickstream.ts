import { KinesisClient } from '@aws-sdk/client-kinesis';
import { fromEvent, map, merge, type Observable } from 'rxjs';
import { createProducer } from 'rxjs-kinesis';

/**
 * What `fromCognitoIdentityPool({ identityPoolId, clientConfig: { region } })` from
 * `@aws-sdk/credential-providers` returns: a function the SDK calls for temporary credentials,
 * again before they expire.
 */
export type CredentialsProvider = () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date }>;

export interface Click {
  sessionId: string;
  seq: number;
  target: string;
  x: number;
  y: number;
  at: number;
}

export interface ClickstreamOptions {
  region: string;
  streamName: string;
  credentials: CredentialsProvider;
  /** Only to send to a local Kinesis; leave it out for AWS. */
  endpoint?: string;
  /** Clicks held at most while Kinesis is slow or unreachable; past that the oldest are dropped. Default 5000. */
  maxBufferedRecords?: number;
  /** More clicks to send beside the page's own (the example app simulates visitors with it). */
  more$?: Observable<Click>;
  /** The interval of `metrics$`, in ms. Default 60,000; the example app draws a snapshot a second. */
  metricsIntervalMs?: number;
}

/** Describes what was clicked, without sending the page's text. */
const describe = (target: EventTarget | null) =>
  target instanceof Element ? `${target.tagName.toLowerCase()}${target.id ? `#${target.id}` : ''}` : 'document';

export function startClickstream({ region, streamName, credentials, endpoint, maxBufferedRecords = 5000, more$, metricsIntervalMs = 60_000 }: ClickstreamOptions) {
  const client = new KinesisClient({ region, credentials, ...(endpoint ? { endpoint } : {}) });
  // A page must never grow without bound: past maxBufferedRecords clicks, drop the oldest.
  const producer = createProducer({ client, streamName, lingerMs: 500, maxBufferedRecords, overflow: 'dropOldest', metrics: { intervalMs: metricsIntervalMs } });

  const sessionId = crypto.randomUUID();
  let seq = 0;
  const pageClicks$ = fromEvent<MouseEvent>(document, 'click').pipe(
    map((e): Click => ({ sessionId, seq: seq++, target: describe(e.target), x: e.clientX, y: e.clientY, at: Date.now() })),
  );

  // The session id is the partition key: each visitor's clicks stay in order on one shard, and
  // thousands of visitors spread over every shard. A browser name would make one shard hot.
  const outcomes$ = (more$ ? merge(pageClicks$, more$) : pageClicks$).pipe(
    producer.put((c) => ({ partitionKey: c.sessionId, data: JSON.stringify(c) })),
  );

  // Leaving the page: send what is buffered now rather than after lingerMs.
  addEventListener('pagehide', () => void producer.close());

  return { sessionId, outcomes$, signals$: producer.signals$, pressure$: producer.pressure$, metrics$: producer.metrics$ };
}
