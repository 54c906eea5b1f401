import { HASH_KEY_SPACE, MiB, PARTITION_KEY_MAX_CHARS, PUT_RECORDS_MAX_RECORDS } from './constants.js';
import type { ErrorAnswer } from './answer.js';

/** One record to write, as it came in (data still base64) plus its size as the service counts it. */
export interface PutEntry {
  PartitionKey: string;
  Data: string;
  ExplicitHashKey?: string;
  /** Partition key UTF-8 bytes + decoded data bytes. */
  bytes: number;
}

export interface PutRequest {
  streamName: string;
  entries: PutEntry[];
  /** The request names the stream by StreamName, so its body can go to kinesalite unchanged. */
  named: boolean;
  /** PutRecords (true) or PutRecord. */
  batch: boolean;
}

export interface SizeLimits {
  maxRequestBytes: number;
  maxRecordBytes: number;
}

const EXPLICIT_HASH_KEY = /^(0|[1-9]\d{0,38})$/;

/**
 * Reads a PutRecords (`Records`) or PutRecord (the entry at top level) body. Returns undefined for anything it
 * does not understand (not JSON, wrong shapes), which goes to kinesalite so it answers with its own
 * SerializationException or ValidationException.
 */
export function parsePut(body: Buffer, batch: boolean): PutRequest | undefined {
  let input: any;
  try {
    input = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof input !== 'object' || input === null) return undefined;
  const streamName = typeof input.StreamName === 'string' ? input.StreamName : streamNameOfArn(input.StreamARN);
  if (streamName === undefined) return undefined;
  const records: unknown = batch ? input.Records : [input];
  if (!Array.isArray(records) || records.length === 0) return undefined;
  const entries = new Array<PutEntry>(records.length);
  for (let i = 0; i < records.length; i++) {
    const { PartitionKey, Data, ExplicitHashKey } = (records[i] ?? {}) as Record<string, unknown>;
    if (typeof PartitionKey !== 'string' || typeof Data !== 'string') return undefined;
    if (ExplicitHashKey != null && typeof ExplicitHashKey !== 'string') return undefined;
    const bytes = Buffer.byteLength(PartitionKey, 'utf8') + base64Bytes(Data);
    entries[i] = ExplicitHashKey == null ? { PartitionKey, Data, bytes } : { PartitionKey, Data, ExplicitHashKey, bytes };
  }
  return { streamName, entries, named: typeof input.StreamName === 'string', batch };
}

/** Checks the service's size and shape limits; the first violation rejects the whole request, as the service does. */
export function validatePut(request: PutRequest, limits: SizeLimits, batch: boolean): ErrorAnswer | undefined {
  const { entries } = request;
  if (batch && entries.length > PUT_RECORDS_MAX_RECORDS) {
    return validation(`Value '[...${entries.length} entries]' at 'records' failed to satisfy constraint: Member must have length less than or equal to ${PUT_RECORDS_MAX_RECORDS}`);
  }
  let total = 0;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    const at = batch ? `records.${i + 1}.member.` : '';
    const keyLength = entry.PartitionKey.length;
    if (keyLength < 1 || keyLength > PARTITION_KEY_MAX_CHARS) {
      const bound = keyLength < 1 ? 'greater than or equal to 1' : `less than or equal to ${PARTITION_KEY_MAX_CHARS}`;
      return validation(`Value '${entry.PartitionKey}' at '${at}partitionKey' failed to satisfy constraint: Member must have length ${bound}`);
    }
    if (entry.bytes > limits.maxRecordBytes) {
      const dataBytes = base64Bytes(entry.Data);
      const what = dataBytes > limits.maxRecordBytes ? `'java.nio.HeapByteBuffer[pos=0 lim=${dataBytes} cap=${dataBytes}]' at '${at}data'` : `at '${at}partitionKey+data' of ${entry.bytes} bytes`;
      return validation(`Value ${what} failed to satisfy constraint: Member must have length less than or equal to ${limits.maxRecordBytes}`);
    }
    const hashKey = entry.ExplicitHashKey;
    if (hashKey !== undefined) {
      if (!EXPLICIT_HASH_KEY.test(hashKey)) {
        return validation(`Value '${hashKey}' at '${at}explicitHashKey' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})`);
      }
      if (BigInt(hashKey) >= HASH_KEY_SPACE) {
        return invalidArgument(`Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${hashKey}`);
      }
    }
    total += entry.bytes;
  }
  if (batch && total > limits.maxRequestBytes) {
    return invalidArgument(`Records size exceeds ${+(limits.maxRequestBytes / MiB).toFixed(2)} MB limit`);
  }
  return undefined;
}

/** Decoded length of base64 text, without decoding it. */
export function base64Bytes(base64: string): number {
  const length = base64.length;
  if (length === 0) return 0;
  const padding = (base64.charCodeAt(length - 1) === 61 ? 1 : 0) + (base64.charCodeAt(length - 2) === 61 ? 1 : 0);
  return Math.floor((length * 3) / 4) - padding;
}

/** `arn:aws:kinesis:<region>:<account>:stream/<name>` → `<name>`. */
export function streamNameOfArn(arn: unknown): string | undefined {
  if (typeof arn !== 'string') return undefined;
  const at = arn.indexOf(':stream/');
  return at < 0 ? undefined : arn.slice(at + ':stream/'.length);
}

const validation = (message: string): ErrorAnswer => ({ status: 400, type: 'ValidationException', message: `1 validation error detected: ${message}` });
const invalidArgument = (message: string): ErrorAnswer => ({ status: 400, type: 'InvalidArgumentException', message });
