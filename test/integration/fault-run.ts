import http from 'node:http';
import type { LookupAddress } from 'node:dns';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { map, take, timer, type Observable } from 'rxjs';
import * as assert from 'uvu/assert';
import type { Producer } from '../../src/producer/create-producer.js';
import type { LocalKinesis } from '../../src/testing/index.js';
import type { PutOutcome } from '../../src/records/outcome.js';
import { readBack } from '../helpers/read-back.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** A value of a fault run: its id is its data, so read-back counts its stored copies. */
export interface Item {
  id: string;
}

/** `count` values, one every `everyMs` (a hot source at a steady pace). */
export const paced = (count: number, everyMs: number): Observable<Item> =>
  timer(0, everyMs).pipe(
    take(count),
    map((i) => ({ id: `v${String(i).padStart(6, '0')}` })),
  );

export const toRecord = (item: Item) => ({ partitionKey: item.id, data: item.id });

/** Puts every value through the producer, closes it, and returns the outcomes. */
export async function runThrough(producer: Producer, source: Observable<Item>): Promise<PutOutcome<Item>[]> {
  const outcomes: PutOutcome<Item>[] = [];
  await new Promise<void>((resolve, reject) =>
    source.pipe(producer.put(toRecord)).subscribe({ next: (o) => outcomes.push(o), error: reject, complete: resolve }),
  );
  await producer.close();
  return outcomes;
}

/** How many copies of each value the stream holds. */
export async function storedCopies(local: LocalKinesis, streamName: string): Promise<Map<string, number>> {
  const copies = new Map<string, number>();
  const text = new TextDecoder();
  for (const records of (await readBack(local.client(), streamName)).values()) {
    for (const r of records) {
      const id = text.decode(r.Data);
      copies.set(id, (copies.get(id) ?? 0) + 1);
    }
  }
  return copies;
}

/**
 * The promise under faults: every value one outcome, every outcome `ok`, every value stored, and a value
 * stored more than once says so (`possibleDuplicate`). Returns figures for the test's log line.
 */
export async function assertAllSent(local: LocalKinesis, streamName: string, count: number, outcomes: PutOutcome<Item>[]) {
  assert.is(outcomes.length, count, 'one outcome per value');
  assert.is(new Set(outcomes.map((o) => o.value.id)).size, count, 'no value has two outcomes');
  const failed = outcomes.filter((o) => !o.ok);
  assert.is(failed.length, 0, `failed: ${JSON.stringify(failed.slice(0, 3).map((o) => !o.ok && o.error))}`);
  const copies = await storedCopies(local, streamName);
  const lost = outcomes.filter((o) => !copies.has(o.value.id));
  assert.is(lost.length, 0, `lost: ${lost.slice(0, 3).map((o) => o.value.id)}`);
  const duplicated = outcomes.filter((o) => copies.get(o.value.id)! > 1);
  const unmarked = duplicated.filter((o) => !(o.ok && o.possibleDuplicate));
  assert.is(unmarked.length, 0, `stored twice without possibleDuplicate: ${unmarked.slice(0, 3).map((o) => o.value.id)}`);
  return {
    ok: outcomes.length,
    storedTwice: duplicated.length,
    markedPossibleDuplicate: outcomes.filter((o) => o.ok && o.possibleDuplicate).length,
    maxAttempts: Math.max(...outcomes.map((o) => o.attempts)),
  };
}

/**
 * A client for the local Kinesis whose name lookups fail while `down()` is true, with the error
 * codes of a DNS or routing outage in turn: what a laptop leaving Wi-Fi or a VPC losing its resolver sees.
 */
export function clientWithFlakyLookup(local: LocalKinesis, down: () => boolean) {
  const codes = ['ENOTFOUND', 'ENETUNREACH', 'EHOSTUNREACH', 'EAI_AGAIN'];
  const seen = new Map<string, number>();
  let turn = 0;
  const lookup = (hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (down()) {
      const code = codes[turn++ % codes.length];
      seen.set(code, (seen.get(code) ?? 0) + 1);
      const error = Object.assign(new Error(`getaddrinfo ${code} ${hostname}`), { code, syscall: 'getaddrinfo', hostname });
      return process.nextTick(callback, error);
    }
    const address: LookupAddress = { address: '127.0.0.1', family: 4 };
    if (options?.all) process.nextTick(callback, null, [address]);
    else process.nextTick(callback, null, address.address, address.family);
  };
  const port = new URL(local.endpoint).port;
  // No keep-alive: each request looks the name up, as new connections do during an outage.
  const httpAgent = new http.Agent({ keepAlive: false, lookup: lookup as never });
  const client = new KinesisClient({
    endpoint: `http://localhost:${port}`,
    region: local.region,
    credentials: local.credentials,
    requestHandler: new NodeHttpHandler({ httpAgent }),
  });
  return { client, seen };
}
