import { getHeapSpaceStatistics } from 'node:v8';

const newSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;

/** What a child measured about its own memory, in bytes. */
export interface RssFigures {
  /** RSS after setup, before the source started. */
  baselineBytes: number;
  /** Highest RSS sampled after the baseline. */
  peakBytes: number;
  /** The kernel's high-water mark of RSS for the whole process life (ru_maxrss), setup included. */
  maxRssBytes: number;
  /** Highest V8 heap in use, and highest memory V8 accounts outside its heap (ArrayBuffers included), sampled. */
  peakHeapUsedBytes: number;
  peakExternalBytes: number;
  samples: number;
  /** V8's young generation (committed), at the baseline and at most: it grows with the allocation rate. */
  newSpaceAtBaselineBytes: number;
  peakNewSpaceBytes: number;
  /** Every 5th sample after the baseline: [ms since baseline, RSS, heap used, external], sizes in MiB. */
  timeline: number[][];
}

/**
 * Samples this process's memory every `intervalMs`. The peak counts from `markBaseline()`; a sampled
 * peak can miss a spike shorter than the interval, `maxRssBytes` (the kernel's own peak) cannot.
 */
export function sampleRss(intervalMs = 50) {
  let baseline = 0;
  let peak = 0;
  let heap = 0;
  let external = 0;
  let samples = 0;
  let newSpaceAtBaseline = 0;
  let peakNewSpace = 0;
  let since = performance.now();
  let timeline: number[][] = [];
  const MiB = 1024 * 1024;
  const read = () => {
    const m = process.memoryUsage();
    if (samples % 5 === 0) timeline.push([Math.round(performance.now() - since), ...[m.rss, m.heapUsed, m.external].map((b) => Math.round(b / MiB))]);
    peak = Math.max(peak, m.rss);
    heap = Math.max(heap, m.heapUsed);
    external = Math.max(external, m.external);
    peakNewSpace = Math.max(peakNewSpace, newSpace());
    samples++;
  };
  const timer = setInterval(read, intervalMs);
  return {
    markBaseline(): number {
      baseline = process.memoryUsage().rss;
      peak = baseline;
      heap = 0;
      external = 0;
      samples = 0;
      newSpaceAtBaseline = newSpace();
      peakNewSpace = newSpaceAtBaseline;
      since = performance.now();
      timeline = [];
      return baseline;
    },
    stop(): RssFigures {
      clearInterval(timer);
      read();
      return {
        baselineBytes: baseline,
        peakBytes: peak,
        maxRssBytes: process.resourceUsage().maxRSS * 1024,
        peakHeapUsedBytes: heap,
        peakExternalBytes: external,
        samples,
        newSpaceAtBaselineBytes: newSpaceAtBaseline,
        peakNewSpaceBytes: peakNewSpace,
        timeline,
      };
    },
  };
}
