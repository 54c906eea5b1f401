import { createRandom } from './prng.js';
import type { Faults } from './types.js';

/** What happens to a whole PutRecords/PutRecord request, decided when it arrives. */
export type RequestFault = 'hang' | 'reset' | 'http500' | 'http503' | 'throttle';

export interface FaultInjector {
  set(partial: Partial<Faults>): void;
  /** Draws the request-level fault, if any; at most one applies, checked in a fixed order. */
  requestFault(): RequestFault | undefined;
  latencyMs(): number;
  /** Draws whether one entry fails with InternalFailure. */
  entryFails(): boolean;
}

const NO_FAULTS: Faults = {
  internalFailureRate: 0,
  throttleRequestRate: 0,
  http500Rate: 0,
  http503Rate: 0,
  resetRate: 0,
  hangRate: 0,
  latencyMs: 0,
  latencyJitterMs: 0,
};

const RATES = ['internalFailureRate', 'throttleRequestRate', 'http500Rate', 'http503Rate', 'resetRate', 'hangRate'] as const;

/** Order in which request faults are drawn; each is an independent draw so its observed rate is its own. */
const REQUEST_FAULTS: ReadonlyArray<[RequestFault, keyof Faults]> = [
  ['hang', 'hangRate'],
  ['reset', 'resetRate'],
  ['http500', 'http500Rate'],
  ['http503', 'http503Rate'],
  ['throttle', 'throttleRequestRate'],
];

export function createFaults(initial: Partial<Faults> | undefined, seed: number): FaultInjector {
  const random = createRandom(seed);
  const faults: Faults = { ...NO_FAULTS };

  function set(partial: Partial<Faults>): void {
    for (const name of RATES) {
      const rate = partial[name];
      if (rate !== undefined && !(rate >= 0 && rate <= 1)) throw new RangeError(`${name} must be within [0, 1], got ${rate}`);
    }
    for (const name of ['latencyMs', 'latencyJitterMs'] as const) {
      const ms = partial[name];
      if (ms !== undefined && !(ms >= 0 && Number.isFinite(ms))) throw new RangeError(`${name} must be a finite number >= 0, got ${ms}`);
    }
    Object.assign(faults, partial);
  }
  set(initial ?? {});

  // A rate of 0 draws nothing: runs with the same faults and seed see the same sequence, and no faults cost nothing.
  const draw = (rate: number) => rate > 0 && random() < rate;

  return {
    set,
    requestFault() {
      for (const [fault, rate] of REQUEST_FAULTS) if (draw(faults[rate])) return fault;
      return undefined;
    },
    latencyMs() {
      return faults.latencyMs + (faults.latencyJitterMs > 0 ? random() * faults.latencyJitterMs : 0);
    },
    entryFails() {
      return draw(faults.internalFailureRate);
    },
  };
}
