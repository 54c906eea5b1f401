import { TestScheduler } from 'rxjs/testing';
import * as assert from 'uvu/assert';

/** Lets promise callbacks (a scripted client's answers) run before virtual time moves on. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Lets zero-delay real timers run too: Bottleneck, the shard limiters' gate, hands each request on
 * through a few `setTimeout(0)` steps that virtual time cannot drive.
 */
async function settleWithTimers(): Promise<void> {
  // A request goes through the gate in about six such steps; ten leave a margin.
  for (let i = 0; i < 10; i++) {
    await settle(2);
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
  }
}

/**
 * RxJS's TestScheduler driven step by step, so code that mixes promises with scheduled timers can run
 * on virtual time: each step lets pending promises settle, then jumps to the next due timer.
 */
export function createVirtualTime(options: { realTimers?: boolean } = {}) {
  const settleStep = options.realTimers ? settleWithTimers : settle;
  const scheduler = new TestScheduler((actual, expected) => assert.equal(actual, expected));
  /** Runs timers due up to `now + ms`, settling promises between them. */
  async function advance(ms: number): Promise<void> {
    const until = scheduler.now() + ms;
    for (let step = 0; step < 100_000; step++) {
      await settleStep();
      const next = scheduler.actions[0];
      if (next === undefined || next.delay > until) break;
      scheduler.maxFrames = next.delay;
      scheduler.flush();
    }
    await settleStep();
    if (scheduler.frame < until) scheduler.frame = until;
  }
  /** Runs until no timer is left (bounded by `limitMs` of virtual time). */
  const runAll = (limitMs = 600_000) => advance(limitMs);
  return { scheduler, advance, runAll };
}
