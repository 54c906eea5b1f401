import { DEFAULTS } from '../defaults.js';
/**
 * How a shard's allowed rate reacts to the service: down fast on throttles, back up slowly on success.
 *
 * @example
 * ```ts
 * import { createProducer, type AdaptiveRateOptions } from 'rxjs-kinesis';
 * const adaptiveRate: AdaptiveRateOptions = { decreaseFactor: 0.5, increasePerSecond: 0.02 }; // back off harder, recover slower
 * const producer = createProducer({ client, streamName: 'events', adaptiveRate });
 * ```
 */
export interface AdaptiveRateOptions {
  /** Lowest rate, as a fraction of the top rate. Default 0.05. */
  minFraction?: number;
  /** Multiplier applied on a throttle. Default 0.8. */
  decreaseFactor?: number;
  /** Rate regained per second of success, as a fraction of the top rate. Default 0.05. */
  increasePerSecond?: number;
  /** One throttle decrease per this many ms: the throttles of one burst count once. Default 200. */
  cooldownMs?: number;
}

/**
 * A rate under additive-increase / multiplicative-decrease control.
 *
 * @example
 * ```ts
 * const rate: AdaptiveRate = createAdaptiveRate(500, { minFraction: 0.1 }); // 50 to 500 calls per second
 * if (response.status === 429) rate.throttled(Date.now());
 * else rate.succeeded(Date.now());
 * const gapMs = 1000 / rate.rate;
 * ```
 */
export interface AdaptiveRate {
  /** Current rate, in the top rate's unit. */
  readonly rate: number;
  /** The service throttled: decrease (at most once per cooldown). Returns whether the rate changed. */
  throttled(now: number): boolean;
  /** The service accepted everything: regain rate in proportion to the time since the last change. */
  succeeded(now: number): void;
}

/**
 * Creates an AIMD-controlled rate that starts at `top`.
 *
 * @example
 * ```ts
 * const r = createAdaptiveRate(1000);
 * r.throttled(0); // r.rate === 800
 * r.succeeded(1000); // r.rate === 850
 * ```
 */
export function createAdaptiveRate(top: number, options: AdaptiveRateOptions = {}): AdaptiveRate {
  const o = { ...DEFAULTS.adaptiveRate, ...options };
  const floor = top * o.minFraction;
  let rate = top;
  let lastDecrease = -Infinity;
  let lastChange: number | undefined;
  return {
    get rate() {
      return rate;
    },
    throttled(now) {
      lastChange = now;
      if (now - lastDecrease < o.cooldownMs) return false;
      lastDecrease = now;
      const next = Math.max(floor, rate * o.decreaseFactor);
      const changed = next !== rate;
      rate = next;
      return changed;
    },
    succeeded(now) {
      if (lastChange !== undefined && rate < top) {
        rate = Math.min(top, rate + (top * o.increasePerSecond * (now - lastChange)) / 1000);
      }
      lastChange = now;
    },
  };
}
