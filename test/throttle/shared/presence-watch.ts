import { Redis } from 'ioredis';
import { PRESENCE_WINDOW_MS, keyPrefix } from '../../../src/throttle/shared-limits.js';

/** How often the presence set is read, in ms: well under a process's check interval, so few of its marks go unseen. */
const POLL_MS = 50;

/**
 * Resolves once each of `processes` producer processes sharing `key` has counted all the others at
 * its last presence check, so the share each would fall back to if Redis went away now is 1/`processes`.
 *
 * Each check marks the process with Redis's time and counts the marks younger than the presence
 * window (`presence` in src/limit/redis-scripts.ts). Marks only grow, so if a mark of B seen here lies
 * in the window before A's latest mark, A's latest check counted B. Watching the marks, rather than
 * waiting a fixed time, holds however slowly the processes start or check on a loaded machine.
 */
export async function allSeeEachOther(port: number, key: string, processes: number, timeoutMs: number): Promise<void> {
  const redis = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  const presenceKey = `${keyPrefix(key)}:processes`;
  /** Every mark seen, per process. */
  const marks = new Map<string, Set<number>>();
  const deadline = Date.now() + timeoutMs;
  try {
    await redis.connect();
    while (Date.now() < deadline) {
      const flat = await redis.zrange(presenceKey, 0, -1, 'WITHSCORES');
      for (let i = 0; i < flat.length; i += 2) {
        const seen = marks.get(flat[i]) ?? new Set<number>();
        marks.set(flat[i], seen.add(Number(flat[i + 1])));
      }
      if (countedByAll(marks, processes)) return;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    throw new Error(`the ${processes} producer processes did not all see each other within ${timeoutMs} ms: ${JSON.stringify([...marks].map(([m, s]) => [m, [...s]]))}`);
  } finally {
    redis.disconnect();
  }
}

/** Whether every process's latest check counted every other process, judged from the marks seen. */
function countedByAll(marks: Map<string, Set<number>>, processes: number): boolean {
  if (marks.size !== processes) return false;
  const latest = new Map([...marks].map(([member, seen]) => [member, Math.max(...seen)]));
  for (const [a, checkedAt] of latest) {
    for (const [b, seen] of marks) {
      if (b !== a && ![...seen].some((t) => t < checkedAt && t > checkedAt - PRESENCE_WINDOW_MS)) return false;
    }
  }
  return true;
}
