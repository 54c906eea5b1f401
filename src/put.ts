import { PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import type { Batch } from './batch.js';
import { classifyCode, classifyError, type ClassifiedError } from './retry/classify.js';
import type { StreamRef } from './shard-map.js';

/**
 * What PutRecords needs of an entry.
 *
 * @example
 * ```ts
 * import { putBatch, type SendableEntry } from 'rxjs-kinesis';
 * const data = new TextEncoder().encode('{"n":1}');
 * const entry: SendableEntry = { shardId: 'shardId-000000000000', partitionKey: 'a', explicitHashKey: undefined, data, size: 1 + data.length, attempts: 0 };
 * await putBatch(client, { streamName: 'events' }, { shardId: entry.shardId, entries: [entry], bytes: entry.size });
 * ```
 */
export interface SendableEntry {
  shardId: string;
  size: number;
  partitionKey: string;
  explicitHashKey: string | undefined;
  data: Uint8Array;
  /** Requests that carried it; `putBatch` adds one (to it and to the user records of an aggregate). */
  attempts: number;
  /** The user records of an aggregate. */
  records?: readonly { attempts: number }[];
}

/**
 * How one PutRecords request went, entry by entry.
 *
 * @example
 * ```ts
 * import type { BatchResult, SendableEntry } from 'rxjs-kinesis';
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
  /** Set when the whole request failed; its kind says whether the stream itself is unusable. */
  requestError?: ClassifiedError;
}

/** Default bound on one PutRecords request, in ms, after which it is aborted and its entries retried. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/**
 * Options of {@link putBatch}: how long one request may take.
 *
 * @example
 * ```ts
 * import { putBatch, type PutBatchOptions } from 'rxjs-kinesis';
 * const options: PutBatchOptions = { requestTimeoutMs: 2_000 }; // give up on a slow request sooner than the default 10 s
 * const result = await putBatch(client, { streamName: 'events' }, batch, options);
 * ```
 */
export interface PutBatchOptions {
  /** Aborts the request after this many ms. Default 10000. */
  requestTimeoutMs?: number;
  /** Clock and timer of the timeout. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/**
 * Sends one batch with PutRecords and sorts its entries into succeeded, retry and failed. Never
 * throws: a request-level error puts every entry in `retry` or `failed` and sets `requestError`.
 *
 * @example
 * ```ts
 * const result = await putBatch(client, { streamName: 'events' }, batch);
 * console.log(result.succeeded.length, result.retry.length);
 * ```
 */
export async function putBatch<E extends SendableEntry>(
  client: KinesisClient,
  stream: StreamRef,
  batch: Batch<E>,
  options: PutBatchOptions = {},
): Promise<BatchResult<E>> {
  const { entries } = batch;
  const result: BatchResult<E> = { succeeded: [], retry: [], failed: [] };
  const controller = new AbortController();
  const timer = (options.scheduler ?? asyncScheduler).schedule(
    () => controller.abort(),
    options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
  );
  for (const entry of entries) {
    entry.attempts++;
    if (entry.records !== undefined) for (const r of entry.records) r.attempts++;
  }
  try {
    const out = await client.send(
      new PutRecordsCommand({
        StreamName: stream.streamName,
        StreamARN: stream.streamARN,
        Records: entries.map((e) => ({ PartitionKey: e.partitionKey, ExplicitHashKey: e.explicitHashKey, Data: e.data })),
      }),
      { abortSignal: controller.signal },
    );
    const records = out.Records ?? [];
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      const r = records[i];
      if (r?.SequenceNumber !== undefined && r.ShardId !== undefined && r.ErrorCode === undefined) {
        result.succeeded.push({ entry, shardId: r.ShardId, sequenceNumber: r.SequenceNumber });
      } else {
        const code = r?.ErrorCode ?? 'InternalFailure';
        const message = r?.ErrorMessage ?? 'PutRecords returned no result for this entry';
        (classifyCode(code) === 'retryable' ? result.retry : result.failed).push({ entry, code, message });
      }
    }
  } catch (error) {
    const classified = controller.signal.aborted
      ? { code: 'RequestTimeout', message: 'PutRecords did not answer within requestTimeoutMs', kind: 'retryable' as const }
      : classifyError(error);
    result.requestError = classified;
    const bucket = classified.kind === 'retryable' ? result.retry : result.failed;
    for (const entry of entries) bucket.push({ entry, code: classified.code, message: classified.message });
  } finally {
    timer.unsubscribe();
  }
  return result;
}
