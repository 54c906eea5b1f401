import type { EncodedRecord } from '../records/encode.js';
import type { Holdings, HeldRecord } from './holdings.js';
import type { ResolvedOptions } from './options.js';
import type { ShardBacklogs } from './shard-backlogs.js';
import type { ProducerSignal } from './signals.js';

export interface AdmissionOptions<T> {
  o: ResolvedOptions;
  holdings: Holdings<T>;
  backlogs: ShardBacklogs<HeldRecord<T>>;
  maxWaitMs: number;
  rateOf(shardId: string): number;
  emit(signal: ProducerSignal): void;
  /** With per-key order: how long a value would wait behind its key's earlier values, and the oldest of them. */
  keys?: { waitIfAdded(key: string, dataBytes: number): number; shiftOldest(key: string): HeldRecord<T> | undefined };
}

/**
 * The overflow policy, applied when a value arrives: it fits under the memory ceilings and, once its
 * shard is known, would wait no longer than `maxWaitMs` for it; or with `'dropOldest'` the oldest
 * waiting values make room (of its own shard, for the wait: others would not make it sooner).
 */
export function createAdmission<T>(a: AdmissionOptions<T>) {
  const { o, holdings, backlogs, maxWaitMs } = a;
  const { totals } = holdings;
  const fits = (size: number) => totals.records + 1 <= o.maxBufferedRecords && totals.bytes + size <= o.maxBufferedBytes;
  const waitsTooLong = (shardId: string | undefined, size: number) => shardId !== undefined && backlogs.waitIfAdded(shardId, size) > maxWaitMs;

  function dropOldest(full: () => boolean, take: () => HeldRecord<T> | undefined): number {
    let dropped = 0;
    for (let r = full() ? take() : undefined; r !== undefined; r = full() ? take() : undefined) {
      holdings.fail(r, 'Dropped', 'dropped to make room for newer values (overflow: dropOldest)', true);
      dropped++;
    }
    return dropped;
  }

  /** Why the value does not fit now, or undefined when it does. */
  const keyWait = (r: EncodedRecord<T>) => a.keys?.waitIfAdded(r.partitionKey, r.data.length) ?? 0;

  function refusal(record: EncodedRecord<T>, shardId: string | undefined): string | undefined {
    const { size } = record;
    if (!fits(size)) {
      return `the producer holds ${totals.records} values, ${totals.bytes} bytes (maxBufferedRecords ${o.maxBufferedRecords}, maxBufferedBytes ${o.maxBufferedBytes})`;
    }
    const keyWaitMs = keyWait(record);
    if (keyWaitMs > maxWaitMs) {
      return `it would wait ${Math.round(keyWaitMs)} ms behind earlier values of its partition key '${record.partitionKey}' (ordering: 'perKey' sends one of a key's values, or aggregates, at a time), more than a third of its recordTtlMs (${Math.round(maxWaitMs)} ms)`;
    }
    // Before a shard map there is no shard to time a value against: the memory ceilings alone bound it.
    if (!waitsTooLong(shardId, size)) return undefined;
    const waitMs = backlogs.waitIfAdded(shardId!, size);
    return `it would wait ${Math.round(waitMs)} ms for ${shardId} at its current rate of ${Math.round(a.rateOf(shardId!))} records/s, more than a third of its recordTtlMs (${Math.round(maxWaitMs)} ms)`;
  }

  return {
    /** Makes room for the value if the policy allows; returns why it does not fit, or undefined. */
    admit(record: EncodedRecord<T>, shardId: string | undefined): string | undefined {
      if (refusal(record, shardId) === undefined) return undefined;
      if (o.overflow === 'dropOldest') {
        const oldest = () => backlogs.shiftOldest() ?? holdings.shiftUnrouted() ?? a.keys?.shiftOldest(record.partitionKey);
        let dropped = dropOldest(() => !fits(record.size), oldest);
        if (a.keys !== undefined) dropped += dropOldest(() => keyWait(record) > maxWaitMs, () => a.keys!.shiftOldest(record.partitionKey));
        if (shardId !== undefined) dropped += dropOldest(() => waitsTooLong(shardId, record.size), () => backlogs.shiftOldest(shardId));
        if (dropped > 0) a.emit({ type: 'dropped', count: dropped, policy: 'dropOldest' });
      }
      const reason = refusal(record, shardId);
      if (reason !== undefined) holdings.update(true);
      return reason;
    },
  };
}
