import { Observable } from 'rxjs';
import { seededRandom } from '../../helpers/random.js';

export interface HotSourceConfig {
  /** 2,000 values every 10 ms is 200,000 values/s. */
  valuesPerTick: number;
  tickMs: number;
  /** Values to offer; 0 offers until the subscriber unsubscribes. */
  values: number;
  /** Data sizes, uniform in [minBytes, maxBytes]. */
  minBytes: number;
  maxBytes: number;
}

const KEYS = Array.from({ length: 4096 }, (_, i) => `device-${i}`);

/** Each value carries its id in its first 4 bytes, so outcomes can be matched to values. */
export const idOf = (data: Uint8Array) => (data[0] | (data[1] << 8) | (data[2] << 16) | (data[3] << 24)) >>> 0;
export const keyOf = (data: Uint8Array) => KEYS[idOf(data) & 4095];
/** Partition key + data bytes, as the producer counts them. */
export const sizeOf = (data: Uint8Array) => keyOf(data).length + data.length;

/** Fresh values of seeded random sizes: each its own ArrayBuffer, as data read or encoded one by one is. */
export function valueMaker(c: HotSourceConfig): (id: number) => Uint8Array {
  const random = seededRandom(20_250_101);
  return (id) => {
    const data = new Uint8Array(c.minBytes + Math.floor(random() * (c.maxBytes - c.minBytes + 1)));
    data[0] = id;
    data[1] = id >>> 8;
    data[2] = id >>> 16;
    data[3] = id >>> 24;
    return data;
  };
}

/**
 * A hot source: `valuesPerTick` values every `tickMs`, catching up when a tick ran late so the
 * average rate holds as long as the CPU keeps up. Calls `done` once a bounded source offered all.
 */
export function hotSource(c: HotSourceConfig, make: (id: number) => Uint8Array, done: () => void): Observable<Uint8Array> {
  return new Observable<Uint8Array>((subscriber) => {
    const started = performance.now();
    let offered = 0;
    const timer = setInterval(() => {
      const due = Math.floor((performance.now() - started) / c.tickMs) * c.valuesPerTick;
      const target = c.values > 0 ? Math.min(c.values, due) : due;
      while (offered < target && !subscriber.closed) subscriber.next(make(offered++));
      if (c.values > 0 && offered >= c.values) {
        clearInterval(timer);
        done();
        subscriber.complete();
      }
    }, c.tickMs);
    return () => clearInterval(timer);
  });
}
