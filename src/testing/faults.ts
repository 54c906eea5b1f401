import { createRandom } from './prng.js';
import type { Faults } from './types.js';

/** What happens to a whole request, decided when it arrives. */
export type RequestFault = 'hang' | 'reset' | 'goaway' | 'http500' | 'http503' | 'throttle' | 'truncate';

export interface FaultInjector {
  set(partial: Partial<Faults>): void;
  /** Draws the request-level fault of one request, if any; at most one applies, checked in a fixed order. */
  requestFault(operation: string): RequestFault | undefined;
  /** Draws the injected latency of one request of `operation`, in milliseconds. */
  latencyMs(operation: string): number;
  /** Draws whether one entry fails with InternalFailure. */
  entryFails(): boolean;
}

/** Operations the request-level faults apply to unless `operations` says otherwise. */
export const DEFAULT_FAULT_OPERATIONS = ['PutRecords', 'PutRecord'];

const NO_FAULTS: Required<Faults> = {
  internalFailureRate: 0,
  throttleRequestRate: 0,
  http500Rate: 0,
  http503Rate: 0,
  resetRate: 0,
  goawayRate: 0,
  hangRate: 0,
  truncateRate: 0,
  latencyMs: 0,
  latencyJitterMs: 0,
  operations: [...DEFAULT_FAULT_OPERATIONS],
};

const RATES = ['internalFailureRate', 'throttleRequestRate', 'http500Rate', 'http503Rate', 'resetRate', 'goawayRate', 'hangRate', 'truncateRate'] as const;
type Rate = (typeof RATES)[number];

/**
 * Order in which request faults are drawn; each is an independent draw so its observed rate is its own. A rate
 * of 0 draws nothing, so kinds added later leave the sequence of a seed unchanged.
 */
const REQUEST_FAULTS: ReadonlyArray<[RequestFault, Rate]> = [
  ['hang', 'hangRate'],
  ['reset', 'resetRate'],
  ['http500', 'http500Rate'],
  ['http503', 'http503Rate'],
  ['throttle', 'throttleRequestRate'],
  ['goaway', 'goawayRate'],
  ['truncate', 'truncateRate'],
];

export function createFaults(initial: Partial<Faults> | undefined, seed: number): FaultInjector {
  const random = createRandom(seed);
  const faults: Required<Faults> = { ...NO_FAULTS };
  let targets = new Set(faults.operations);

  function set(partial: Partial<Faults>): void {
    for (const name of RATES) {
      const rate = partial[name];
      if (rate !== undefined && !(rate >= 0 && rate <= 1)) throw new RangeError(`${name} must be within [0, 1], got ${rate}`);
    }
    for (const name of ['latencyMs', 'latencyJitterMs'] as const) {
      const ms = partial[name];
      if (ms !== undefined && !(ms >= 0 && Number.isFinite(ms))) throw new RangeError(`${name} must be a finite number >= 0, got ${ms}`);
    }
    const { operations } = partial;
    if (operations !== undefined && !(Array.isArray(operations) && operations.every((o) => typeof o === 'string' && o !== ''))) {
      throw new TypeError(`operations must be an array of operation names such as 'PutRecords', got ${JSON.stringify(operations)}`);
    }
    Object.assign(faults, partial, operations ? { operations: [...operations] } : {});
    targets = new Set(faults.operations);
  }
  set(initial ?? {});

  const draw = (rate: number) => rate > 0 && random() < rate;

  return {
    set,
    requestFault(operation) {
      if (!targets.has(operation)) return undefined;
      for (const [fault, rate] of REQUEST_FAULTS) if (draw(faults[rate])) return fault;
      return undefined;
    },
    latencyMs(operation) {
      if (!targets.has(operation)) return 0;
      return faults.latencyMs + (faults.latencyJitterMs > 0 ? random() * faults.latencyJitterMs : 0);
    },
    entryFails() {
      return draw(faults.internalFailureRate);
    },
  };
}
