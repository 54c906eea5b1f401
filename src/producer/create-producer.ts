import { Subject, type Subscription } from 'rxjs';
import { createAggregatePacker, type KinesisEntry } from '../batch/aggregate.js';
import type { Batch } from '../batch/batcher.js';
import type { RecordMapper } from '../records/encode.js';
import { KinesisStreamError } from '../errors.js';
import type { BatchResult } from '../kinesis/put-records.js';
import { routeRecord } from '../records/route.js';
import { isLate, planRetry } from '../send/retry-plan.js';
import { createSender } from '../send/sender.js';
import { halves, recordCount, recordsOf, settle } from '../send/settle.js';
import { createAdmission } from './admission.js';
import { createHoldings, type HeldRecord, type Holdings, type OutcomeSink } from './holdings.js';
import { MAX_WAIT_SHARE, resolveOptions, type ProducerOptions } from './options.js';
import { createShardRates } from './shard-rates.js';
import { putOperator } from './put-operator.js';
import { createShardBacklogs, type ShardBacklogs } from './shard-backlogs.js';
import { createShardMapHolder } from './shard-map-holder.js';
import { createKeyOrder } from './key-order.js';
import type { ProducerSignal } from './signals.js';
import type { Producer } from './producer.js';
import { createMetrics, createNoMetrics } from '../metrics/metrics.js';

export type { Producer };

/**
 * Creates a producer for one Kinesis stream: the stages wired once for every pipeline that puts into it.
 * put → encode → route → batch → aggregate → throttle → send → settle → outcome, with retries fed back
 * into routing.
 *
 * @example
 * ```ts
 * import { createProducer } from 'rxjs-kinesis';
 * const producer = createProducer({ client, streamName: 'events' });
 * events$
 *   .pipe(producer.put((e) => ({ partitionKey: e.deviceId, data: JSON.stringify(e) })))
 *   .subscribe((o) => console.log(o.ok ? `${o.shardId} ${o.sequenceNumber}` : o.error.code));
 * await producer.close();
 * ```
 */
export function createProducer(options: ProducerOptions): Producer {
  const o = resolveOptions(options);
  const { scheduler } = o;
  const signals = new Subject<ProducerSignal>();
  const metrics = o.metrics === false ? createNoMetrics() : createMetrics({ scheduler, intervalMs: o.metrics.intervalMs, streamName: o.streamName, pending: () => holdings.totals.records });
  const emit = (signal: ProducerSignal) => {
    if (signal.type === 'batchSent') metrics.request(signal);
    signals.next(signal);
  };
  const sinks = new Set<OutcomeSink<unknown>>();
  let streamError: KinesisStreamError | undefined;
  let closing: Promise<void> | undefined;
  let draining = 0;
  let soon: Subscription | undefined;
  const maxWaitMs = o.recordTtlMs * MAX_WAIT_SHARE;
  const late = (r: HeldRecord<unknown>) => isLate(r, scheduler.now(), o.recordTtlMs);

  const rates = createShardRates(o, emit, () => shardMap.current());
  const packer = o.aggregation === false ? undefined : createAggregatePacker({ ...o.aggregation, maxRecordBytes: o.maxRecordBytes });
  // A key's next unit goes ahead of its shard's queue: it waited its turn behind the key's last one.
  const keys = o.ordering === 'none' ? undefined : createKeyOrder({ scheduler, aggregate: packer, lingerMs: o.batch.lingerMs, release: (records) => routeFirst(records) });
  const backlogs: ShardBacklogs<HeldRecord<unknown>> = createShardBacklogs<HeldRecord<unknown>>({
    scheduler,
    batch: o.batch,
    packer,
    weightOf: rates.weightOf,
    rateOf: rates.rateOf,
    grantWeight: rates.limiters?.maxWeight,
    urgent: (): boolean => draining > 0 || holdings.pressure.level !== 'ok',
    isIdle: (shardId) => sender.isIdle(shardId),
    wake: () => sender.pump(),
    due: (records) => routeFirst(records),
    isLate: late,
    expire: (records, shardId) => holdings.expire(records, undefined, shardId),
    halvesInTurn: keys !== undefined,
  });
  const holdings: Holdings<unknown> = createHoldings({ o, backlogs, maxWaitMs, unroutedWaitMs: rates.unroutedWaitMs, emit, keyWaitMs: keys?.longestWaitMs, keys, metrics });
  const admission = createAdmission({ o, holdings, backlogs, maxWaitMs, rateOf: rates.rateOf, emit, keys });
  const shardMap = createShardMapHolder(o, emit, { loaded: (map) => holdings.mapLoaded(map, route), failed: holdings.mapFailed, breakStream });
  const sender = createSender<KinesisEntry<HeldRecord<unknown>>>({
    ...o,
    limiters: rates.limiters,
    source: backlogs,
    prepare,
    flying: (records) => void (holdings.totals.inFlight += records),
    settled,
    emit,
  });

  /** Route: a new or retried value to its shard's backlog, or to wait for a shard map. */
  function route(r: HeldRecord<unknown>): void {
    if (streamError !== undefined) return holdings.fail(r, streamError.code, streamError.message, false);
    const map = shardMap.current();
    if (map === undefined || !routeRecord(r, map)) {
      holdings.waitForMap(r);
      return shardMap.need();
    }
    queued(backlogs.push(r));
  }

  /** Route retries whose backoff ended: ahead of what queued for their shard meanwhile. */
  function routeFirst(records: HeldRecord<unknown>[]): void {
    const map = shardMap.current();
    if (streamError !== undefined || map === undefined) return records.forEach(route);
    const byShard = new Map<string, HeldRecord<unknown>[]>();
    for (const r of records) {
      if (!routeRecord(r, map)) route(r);
      else if (byShard.has(r.shardId)) byShard.get(r.shardId)!.push(r);
      else byShard.set(r.shardId, [r]);
    }
    byShard.forEach((list, shardId) => queued(backlogs.pushFirst(shardId, list)));
  }

  function queued(ready: 'now' | 'soon' | undefined): void {
    if (ready === 'now') sender.pump();
    else if (ready === 'soon') pumpSoon();
  }

  /** Sends part-filled batches once the values routed in this turn are in, so they go out together. */
  function pumpSoon(): void {
    soon ??= scheduler.schedule(() => {
      soon = undefined;
      sender.pump();
    });
  }

  /** The batch as it goes out: values past their TTL fail (an aggregate with one is unpacked, its others routed again). */
  function prepare(batch: Batch<KinesisEntry<HeldRecord<unknown>>>): typeof batch | undefined {
    const ready = cleared(batch);
    backlogs.replaced(batch, ready);
    return ready;
  }

  function cleared(batch: Batch<KinesisEntry<HeldRecord<unknown>>>): typeof batch | undefined {
    if (streamError !== undefined) return void batch.entries.flatMap(recordsOf).forEach(route);
    if (o.shardMapMaxAgeMs > 0) shardMap.refreshIfOlder(o.shardMapMaxAgeMs);
    // One clock reading for the batch: each record is timed and judged against the same instant.
    const now = scheduler.now();
    const lateNow = (r: HeldRecord<unknown>) => isLate(r, now, o.recordTtlMs);
    let anyLate = false;
    for (const e of batch.entries) {
      if ('records' in e) {
        for (const r of e.records) {
          if (r.attempts === 0) metrics.buffered(batch.shardId, now - r.createdAt);
          anyLate ||= lateNow(r);
        }
      } else {
        if (e.attempts === 0) metrics.buffered(batch.shardId, now - e.createdAt);
        anyLate ||= lateNow(e);
      }
    }
    if (!anyLate) return batch;
    const stale = batch.entries.filter((e) => recordsOf(e).some(lateNow)).flatMap(recordsOf);
    holdings.expire(stale.filter(lateNow), undefined, batch.shardId);
    stale.filter((r) => !lateNow(r)).forEach(route);
    const entries = batch.entries.filter((e) => !recordsOf(e).some(lateNow));
    return entries.length === 0 ? undefined : { shardId: batch.shardId, entries, bytes: entries.reduce((n, e) => n + e.size, 0) };
  }

  /** Settle: each record of an answer is decided, retried after a backoff, or sent again in halves. */
  function settled(batch: Batch<KinesisEntry<HeldRecord<unknown>>>, result: BatchResult<KinesisEntry<HeldRecord<unknown>>>): number {
    rates.answered(batch.shardId, result, backlogs.has(batch.shardId));
    backlogs.answered(batch);
    for (const { entry, shardId } of result.succeeded) metrics.stored(shardId, recordCount(entry), entry.size);
    backlogs.ratesChanged();
    const answer = settle(result, {
      sent: holdings.sent,
      unpredicted: holdings.unverified,
      failed: (r, code, message) => holdings.fail(r, code, message, false),
      retry: (records, code) => retry(batch.shardId, records, code),
      split: (entries) => backlogs.sendFirst(batch.shardId, halves(entries).map((part) => ({ shardId: batch.shardId, entries: part, bytes: part.reduce((n, e) => n + e.size, 0) }))),
      breakStream,
    });
    if (answer.unpredicted) shardMap.refresh('a record landed on a shard the map did not predict');
    return answer.throttled;
  }

  function retry(shardId: string, records: HeldRecord<unknown>[], code: string): void {
    const plan = planRetry(records, scheduler.now(), o.recordTtlMs, o.retry);
    holdings.expire(plan.late, code, shardId);
    if (plan.keep.length === 0) return;
    backlogs.delay(shardId, plan.keep, plan.delayMs);
    emit({ type: 'retryScheduled', shardId, attempt: plan.attempt, delayMs: plan.delayMs, errorCode: code, count: plan.keep.length });
  }

  /** The stream cannot be written: every value held fails (requests in flight settle on their own). */
  function breakStream(code: string, message: string): void {
    if (streamError !== undefined) return;
    streamError = new KinesisStreamError(code, message);
    emit({ type: 'streamError', code, message });
    // Batches at a limiter fail as they go out (prepare); requests in flight settle on their own.
    for (const r of [...(keys?.drain() ?? []), ...holdings.drain()]) holdings.fail(r, code, message, false);
    sinks.forEach((sink) => sink.check());
  }

  const drain = () => {
    draining++;
    pumpSoon();
  };

  return {
    put: <T>(mapper: RecordMapper<T>) =>
      putOperator<T>(
        {
          o,
          closed: () => closing !== undefined,
          streamError: () => streamError,
          offer(record, sink) {
            const map = shardMap.current();
            const shardId = map !== undefined && routeRecord(record, map) ? record.shardId : undefined;
            metrics.received(shardId);
            const refused = admission.admit(record, shardId);
            if (refused !== undefined) return refused;
            const held = Object.assign(record, { sink }) as HeldRecord<unknown>;
            holdings.hold(held);
            if (keys === undefined || keys.enter(held)) route(held);
            holdings.update();
            return undefined;
          },
          emit,
          held: () => holdings.totals,
          sinks,
          beginDrain: drain,
          endDrain: () => void draining--,
        },
        mapper,
      ),
    signals$: signals.asObservable(),
    pressure$: holdings.pressure.pressure$,
    metrics$: metrics.metrics$,
    close() {
      closing ??= (async () => {
        drain();
        await holdings.whenIdle();
        soon?.unsubscribe();
        sender.dispose();
        shardMap.dispose();
        rates.dispose();
        holdings.dispose();
        metrics.close();
        signals.complete();
      })();
      return closing;
    },
  };
}
