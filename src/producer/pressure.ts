import { BehaviorSubject, distinctUntilKeyChanged, type Observable } from 'rxjs';

/**
 * How full the producer is.
 *
 * @example
 * ```ts
 * import type { PressureLevel } from 'rxjs-kinesis';
 * const shouldPause = (level: PressureLevel) => level !== 'ok';
 * producer.pressure$.subscribe((p) => (shouldPause(p.level) ? socket.pause() : socket.resume()));
 * ```
 */
export type PressureLevel = 'ok' | 'high' | 'full';

/**
 * What `pressure$` emits when the level changes: how much the producer holds, and how long a value
 * arriving now would wait on the busiest shard.
 *
 * @example
 * ```ts
 * import type { PressureState } from 'rxjs-kinesis';
 * const line = (p: PressureState) => `${p.level}: ${p.bufferedRecords} values held, ${Math.round(p.expectedWaitMs)} ms wait on ${p.shardId}`;
 * producer.pressure$.subscribe((p) => console.log(line(p)));
 * ```
 */
export interface PressureState {
  /**
   * `'high'` from the high watermark (of the buffer maximums, or of the longest wait a value is accepted
   * for) until below the low one; `'full'` when a value did not fit.
   */
  level: PressureLevel;
  /** Values held: buffered, waiting to retry, or in flight. */
  bufferedRecords: number;
  /** Their bytes (partition keys + data). */
  bufferedBytes: number;
  /** Values in PutRecords requests now. */
  inFlight: number;
  /** How long a value arriving now would wait for its turn on the busiest shard, at that shard's current rate, in ms. */
  expectedWaitMs: number;
  /** The busiest shard (undefined while values wait for the shard map, or none waits). */
  shardId: string | undefined;
}

/**
 * The earlier name of {@link PressureState}.
 *
 * @example
 * ```ts
 * import type { Pressure } from 'rxjs-kinesis';
 * const held = (p: Pressure) => p.bufferedRecords;
 * ```
 */
export type Pressure = PressureState;

/** What pressure is measured against: the memory ceilings, the longest accepted wait, and the watermarks. */
export interface PressureLimits {
  maxBufferedRecords: number;
  maxBufferedBytes: number;
  /** The longest expected wait at which a value is still accepted, in ms. */
  maxWaitMs: number;
  highWatermark: number;
  lowWatermark: number;
}

/** How full, as a fraction of the fullest bound: 1 is a bound reached. */
export function fillOf(records: number, bytes: number, waitMs: number, l: PressureLimits): number {
  return Math.max(records / l.maxBufferedRecords, bytes / l.maxBufferedBytes, waitMs / l.maxWaitMs);
}

/**
 * The level for a fill fraction, given the previous level (the low watermark is a hysteresis). A
 * memory ceiling reached is `'full'`; the wait bound reached is `'high'`, since values for other
 * shards still fit.
 */
export function pressureLevel(fill: number, memoryFull: boolean, previous: PressureLevel, l: PressureLimits): PressureLevel {
  if (memoryFull) return 'full';
  if (fill >= l.highWatermark) return 'high';
  if (previous !== 'ok' && fill > l.lowWatermark) return 'high';
  return 'ok';
}

/** Tracks the level and emits it on changes only. */
export function createPressure(limits: PressureLimits) {
  const subject = new BehaviorSubject<PressureState>({ level: 'ok', bufferedRecords: 0, bufferedBytes: 0, inFlight: 0, expectedWaitMs: 0, shardId: undefined });
  return {
    pressure$: subject.pipe(distinctUntilKeyChanged('level')) as Observable<PressureState>,
    get level() {
      return subject.value.level;
    },
    /** Runs once per value held or released: allocates only when the level changes. `full`: a value did not fit just now. */
    update(records: number, bytes: number, inFlight: number, waitMs: number, shardId: string | undefined, full = false): void {
      const memoryFull = full || records >= limits.maxBufferedRecords || bytes >= limits.maxBufferedBytes;
      const level = pressureLevel(fillOf(records, bytes, waitMs, limits), memoryFull, subject.value.level, limits);
      if (level !== subject.value.level) subject.next({ level, bufferedRecords: records, bufferedBytes: bytes, inFlight, expectedWaitMs: waitMs, shardId });
    },
    complete: () => subject.complete(),
  };
}
