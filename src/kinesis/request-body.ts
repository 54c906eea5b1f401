import type { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { base64 } from '../base64/base64.js';
import { utf8Encode } from '../utf8/encode.js';
import type { StreamRef } from './shard-map.js';

/** What a PutRecords entry is made of, and its JSON once made. */
export interface BodyEntry {
  partitionKey: string;
  explicitHashKey: string | undefined;
  data: Uint8Array;
  /** The entry as PutRecords JSON, made at its first request and reused by every retry. */
  json?: string;
}

/**
 * One entry of a PutRecords body, with its members in the order the SDK writes them (Data,
 * ExplicitHashKey, PartitionKey), so the body is the very bytes the SDK would send.
 */
export function entryJson(entry: BodyEntry): string {
  const hashKey = entry.explicitHashKey === undefined ? '' : `"ExplicitHashKey":${JSON.stringify(entry.explicitHashKey)},`;
  return `{"Data":"${base64(entry.data)}",${hashKey}"PartitionKey":${JSON.stringify(entry.partitionKey)}}`;
}

/** The PutRecords body (awsJson1_1) for these entries, each serialized once and kept for its retries. */
export function putRecordsBody(stream: StreamRef, entries: readonly BodyEntry[]): string {
  const parts: string[] = new Array(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    parts[i] = e.json ??= entryJson(e);
  }
  const name = stream.streamName === undefined ? '' : `,"StreamName":${JSON.stringify(stream.streamName)}`;
  const arn = stream.streamARN === undefined ? '' : `,"StreamARN":${JSON.stringify(stream.streamARN)}`;
  return `{"Records":[${parts.join(',')}]${name}${arn}}`;
}

/**
 * Makes the command send `body` instead of what the SDK would serialize from its input. The input keeps
 * its records (for the user's own middleware and test doubles): only the SDK's serializer is given the
 * input without them, and right after it the body is put in place, before the content length is
 * taken and the request signed. Both steps are the SDK's public middleware steps: serialize, then
 * build, then signing in finalizeRequest, so the SDK still resolves the endpoint, signs, retries and
 * reads the answer as for any command.
 */
export function sendBody(command: PutRecordsCommand, body: string): void {
  const { input } = command;
  command.middlewareStack.add(
    (next) => (args) => next({ ...args, input: { StreamName: input.StreamName, StreamARN: input.StreamARN, Records: [] } }),
    { step: 'serialize', priority: 'high', name: 'rxjsKinesisEntriesOnce' },
  );
  command.middlewareStack.add(
    (next) => (args) => {
      const request = args.request as { body?: unknown; headers?: Record<string, string> };
      const bytes = utf8Encode(body);
      request.body = bytes;
      if (request.headers !== undefined) {
        for (const name of Object.keys(request.headers)) if (name.toLowerCase() === 'content-length') delete request.headers[name];
        request.headers['content-length'] = String(bytes.byteLength);
      }
      // Later steps see the records again.
      return next({ ...args, input });
    },
    { step: 'build', priority: 'high', name: 'rxjsKinesisBody' },
  );
}
