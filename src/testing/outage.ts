import type { Exchange } from './exchange.js';
import type { OutageMode, OutageOptions } from './fault-types.js';
import type { Listener } from './listener.js';
import type { StatsRecorder } from './stats.js';

export interface Outages {
  /** True when a request that just arrived meets an outage; the outage has held or destroyed it. */
  meet(exchange: Exchange): boolean;
  /** Asked for every new connection: true when it must be destroyed at once (`reset` mode). */
  refuseConnection(): boolean;
  start(options: OutageOptions): Promise<void>;
  /** Ends the outage under way, if any. */
  end(): void;
  /** Ends any outage without listening again: the endpoint is stopping. */
  dispose(): void;
}

const MODES: readonly OutageMode[] = ['refuse', 'hang', 'reset'];

interface Current {
  mode: OutageMode;
  /** Requests held unanswered in `hang` mode, destroyed when the outage ends. */
  held: Set<Exchange>;
  finish(listenAgain: boolean): void;
}

export function createOutages(listener: Listener, stats: StatsRecorder): Outages {
  let current: Current | undefined;

  function start({ mode, ms }: OutageOptions): Promise<void> {
    if (!MODES.includes(mode)) return Promise.reject(new TypeError(`outage mode must be one of ${MODES.join(', ')}, got ${String(mode)}`));
    if (!(ms >= 0 && Number.isFinite(ms))) return Promise.reject(new RangeError(`outage ms must be a finite number >= 0, got ${ms}`));
    if (current) return Promise.reject(new Error(`an outage (${current.mode}) is already under way; endOutage() ends it`));
    stats.fault('outages');
    return new Promise<void>((resolve, reject) => {
      const paused = mode === 'refuse' ? listener.pause() : Promise.resolve();
      let finished = false;
      const outage: Current = {
        mode,
        held: new Set(),
        finish(listenAgain) {
          if (finished) return;
          finished = true;
          clearTimeout(timer);
          for (const exchange of outage.held) exchange.reset();
          outage.held.clear();
          // The outage lasts until the port listens again, so a new one cannot start half-way through.
          paused
            .then(() => (listenAgain && mode === 'refuse' ? listener.resume() : undefined))
            .finally(() => {
              if (current === outage) current = undefined;
            })
            .then(resolve, reject);
        },
      };
      const timer = setTimeout(() => outage.finish(true), ms);
      current = outage;
    });
  }

  return {
    meet(exchange) {
      if (!current || current.mode === 'refuse') return false;
      stats.fault('outageRequests');
      if (current.mode === 'hang') current.held.add(exchange);
      else exchange.destroyConnection();
      return true;
    },
    refuseConnection() {
      if (current?.mode !== 'reset') return false;
      stats.fault('refusedConnections');
      return true;
    },
    start,
    end: () => current?.finish(true),
    dispose: () => current?.finish(false),
  };
}
