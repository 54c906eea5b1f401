import { partitionKeyHash, decimalToHashKey, isValidExplicitHashKey, type HashKey } from '../kinesis/hash.js';
import { PARTITION_KEY_MAX_CHARS, RECORD_DEFAULT_BYTES, RECORD_MAX_BYTES } from '../kinesis/limits.js';
import { failure, type KinesisRecordInput, type PutFailure } from './outcome.js';
import { utf8Encode } from '../utf8/encode.js';
import { utf8Length } from '../utf8/utf8.js';

/**
 * A value checked against the service's rules and ready to route: what every later stage carries.
 *
 * @example
 * ```ts
 * import type { EncodedRecord } from 'rxjs-kinesis';
 * const bytesOf = (records: EncodedRecord<unknown>[]) => records.reduce((n, r) => n + r.size, 0); // as the service counts them
 * ```
 */
export interface EncodedRecord<T> {
  value: T;
  partitionKey: string;
  explicitHashKey: string | undefined;
  data: Uint8Array;
  /** Bytes the service counts for it: partition key (UTF-8) + data. */
  size: number;
  /** The hash key that picks its shard. */
  hashKey: HashKey;
  /** PutRecords requests that carried it so far, the SDK's own retries included. */
  attempts: number;
  /** Set once a request that carried it ended without a readable answer: it may be stored more than once. */
  possibleDuplicate?: boolean;
  /** Time it entered the producer (scheduler clock, ms); its TTL counts from here. */
  createdAt: number;
  /** Its PutRecords entry as JSON, made at its first request and reused by its retries. */
  json?: string;
  /** Length of `json` in UTF-8, in bytes. */
  jsonBytes?: number;
  /** Its value's place in the input of `producer.put` (absent in the stages used alone). */
  index?: number | undefined;
  /** With `ordering: 'perKey'`: the values of its key that travel with it, in one aggregate. */
  unit?: OrderedUnit | undefined;
}

/**
 * Values of one partition key sent together under `ordering: 'perKey'`: the next of the key's values go
 * once all of these have outcomes. With aggregation they travel in one aggregate.
 */
export interface OrderedUnit {
  /** Values of the unit without an outcome yet. */
  pending: number;
  /** At most the bytes they add to an aggregate, with its fixed overhead and their keys. */
  bytes: number;
  /** Values in the unit. */
  count: number;
  /** When the unit went (scheduler clock, ms). */
  since: number;
}

/**
 * Maps a value to the record to send.
 *
 * @example
 * ```ts
 * import type { RecordMapper } from 'rxjs-kinesis';
 * const toRecord: RecordMapper<Click> = (c) => ({ partitionKey: c.sessionId, data: JSON.stringify(c) });
 * clicks$.pipe(producer.put(toRecord));
 * ```
 */
export type RecordMapper<T> = (value: T) => KinesisRecordInput;

/**
 * Options of {@link encodeRecords}: the stream's record limit, so that an oversized value fails here,
 * with its size in the message, rather than in PutRecords.
 *
 * @example
 * ```ts
 * import { encodeRecords, type EncodeOptions } from 'rxjs-kinesis';
 * const options: EncodeOptions = { maxRecordBytes: 2 * 1024 * 1024 }; // a stream whose MaxRecordSizeInKiB is 2048
 * events$.pipe(encodeRecords(toRecord, options));
 * ```
 */
export interface EncodeOptions {
  /**
   * Largest record (partition key + data), in bytes. Default 1 MiB, the service's default; streams whose
   * `MaxRecordSizeInKiB` was raised take up to 10 MiB.
   */
  maxRecordBytes?: number;
}

const INVALID = 'InvalidRecord';

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  return typeof x === 'object' ? `an object (${Object.prototype.toString.call(x).slice(8, -1)})` : typeof x;
}

/** An error's message, or what it prints as; user code may throw anything, even what String() refuses. */
function errorText(err: unknown): string {
  try {
    const message = (err as { message?: unknown } | null | undefined)?.message;
    if (typeof message === 'string') return message;
    return String(err);
  } catch {
    return 'a thrown value that cannot be printed';
  }
}

function preview(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/** Checks the record limit option: 1 byte to 10 MiB. */
export function resolveMaxRecordBytes(maxRecordBytes = RECORD_DEFAULT_BYTES): number {
  if (!Number.isInteger(maxRecordBytes) || maxRecordBytes < 1 || maxRecordBytes > RECORD_MAX_BYTES) {
    throw new RangeError(`maxRecordBytes must be an integer in 1..${RECORD_MAX_BYTES}; got ${maxRecordBytes}`);
  }
  return maxRecordBytes;
}

/**
 * Checks one value's record against the service's rules and encodes it. A value that breaks a rule
 * gets a failed outcome (code `InvalidRecord`) whose message names the rule and what was found.
 *
 * @example
 * ```ts
 * const r = encodeRecord({ id: 'a' }, (v) => ({ partitionKey: v.id, data: 'x' }), 1024 * 1024, 0);
 * // r.size === 2
 * ```
 */
export function encodeRecord<T>(
  value: T,
  mapper: RecordMapper<T>,
  maxRecordBytes: number,
  now: number,
  index?: number,
): EncodedRecord<T> | PutFailure<T> {
  try {
    return check(value, mapper, maxRecordBytes, now, index);
  } catch (err) {
    // The record's own getters, Proxy traps or conversions threw while it was read.
    return failure(value, INVALID, `reading the record function's result threw: ${errorText(err)}`, false, 0, index);
  }
}

function check<T>(value: T, mapper: RecordMapper<T>, maxRecordBytes: number, now: number, index: number | undefined): EncodedRecord<T> | PutFailure<T> {
  let input: KinesisRecordInput;
  try {
    input = mapper(value);
  } catch (err) {
    return failure(value, INVALID, `the record function threw: ${errorText(err)}`, false, 0, index);
  }
  if (input === null || typeof input !== 'object') {
    return failure(value, INVALID, `the record function must return { partitionKey, data }; got ${describe(input)}`, false, 0, index);
  }
  const { partitionKey, data, explicitHashKey } = input;
  if (typeof partitionKey !== 'string') {
    return failure(value, INVALID, `partitionKey must be a string of 1 to ${PARTITION_KEY_MAX_CHARS} characters; got ${describe(partitionKey)}`, false, 0, index);
  }
  // Counted in UTF-16 units, as the service's own validation counts them.
  if (partitionKey.length === 0 || partitionKey.length > PARTITION_KEY_MAX_CHARS) {
    return failure(value, INVALID, `partitionKey must be 1 to ${PARTITION_KEY_MAX_CHARS} characters; got ${partitionKey.length} characters`, false, 0, index);
  }
  if (explicitHashKey !== undefined && !isValidExplicitHashKey(explicitHashKey)) {
    const found = typeof explicitHashKey === 'string' ? preview(explicitHashKey) : describe(explicitHashKey);
    return failure(value, INVALID, `explicitHashKey must be a decimal integer in 0..2^128-1 without leading zeros; got ${found}`, false, 0, index);
  }
  let bytes: Uint8Array;
  if (typeof data === 'string') bytes = utf8Encode(data);
  // A Proxy passes instanceof but is no typed array: the SDK could not serialize it, failing its whole request.
  else if (data instanceof Uint8Array && ArrayBuffer.isView(data)) bytes = data;
  else return failure(value, INVALID, `data must be a string or a Uint8Array; got ${describe(data)}`, false, 0, index);
  const keyBytes = utf8Length(partitionKey);
  const size = keyBytes + bytes.length;
  if (size > maxRecordBytes) {
    return failure(
      value,
      INVALID,
      `record is ${size} bytes (partition key ${keyBytes} + data ${bytes.length}); the limit is ${maxRecordBytes} bytes (maxRecordBytes)`,
      false,
      0,
      index,
    );
  }
  return {
    value,
    partitionKey,
    explicitHashKey,
    data: bytes,
    size,
    hashKey: explicitHashKey === undefined ? partitionKeyHash(partitionKey) : decimalToHashKey(explicitHashKey),
    attempts: 0,
    createdAt: now,
    json: undefined,
    jsonBytes: undefined,
    index,
  };
}

/** Whether a stage item is a value that already failed (and passes through later stages). */
export function isFailure<T>(item: { ok?: boolean } | EncodedRecord<T>): item is PutFailure<T> {
  return (item as PutFailure<T>).ok === false;
}
