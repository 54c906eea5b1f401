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
 * What `pressure$` emits when the level changes.
 *
 * @example
 * ```ts
 * import type { Pressure } from 'rxjs-kinesis';
 * const line = (p: Pressure) => `${p.level}: ${p.bufferedRecords} values, ${p.bufferedBytes} bytes held, ${p.inFlight} in flight`;
 * producer.pressure$.subscribe((p) => console.log(line(p)));
 * ```
 */
export interface Pressure {
  /** `'high'` from the high watermark until below the low one; `'full'` when a value did not fit. */
  level: PressureLevel;
  /** Values held: buffered, waiting to retry, or in flight. */
  bufferedRecords: number;
  /** Their bytes (partition keys + data). */
  bufferedBytes: number;
  /** Values in PutRecords requests now. */
  inFlight: number;
}

interface Limits {
  maxBufferedRecords: number;
  maxBufferedBytes: number;
  highWatermark: number;
  lowWatermark: number;
}

/** The level for a held amount, given the previous level (the low watermark is a hysteresis). */
export function pressureLevel(records: number, bytes: number, previous: PressureLevel, l: Limits): PressureLevel {
  if (records >= l.maxBufferedRecords || bytes >= l.maxBufferedBytes) return 'full';
  if (records >= l.highWatermark * l.maxBufferedRecords || bytes >= l.highWatermark * l.maxBufferedBytes) return 'high';
  if (previous !== 'ok' && (records > l.lowWatermark * l.maxBufferedRecords || bytes > l.lowWatermark * l.maxBufferedBytes)) return 'high';
  return 'ok';
}

/** Tracks the level and emits it on changes only. */
export function createPressure(limits: Limits) {
  const subject = new BehaviorSubject<Pressure>({ level: 'ok', bufferedRecords: 0, bufferedBytes: 0, inFlight: 0 });
  return {
    pressure$: subject.pipe(distinctUntilKeyChanged('level')) as Observable<Pressure>,
    get level() {
      return subject.value.level;
    },
    update(records: number, bytes: number, inFlight: number, full = false): void {
      const level = full ? 'full' : pressureLevel(records, bytes, subject.value.level, limits);
      if (level !== subject.value.level) subject.next({ level, bufferedRecords: records, bufferedBytes: bytes, inFlight });
    },
    complete: () => subject.complete(),
  };
}
