/**
 * The producers under test, each behind one small interface so the worker drives them alike. Every one
 * gets the same values, turns them into the same records (partition key `device-<id mod keys>`, data
 * `JSON.stringify(value)`) and sends to the same local Kinesis. Each is configured as its README shows,
 * with its batch size and linger set to what ours uses (500 entries, 100 ms) where it has such settings.
 *
 * "Accepted" is what each contender lets us observe: our outcome (`ok: true`); for the peers, the entry's
 * success in a PutRecords answer, seen by a hook on the SDK client they use (none of them reports a
 * per-value outcome).
 */
import { PutRecordsCommand, KinesisClient, type PutRecordsCommandInput, type PutRecordsCommandOutput } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Subject, bufferTime, filter, mergeMap } from 'rxjs';
import type { ProducerOptions } from '../../../src/index.js';
import { CREDENTIALS, idOfData, loadOurs, loadOursKinesis, requirePeer, type BenchValue, type Target } from './common.js';

export const CONTENDERS = ['rxjs-kinesis+agg', 'rxjs-kinesis', 'rxjs-kinesis-nometrics', 'rxjs+sdk', 'aws-kinesis-writable', 'kinesis-streams', 'lifion-kinesis', 'sdk-floor', 'floor'] as const;
export type ContenderName = (typeof CONTENDERS)[number];

/** What the worker learns from a contender. */
export interface Acks {
  /** A value was accepted by the service. */
  ok(id: number): void;
  /** A value ended in a failure the contender reported (ours: a failed outcome). */
  failed(id: number, code: string): void;
  /** A PutRecords entry came back with an ErrorCode (the contender may retry it). */
  entryError(code: string): void;
  /** A whole request failed (after the SDK's own retries). */
  requestError(message: string): void;
}

export interface Contender {
  /** Hands one value to the contender, as a hot source would: without waiting. */
  write(value: BenchValue): void;
  /** The input is over: the contender may flush what it holds. */
  end(): void;
  /** Whether the contender visibly still holds work (queued values, requests in flight, or not finished). */
  busy(): boolean;
}

export interface ContenderConfig {
  target: Target;
  keyOf: (id: number) => string;
  /** Options for our producer on top of `{ client, streamName }` (the case decides rate limits and buffers). */
  ours?: Partial<ProducerOptions>;
}

const LINGER_MS = 100;
const BATCH = 500;

function v3Client(t: Target): KinesisClient {
  return new KinesisClient({ endpoint: t.endpoint, region: t.region, credentials: CREDENTIALS, requestHandler: new NodeHttpHandler() });
}

/** Sends one PutRecords with the v3 SDK and reports each entry. */
async function sendV3(client: KinesisClient, input: PutRecordsCommandInput, acks: Acks): Promise<PutRecordsCommandOutput> {
  const out = await client.send(new PutRecordsCommand(input));
  const records = input.Records!;
  out.Records?.forEach((r, i) => (r.ErrorCode ? acks.entryError(r.ErrorCode) : acks.ok(idOfData(records[i].Data!))));
  return out;
}

/** Ours as a user watching it runs it: metrics$ subscribed, a snapshot a second; or with `metrics: false`, to price them. */
async function ours(c: ContenderConfig, acks: Acks, aggregation: boolean, metrics = true): Promise<Contender> {
  const { createProducer } = await loadOurs();
  const producer = createProducer({
    client: v3Client(c.target),
    streamName: c.target.streamName,
    ...(aggregation ? { aggregation: {} } : {}),
    metrics: metrics ? { intervalMs: 1000 } : false,
    ...c.ours,
  });
  producer.metrics$.subscribe();
  const input = new Subject<BenchValue>();
  let done = false;
  input.pipe(producer.put((v) => ({ partitionKey: c.keyOf(v.id), data: JSON.stringify(v) }))).subscribe({
    next: (o) => (o.ok ? acks.ok(o.value.id) : acks.failed(o.value.id, o.error.code)),
    error: (e) => {
      acks.requestError(`output errored: ${(e as Error).message}`);
      done = true;
    },
    complete: () => void producer.close().then(() => (done = true)),
  });
  return { write: (v) => input.next(v), end: () => input.complete(), busy: () => !done };
}

/**
 * The plain pipeline's batching, `bufferTime(100, null, 500)` + `mergeMap`: each batch goes to `send`,
 * whose failure is reported as a request error.
 */
function batched(acks: Acks, send: (batch: BenchValue[]) => Promise<unknown>): Contender {
  const input = new Subject<BenchValue>();
  let done = false;
  input
    .pipe(
      bufferTime(LINGER_MS, null, BATCH),
      filter((batch) => batch.length > 0),
      mergeMap((batch) => send(batch).catch((e) => acks.requestError((e as Error).message))),
    )
    .subscribe({ complete: () => (done = true) });
  return { write: (v) => input.next(v), end: () => input.complete(), busy: () => !done };
}

/** The brief's plain pipeline: batches of 500 (or what 100 ms gathered), PutRecords, no retry of failed entries. */
async function rxjsSdk(c: ContenderConfig, acks: Acks): Promise<Contender> {
  const client = v3Client(c.target);
  return batched(acks, (batch) =>
    sendV3(client, { StreamName: c.target.streamName, Records: batch.map((v) => ({ PartitionKey: c.keyOf(v.id), Data: Buffer.from(JSON.stringify(v)) })) }, acks),
  );
}

/** The v2 SDK (installed in .bench/peers), its requests counted through its global event hooks. */
let v2InFlight = 0;
function v2(acks: Acks) {
  const AWS = requirePeer('aws-sdk');
  if (!AWS.__benchHooked) {
    AWS.__benchHooked = true;
    AWS.events.on('validate', () => v2InFlight++);
    AWS.events.on('complete', () => v2InFlight--);
    AWS.events.on('success', (response: any) => {
      if (response.request.operation !== 'putRecords') return;
      const records = response.request.params.Records as { Data: string | Uint8Array }[];
      (response.data.Records as { ErrorCode?: string }[]).forEach((r, i) => (r.ErrorCode ? acks.entryError(r.ErrorCode) : acks.ok(idOfData(records[i].Data))));
    });
    AWS.events.on('error', (error: Error, response: any) => {
      if (response.request.operation === 'putRecords') acks.requestError(error.message);
    });
  }
  return AWS;
}

/** v2 SDK settings every v2 peer gets: the local endpoint over plain HTTP/1.1, dummy credentials. */
const v2Options = (t: Target) => ({ endpoint: t.endpoint, sslEnabled: false, region: t.region, ...CREDENTIALS });

async function awsKinesisWritable(c: ContenderConfig, acks: Acks): Promise<Contender> {
  const AWS = v2(acks);
  const KinesisWritable = requirePeer('aws-kinesis-writable');
  const kinesis = new AWS.Kinesis(v2Options(c.target));
  // Its constructor points the global v2 config at EC2 instance metadata; put it back so nothing leaves 127.0.0.1.
  const saved = AWS.config.credentials;
  const stream = new KinesisWritable({
    streamName: c.target.streamName,
    objectMode: true,
    kinesis,
    partitionKey: (v: BenchValue) => c.keyOf(v.id),
    buffer: { length: BATCH, timeout: LINGER_MS / 1000 },
  });
  AWS.config.credentials = saved;
  // Emitted after its retries of a failed request; unhandled it would end the process.
  stream.on('error', (e: Error) => acks.requestError(e.message));
  return {
    write: (v) => stream.write(v),
    end: () => stream.end(),
    busy: () => stream.recordsQueue.length > 0 || v2InFlight > 0,
  };
}

/**
 * kinesis-streams calls `client.putRecords(params).promise()` (the v2 API): this shim runs it on the v3
 * client, turning the data strings into bytes as the v2 SDK would, and counting requests in flight.
 */
function v3Shim(client: KinesisClient, acks: Acks) {
  return new (class KinesisShim {
    // It logs `client.constructor.__super__.serviceIdentifier` on retries, as a v2 client has it.
    static __super__ = { serviceIdentifier: 'kinesis' };
    inFlight = 0;
    putRecords(params: { StreamName: string; Records: { Data: string; PartitionKey: string }[] }) {
      return {
        promise: () => {
          this.inFlight++;
          const input = { StreamName: params.StreamName, Records: params.Records.map((r) => ({ PartitionKey: r.PartitionKey, Data: Buffer.from(r.Data) })) };
          return sendV3(client, input, acks)
            .catch((e) => {
              // v2 errors carry `retryable`; it retries unless that is false.
              const status = e?.$metadata?.httpStatusCode ?? 500;
              e.retryable = status >= 500 || e?.$retryable !== undefined || /Throughput|Throttl/.test(e?.name ?? '');
              throw e;
            })
            .finally(() => this.inFlight--);
        },
      };
    }
  })();
}

async function kinesisStreams(c: ContenderConfig, acks: Acks): Promise<Contender> {
  const { KinesisWritable } = requirePeer('kinesis-streams') as { KinesisWritable: new (client: object, streamName: string, options: object) => any };
  const shim = v3Shim(v3Client(c.target), acks);
  class Writable extends KinesisWritable {
    getPartitionKey(v: BenchValue) {
      return c.keyOf(v.id);
    }
  }
  const stream = new Writable(shim, c.target.streamName, { highWaterMark: BATCH, wait: LINGER_MS });
  let finished = false;
  stream.on('finish', () => (finished = true));
  stream.on('error', (e: Error) => acks.requestError(e.message));
  return {
    write: (v) => stream.write(v),
    end: () => stream.end(),
    busy: () => !finished || shim.inFlight > 0,
  };
}

/** lifion-kinesis has no batching of its own: the same RxJS batching as the plain pipeline feeds its `putRecords`. */
async function lifionKinesis(c: ContenderConfig, acks: Acks): Promise<Contender> {
  v2(acks);
  const Kinesis = requirePeer('lifion-kinesis');
  const kinesis = new Kinesis({ streamName: c.target.streamName, createStreamIfNeeded: false, ...v2Options(c.target) });
  return batched(acks, (batch) => kinesis.putRecords({ records: batch.map((v) => ({ data: v, partitionKey: c.keyOf(v.id) })) }) as Promise<unknown>);
}

/**
 * Not a producer: the least a producer on the SDK pays. Batches of 500 (or what 100 ms gathered) sent with
 * the request layer alone (`putBatch` of `rxjs-kinesis/kinesis`: each entry's JSON written once, one body,
 * the SDK's client signs and sends it, the answer read with JSON.parse); no routing, limits, retries or
 * outcomes. What a contender costs above this row is its own pipeline.
 */
async function sdkFloor(c: ContenderConfig, acks: Acks): Promise<Contender> {
  const { putBatch } = await loadOursKinesis();
  const client = v3Client(c.target);
  return batched(acks, async (batch) => {
    let bytes = 0;
    const entries = batch.map((v) => {
      const partitionKey = c.keyOf(v.id);
      const data = Buffer.from(JSON.stringify(v));
      const size = partitionKey.length + data.length;
      bytes += size;
      return { id: v.id, shardId: '', partitionKey, explicitHashKey: undefined, data, size, attempts: 0 };
    });
    const result = await putBatch(client, { streamName: c.target.streamName }, { shardId: '', entries, bytes }, { requestTimeoutMs: 10_000 });
    for (const { entry } of result.succeeded) acks.ok(entry.id);
    for (const { code } of [...result.retry, ...result.failed]) acks.entryError(code);
    if (result.requestError) acks.requestError(result.requestError.message);
  });
}

/**
 * Not a producer: the harness's own cost per value (make the value, hand it over, build its record with
 * JSON.stringify and Buffer.from) with nothing sent, so the throughput table shows how much of each
 * contender's CPU time per value is the benchmark's.
 */
async function floor(c: ContenderConfig, acks: Acks): Promise<Contender> {
  let sink = 0;
  return {
    write(v) {
      sink += c.keyOf(v.id).length + Buffer.from(JSON.stringify(v)).length;
      acks.ok(v.id);
    },
    end: () => void sink,
    busy: () => false,
  };
}

export function createContender(name: ContenderName, c: ContenderConfig, acks: Acks): Promise<Contender> {
  switch (name) {
    case 'rxjs-kinesis':
      return ours(c, acks, false);
    case 'rxjs-kinesis+agg':
      return ours(c, acks, true);
    case 'rxjs-kinesis-nometrics':
      return ours(c, acks, false, false);
    case 'rxjs+sdk':
      return rxjsSdk(c, acks);
    case 'aws-kinesis-writable':
      return awsKinesisWritable(c, acks);
    case 'kinesis-streams':
      return kinesisStreams(c, acks);
    case 'lifion-kinesis':
      return lifionKinesis(c, acks);
    case 'sdk-floor':
      return sdkFloor(c, acks);
    case 'floor':
      return floor(c, acks);
  }
}
