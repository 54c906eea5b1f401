/** Memory still reachable at one moment: measured after a full GC, so garbage is not counted. */
export interface RetainedProbe {
  at: string;
  /** Values and bytes (partition keys + data) the producer held then. */
  heldRecords: number;
  heldBytes: number;
  /** V8 heap in use plus memory outside it (ArrayBuffers), after the GC. */
  retainedBytes: number;
}

/**
 * Probes retained memory with `gc()` (the child runs with `--expose-gc`): unlike RSS, this does not
 * depend on when V8 chooses to collect, so a bound on it cannot flake. Does nothing without `gc`.
 */
export function retainedProbes(enabled: boolean) {
  const gc = (globalThis as { gc?: () => void }).gc;
  const probes: RetainedProbe[] = [];
  return {
    probes,
    take(at: string, heldRecords: number, heldBytes: number): void {
      if (!enabled || gc === undefined) return;
      // ArrayBuffers freed by a GC leave `external` only once their sweep is done: the second GC waits for it.
      gc();
      gc();
      const m = process.memoryUsage();
      probes.push({ at, heldRecords, heldBytes, retainedBytes: m.heapUsed + m.external });
    },
  };
}
