import { Buffer } from 'node:buffer';
import { KinesisClient, PutRecordsCommand, type PutRecordsCommandInput } from '@aws-sdk/client-kinesis';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { base64 as base64Browser } from '../../src/base64/base64.js';
import { base64 as base64Node } from '../../src/base64/base64-node.js';
import { putBatch, type SendableEntry } from '../../src/kinesis/put-records.js';
import { putRecordsBody, sendBody } from '../../src/kinesis/request-body.js';
import type { StreamRef } from '../../src/kinesis/shard-map.js';
import { startLocalKinesis, type LocalKinesis } from '../../src/testing/index.js';
import { readBack } from '../helpers/read-back.js';
import { seededRandom } from '../helpers/random.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
const STOP = 'body captured';

/** The body a client would send for a command, and the headers it was signed with; nothing goes out. */
async function captured(command: PutRecordsCommand): Promise<{ body: Buffer; contentLength: string; input: PutRecordsCommandInput }> {
  const client = new KinesisClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials, maxAttempts: 1 });
  let seen: { body: Buffer; contentLength: string; input: PutRecordsCommandInput } | undefined;
  client.middlewareStack.add(
    () => async (args) => {
      const request = args.request as { body: string | Uint8Array; headers: Record<string, string> };
      seen = { body: Buffer.from(request.body as Uint8Array), contentLength: request.headers['content-length'], input: args.input as PutRecordsCommandInput };
      throw new Error(STOP);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'capture' },
  );
  await client.send(command).then(
    () => assert.unreachable('the request was captured'),
    (e: Error) => assert.is(e.message, STOP),
  );
  client.destroy();
  return seen!;
}

const entry = (partitionKey: string, data: Uint8Array, explicitHashKey?: string): SendableEntry =>
  ({ shardId: 'shardId-000000000000', partitionKey, explicitHashKey, data, size: 0, attempts: 0 });

const random = seededRandom(7);
const bytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
const ENTRIES: SendableEntry[] = [
  entry('a', new TextEncoder().encode('{"n":1}')),
  entry('quote " backslash \\ slash / tab \t newline \n nul \u0000 del \u007f', bytes(3)),
  entry('ünïcödé €uro 𝄞 clef', bytes(1)),
  entry('lone \uD800 surrogate', bytes(2)),
  entry('empty data', new Uint8Array(0)),
  entry('every byte', Uint8Array.from({ length: 256 }, (_, i) => i)),
  entry('a view into a larger buffer', new Uint8Array(bytes(64).buffer, 5, 17)),
  entry('explicit', bytes(10), '340282366920938463463374607431768211455'),
  entry('explicit zero', bytes(10), '0'),
  entry('big', bytes(1024 * 1024 - 100)),
];

const body = suite('PutRecords body: each entry serialized once');

body('is byte for byte what the SDK writes for the same entries, by stream name and by ARN', async () => {
  const streams: StreamRef[] = [
    { streamName: 'events "v2"' },
    { streamARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/events' },
    { streamName: 'events', streamARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/events' },
  ];
  for (const stream of streams) {
    const input = {
      StreamName: stream.streamName,
      StreamARN: stream.streamARN,
      Records: ENTRIES.map((e) => ({ PartitionKey: e.partitionKey, ExplicitHashKey: e.explicitHashKey, Data: e.data })),
    };
    const sdk = await captured(new PutRecordsCommand(input));
    const ours = new PutRecordsCommand(input);
    sendBody(ours, putRecordsBody(stream, ENTRIES.map((e) => ({ ...e, json: undefined }))));
    const mine = await captured(ours);
    assert.is(mine.body.toString('utf8').slice(0, 300), sdk.body.toString('utf8').slice(0, 300));
    assert.ok(mine.body.equals(sdk.body), `the bodies differ for ${JSON.stringify(stream)}`);
    assert.is(mine.contentLength, String(sdk.body.length), 'the content length is the body our middleware put in place');
    assert.is(mine.input.Records?.length, ENTRIES.length, 'middleware after ours sees the records again');
  }
});

body('a retry reuses each entry\u2019s JSON; an entry keeps the JSON of its own first request', () => {
  const entries = ENTRIES.slice(0, 3).map((e) => ({ ...e, json: undefined as string | undefined }));
  const text = (body: Uint8Array) => new TextDecoder().decode(body);
  const first = text(putRecordsBody({ streamName: 's' }, entries));
  const made = entries.map((e) => e.json);
  assert.ok(made.every((j) => typeof j === 'string'));
  Object.assign(entries[1], { json: '"REUSED \u20ac"', jsonBytes: 12 });
  const again = text(putRecordsBody({ streamName: 's' }, [entries[2], entries[1]]));
  assert.is(again, `{"Records":[${made[2]},"REUSED \u20ac"],"StreamName":"s"}`);
  assert.ok(first.includes(made[0]!));
  for (const jsonBytes of [11, 13]) {
    entries[1].jsonBytes = jsonBytes;
    const error = new RegExp(`a piece measured ${jsonBytes} bytes took 12`);
    assert.throws(() => putRecordsBody({ streamName: 's' }, [entries[1]]), error, `a miscounted entry never goes out cut short or padded (${jsonBytes})`);
  }
});

body('putBatch: a body that cannot be made sends nothing and leaves its entries to be retried', async () => {
  const client = new KinesisClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials, maxAttempts: 1 });
  let sent = 0;
  client.middlewareStack.add((next) => (args) => (sent++, next(args)), { step: 'finalizeRequest', name: 'count' });
  const entries = ENTRIES.slice(0, 2).map((e) => ({ ...e, json: '"x"', jsonBytes: 2 }));
  const result = await putBatch(client, { streamName: 's' }, { shardId: 'shardId-000000000000', entries, bytes: 0 }, { requestTimeoutMs: 1_000 });
  client.destroy();
  assert.is(sent, 0, 'no request went out');
  assert.equal(result.retry.map((r) => r.entry), entries);
  assert.match(result.retry[0].message, /a piece measured 2 bytes took 3/);
  assert.equal([result.succeeded.length, result.failed.length, result.split.length], [0, 0, 0]);
});

body('base64: the browser and Node encoders agree with Buffer on every length and offset', () => {
  for (const n of [0, 1, 2, 3, 4, 5, 100, 8191, 8192, 8193, 3 * 8192 + 1, 100_000]) {
    const data = bytes(n + 3).subarray(3);
    const expected = Buffer.from(data).toString('base64');
    assert.is(base64Browser(data), expected, `browser, ${n} bytes`);
    assert.is(base64Node(data), expected, `node, ${n} bytes`);
    // A Buffer view into a larger Buffer (as Buffer.from(string) gives, from its shared pool): only its own bytes.
    const view = Buffer.concat([Buffer.from([1, 2, 3]), data, Buffer.from([4])]).subarray(3, 3 + n);
    assert.is(base64Node(view), expected, `node, a Buffer view of ${n} bytes`);
  }
});
body.run();

let local: LocalKinesis;
const stored = suite('PutRecords body: against the local Kinesis', {});
stored.before(async () => {
  local = await startLocalKinesis();
  await local.createStream('body', 1);
});
stored.after(async () => {
  await local?.stop();
});

stored('the service stores every entry as given, over HTTP/1.1 and HTTP/2, and a retried request sends the same entries', async () => {
  for (const client of [local.client(), new KinesisClient({ endpoint: local.endpoint, region: 'us-east-1', credentials })]) {
    const entries = ENTRIES.slice(0, 9).map((e) => ({ ...e, json: undefined }));
    const first = await putBatch(client, { streamName: 'body' }, { shardId: 'shardId-000000000000', entries, bytes: 0 }, { requestTimeoutMs: 10_000 });
    assert.is(first.succeeded.length, entries.length, JSON.stringify(first.failed.concat(first.retry).map((f) => f.message)));
    const json = entries.map((e) => e.json);
    const second = await putBatch(client, { streamName: 'body' }, { shardId: 'shardId-000000000000', entries, bytes: 0 }, { requestTimeoutMs: 10_000 });
    assert.is(second.succeeded.length, entries.length);
    assert.equal(entries.map((e) => e.json), json, 'the second request reused the JSON');
  }
  const records = (await readBack(local.client(), 'body')).get('shardId-000000000000')!;
  assert.is(records.length, 4 * 9);
  for (let i = 0; i < records.length; i++) {
    const e = ENTRIES[i % 9];
    assert.is(records[i].PartitionKey, e.partitionKey, 'a lone surrogate too: JSON escapes it as \\ud800');
    assert.ok(Buffer.from(records[i].Data!).equals(Buffer.from(e.data)), `data of ${JSON.stringify(e.partitionKey)}`);
  }
});
stored.run();
