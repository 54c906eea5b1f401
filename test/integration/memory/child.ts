import { createInterface } from 'node:readline';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { range } from 'rxjs';
import { createProducer } from '../../../src/index.js';

/** Where a child sends: the parent's local Kinesis. */
export interface Target {
  endpoint: string;
  region: string;
  streamName: string;
  /** A one-shard stream the child warms the SDK and its sockets on before the baseline. */
  warmupStream: string;
}

/** The child's configuration: one JSON argument. */
export function readConfig<C>(): C {
  return JSON.parse(process.argv[2] ?? '{}') as C;
}

/** One JSON line to the parent; the last one is the result. */
export function report(message: object): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

const parentLines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

/** Tells the parent `event` and waits for its one-line answer (the parent sets faults in between). */
export async function askParent(event: string, details: object = {}): Promise<Record<string, unknown>> {
  report({ event, ...details });
  const line = await parentLines.next();
  if (line.done) throw new Error(`the parent closed stdin before answering ${event}`);
  return JSON.parse(line.value) as Record<string, unknown>;
}

export function clientFor(t: Target): KinesisClient {
  return new KinesisClient({
    endpoint: t.endpoint,
    region: t.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: new NodeHttpHandler(),
  });
}

/**
 * Sends a few hundred values through a throwaway producer so that the SDK's lazy modules, its
 * serializers and the HTTP agent's sockets exist before the baseline: the measured growth is then
 * the producer's, not the first request's.
 */
export async function warmUp(t: Target, client: KinesisClient): Promise<void> {
  const producer = createProducer({ client, streamName: t.warmupStream });
  await new Promise<void>((resolve, reject) =>
    range(0, 300)
      .pipe(producer.put((n) => ({ partitionKey: `warm-${n}`, data: `warm-up value ${n}` })))
      .subscribe({ error: reject, complete: resolve }),
  );
  await producer.close();
}

/** Ends the child once the result is out; timers of a closed SDK client must not keep it alive. */
export function finish(result: object): never {
  report(result);
  process.exit(0);
}

/** Reports an error as the result, so the parent sees why the child failed. */
export function fail(error: unknown): never {
  const e = error as Error;
  report({ error: { name: e?.name, message: e?.message ?? String(error), stack: e?.stack } });
  process.exit(1);
}
