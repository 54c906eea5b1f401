import { PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { classifyCode, classifyError, type ClassifiedError } from './classify.js';
import { readAnswer } from './answer.js';
import { putRecordsBody, sendBody, type BodyEntry } from './request-body.js';
import type { StreamRef } from './shard-map.js';

/**
 * What a batch holds: anything bound for one shard with a size the service counts.
 *
 * @example
 * ```ts
 * import type { BatchEntry } from 'rxjs-kinesis';
 * const entry: BatchEntry = { shardId: 'shardId-000000000000', size: 1_024 }; // partition key + data bytes
 * ```
 */
export interface BatchEntry {
  shardId: string;
  /** Partition key + data bytes. */
  size: number;
}

/**
 * Entries for one shard that fit one PutRecords request.
 *
 * @example
 * ```ts
 * import type { Batch, RoutedRecord } from 'rxjs-kinesis';
 * const describe = (b: Batch<RoutedRecord<unknown>>) => `${b.shardId}: ${b.entries.length} records, ${b.bytes} bytes`;
 * ```
 */
export interface Batch<E extends BatchEntry> {
  shardId: string;
  entries: E[];
  /** Sum of the entries' sizes. */
  bytes: number;
}

/**
 * What PutRecords needs of an entry.
 *
 * @example
 * ```ts
 * import { putBatch, type SendableEntry } from 'rxjs-kinesis/kinesis';
 * const data = new TextEncoder().encode('{"n":1}');
 * const entry: SendableEntry = { shardId: 'shardId-000000000000', partitionKey: 'a', explicitHashKey: undefined, data, size: 1 + data.length, attempts: 0 };
 * await putBatch(client, { streamName: 'events' }, { shardId: entry.shardId, entries: [entry], bytes: entry.size }, { requestTimeoutMs: 10_000 });
 * ```
 */
export interface SendableEntry extends SentRecord, BodyEntry {
  shardId: string;
  size: number;
  /** The user records of an aggregate. */
  records?: readonly SentRecord[];
}

/**
 * What `putBatch` keeps up to date on each record it sends.
 *
 * @example
 * ```ts
 * import type { SentRecord } from 'rxjs-kinesis/kinesis';
 * const note = (r: SentRecord) => `${r.attempts} attempts${r.possibleDuplicate ? ', may be stored twice' : ''}`;
 * ```
 */
export interface SentRecord {
  /** Requests that carried it; `putBatch` adds every request it made, the SDK's own retries included. */
  attempts: number;
  /** Set once a request that carried it ended without a readable answer: it may be stored more than once. */
  possibleDuplicate?: boolean;
}

/**
 * How one PutRecords request went, entry by entry.
 *
 * @example
 * ```ts
 * import type { BatchResult, SendableEntry } from 'rxjs-kinesis/kinesis';
 * const summarize = (r: BatchResult<SendableEntry>) =>
 *   r.requestError ? `request failed: ${r.requestError.code}` : `${r.succeeded.length} ok, ${r.retry.length} to retry, ${r.failed.length} failed`;
 * ```
 */
export interface BatchResult<E> {
  succeeded: { entry: E; shardId: string; sequenceNumber: string }[];
  /** Entries that failed with a code a later attempt may get through. */
  retry: { entry: E; code: string; message: string }[];
  /** Entries that failed for good. */
  failed: { entry: E; code: string; message: string }[];
  /**
   * Entries of a request the service refused as invalid as a whole (`ValidationException`, too large):
   * one of them may be the cause, so send them again in smaller requests to find it.
   */
  split: E[];
  /** Set when the whole request failed; its kind says whether the stream itself is unusable. */
  requestError?: ClassifiedError;
}

/**
 * Options of {@link putBatch}: how long one request may take.
 *
 * @example
 * ```ts
 * import { putBatch, type PutBatchOptions } from 'rxjs-kinesis/kinesis';
 * const options: PutBatchOptions = { requestTimeoutMs: 2_000 }; // give up on a slow request after 2 s
 * const result = await putBatch(client, { streamName: 'events' }, batch, options);
 * ```
 */
export interface PutBatchOptions {
  /** Aborts the request after this many ms (the producer passes its `requestTimeoutMs`). */
  requestTimeoutMs: number;
  /** Clock and timer of the timeout. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/**
 * Sends one batch with PutRecords and sorts its entries into succeeded, retry, failed and split. Each
 * entry is serialized once, at its first request (its `json`), and the body is those pieces joined; the
 * SDK signs, sends and retries it as any command. Never
 * throws: a request-level error puts every entry in `retry`, `failed` or `split` and sets `requestError`.
 * Each record's `attempts` counts the SDK's own retries too, and `possibleDuplicate` is set on the
 * records of a request whose fate was unknown (a reset, a timeout, an answer cut short).
 *
 * @example
 * ```ts
 * const result = await putBatch(client, { streamName: 'events' }, batch, { requestTimeoutMs: 10_000 });
 * console.log(result.succeeded.length, result.retry.length);
 * ```
 */
export async function putBatch<E extends SendableEntry>(
  client: KinesisClient,
  stream: StreamRef,
  batch: Batch<E>,
  options: PutBatchOptions,
): Promise<BatchResult<E>> {
  const { entries } = batch;
  const result: BatchResult<E> = { succeeded: [], retry: [], failed: [], split: [] };
  const controller = new AbortController();
  const timer = (options.scheduler ?? asyncScheduler).schedule(
    () => controller.abort(),
    options.requestTimeoutMs,
  );
  const command = new PutRecordsCommand({
    StreamName: stream.streamName,
    StreamARN: stream.streamARN,
    Records: entries.map((e) => ({ PartitionKey: e.partitionKey, ExplicitHashKey: e.explicitHashKey, Data: e.data })),
  });
  const answer = readAnswer(command, client);
  const tries = countAttempts(command);
  try {
    // In the try: a body that could not be made (a miscounted entry) is an unknown error, retried.
    sendBody(command, putRecordsBody(stream, entries));
    const out = await client.send(command, { abortSignal: controller.signal });
    sent(entries, tries.count || (out.$metadata?.attempts ?? 1), tries.ambiguous);
    const records = answer.records ?? out.Records ?? [];
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      const r = records[i];
      if (r?.SequenceNumber !== undefined && r.ShardId !== undefined && r.ErrorCode === undefined) {
        result.succeeded.push({ entry, shardId: r.ShardId, sequenceNumber: r.SequenceNumber });
      } else {
        // An answer without a result for an entry leaves that entry's fate unknown.
        if (r === undefined) sent([entry], 0, true);
        const code = r?.ErrorCode ?? 'InternalFailure';
        const message = r?.ErrorMessage ?? 'PutRecords returned no result for this entry';
        (classifyCode(code) === 'retryable' ? result.retry : result.failed).push({ entry, code, message });
      }
    }
  } catch (error) {
    const classified = controller.signal.aborted
      ? { code: 'RequestTimeout', message: 'PutRecords did not answer within requestTimeoutMs', kind: 'retryable' as const, ambiguous: true }
      : classifyError(error);
    const attempts = tries.count || attemptsOf(error, classified.code);
    sent(entries, attempts, attempts > 0 && (tries.ambiguous || classified.ambiguous));
    result.requestError = classified;
    const { code, message } = classified;
    if (classified.kind === 'retryable') for (const entry of entries) result.retry.push({ entry, code, message });
    else if (classified.kind === 'invalid' && (entries.length > 1 || entries[0]?.records !== undefined)) result.split.push(...entries);
    else for (const entry of entries) result.failed.push({ entry, code, message });
  } finally {
    timer.unsubscribe();
  }
  return result;
}

/** Codes of requests that stop before they go out: no attempt was made. */
const NOT_SENT = new Set(['ConfigError', 'CredentialsError']);

/** Attempts the SDK reports on an error, for clients whose middleware did not count them (test doubles). */
function attemptsOf(error: unknown, code: string): number {
  const reported = (error as { $metadata?: { attempts?: unknown } } | undefined)?.$metadata?.attempts;
  if (typeof reported === 'number') return reported;
  return NOT_SENT.has(code) ? 0 : 1;
}

/** Adds a request's attempts to each record it carried, and marks them when one attempt's fate is unknown. */
function sent(entries: readonly SendableEntry[], attempts: number, ambiguous: boolean): void {
  const mark = (r: SentRecord) => {
    r.attempts += attempts;
    if (ambiguous) r.possibleDuplicate = true;
  };
  for (const entry of entries) {
    mark(entry);
    if (entry.records !== undefined) entry.records.forEach(mark);
  }
}

/**
 * Counts the attempts the SDK makes for one command (it retries 5xx answers and network errors on its
 * own) and whether one of them failed without a readable answer. A middleware in the `finalizeRequest`
 * step at low priority runs inside the SDK's retry loop, once per attempt.
 */
function countAttempts(command: PutRecordsCommand): { count: number; ambiguous: boolean } {
  const tries = { count: 0, ambiguous: false };
  command.middlewareStack.add(
    (next) => async (args) => {
      tries.count++;
      try {
        return await next(args);
      } catch (error) {
        if (classifyError(error).ambiguous) tries.ambiguous = true;
        throw error;
      }
    },
    { step: 'finalizeRequest', priority: 'low', name: 'rxjsKinesisAttempts' },
  );
  return tries;
}
