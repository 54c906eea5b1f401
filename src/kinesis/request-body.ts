import type { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { base64 } from '../base64/base64.js';
import { allocBytes, utf8Into } from '../utf8/encode.js';
import { utf8Length } from '../utf8/utf8.js';
import type { StreamRef } from './shard-map.js';

/** What a PutRecords entry is made of, and its JSON once made. */
export interface BodyEntry {
  partitionKey: string;
  explicitHashKey: string | undefined;
  data: Uint8Array;
  /** The entry as PutRecords JSON, made at its first request and reused by every retry. */
  json?: string;
  /** Length of `json` in UTF-8, in bytes. */
  jsonBytes?: number;
}

/**
 * Makes `entry.json`, one entry of a PutRecords body, with its members in the order the SDK writes them
 * (Data, ExplicitHashKey, PartitionKey), so the body is the very bytes the SDK would send.
 */
function serialize(entry: BodyEntry): void {
  const hashKey = entry.explicitHashKey === undefined ? '' : `"ExplicitHashKey":${JSON.stringify(entry.explicitHashKey)},`;
  const key = JSON.stringify(entry.partitionKey);
  const json = `{"Data":"${base64(entry.data)}",${hashKey}"PartitionKey":${key}}`;
  // Base64 and the punctuation are ASCII, a byte a character: only the keys may take more.
  entry.jsonBytes = json.length - hashKey.length - key.length + utf8Length(hashKey) + utf8Length(key);
  entry.json = json;
}

const RECORDS_OPEN = '{"Records":[';
const COMMA = 0x2c;

/** A piece of the body measured wrong would leave it cut short or padded: never sent. */
function written(bytes: number, measured: number): number {
  if (bytes !== measured) throw new Error(`PutRecords body: a piece measured ${measured} bytes took ${bytes}`);
  return bytes;
}

/**
 * The PutRecords body (awsJson1_1) for these entries, as the bytes that go out: each entry serialized
 * once and kept for its retries, then written once into a buffer of the body's exact length. Joining
 * the entries into one string and encoding that copied every byte twice more: a fifth of the CPU a
 * 10 KiB value cost.
 */
export function putRecordsBody(stream: StreamRef, entries: readonly BodyEntry[]): Uint8Array {
  const name = stream.streamName === undefined ? '' : `,"StreamName":${JSON.stringify(stream.streamName)}`;
  const arn = stream.streamARN === undefined ? '' : `,"StreamARN":${JSON.stringify(stream.streamARN)}`;
  const close = `]${name}${arn}}`;
  const closeBytes = utf8Length(close);
  let length = RECORDS_OPEN.length + Math.max(0, entries.length - 1) + closeBytes;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (e.json === undefined || e.jsonBytes === undefined) serialize(e);
    length += e.jsonBytes!;
  }
  const out = allocBytes(length);
  let pos = utf8Into(RECORDS_OPEN, out, 0);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (i > 0) out[pos++] = COMMA;
    pos += written(utf8Into(e.json!, out, pos), e.jsonBytes!);
  }
  pos += written(utf8Into(close, out, pos), closeBytes);
  return out;
}

/**
 * Makes the command send `body` instead of what the SDK would serialize from its input. The input keeps
 * its records (for the user's own middleware and test doubles): only the SDK's serializer is given the
 * input without them, and right after it the body is put in place, before the content length is
 * taken and the request signed. Both steps are the SDK's public middleware steps: serialize, then
 * build, then signing in finalizeRequest, so the SDK still resolves the endpoint, signs, retries and
 * reads the answer as for any command.
 */
export function sendBody(command: PutRecordsCommand, body: Uint8Array): void {
  const { input } = command;
  command.middlewareStack.add(
    (next) => (args) => next({ ...args, input: { StreamName: input.StreamName, StreamARN: input.StreamARN, Records: [] } }),
    { step: 'serialize', priority: 'high', name: 'rxjsKinesisEntriesOnce' },
  );
  command.middlewareStack.add(
    (next) => (args) => {
      const request = args.request as { body?: unknown; headers?: Record<string, string> };
      request.body = body;
      if (request.headers !== undefined) {
        for (const name of Object.keys(request.headers)) if (name.toLowerCase() === 'content-length') delete request.headers[name];
        request.headers['content-length'] = String(body.byteLength);
      }
      // Later steps see the records again.
      return next({ ...args, input });
    },
    { step: 'build', priority: 'high', name: 'rxjsKinesisBody' },
  );
}
