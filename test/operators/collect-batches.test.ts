import { NEVER, Subject, map, of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createBatcher, type Batch, type BatchEntry } from '../../src/batch/batcher.js';
import { collectBatches } from '../../src/operators/collect-batches.js';
import type { RoutedRecord } from '../../src/records/route.js';
import { failure } from '../../src/records/outcome.js';

/** Just what batching reads of a routed record. */
const entry = (shardId: string, size = 1) => ({ shardId, size }) as RoutedRecord<unknown>;
const shape = (b: Batch<BatchEntry> | { ok: false }) => ('entries' in b ? `${b.shardId}:${b.entries.length}/${b.bytes}` : 'failure');

function marbles(fn: (helpers: Parameters<Parameters<TestScheduler['run']>[0]>[0], scheduler: TestScheduler) => void) {
  const scheduler = new TestScheduler((a, e) => assert.equal(a, e));
  scheduler.run((helpers) => fn(helpers, scheduler));
}

const op = suite('collectBatches');
op('seals a batch when it reaches maxCount', () =>
  marbles(({ cold, expectObservable }, scheduler) => {
    const src = cold('abc|', { a: entry('s0'), b: entry('s0'), c: entry('s0') });
    const out = src.pipe(collectBatches({ maxCount: 2, lingerMs: 50, scheduler }));
    expectObservable(out.pipe(map(shape))).toBe('-x-(y|)', {
      x: 's0:2/2',
      y: 's0:1/1',
    });
  }),
);
op('seals when the next entry would pass maxBytes', () => {
  const sealed: string[] = [];
  const b = createBatcher<BatchEntry>({ maxBytes: 10, lingerMs: 1000, scheduler: new TestScheduler(() => {}) }, (x) => sealed.push(shape(x)));
  b.add(entry('s0', 6));
  b.add(entry('s0', 4));
  b.add(entry('s0', 3));
  b.add(entry('s0', 8));
  assert.equal(sealed, ['s0:2/10', 's0:1/3']);
  assert.is(b.size, 1);
});
op('keeps one buffer per shard and seals each after the linger time from its first entry', () =>
  marbles(({ cold, expectObservable }, scheduler) => {
    const src = cold('a 9ms b 5ms c 200ms |', { a: entry('s0'), b: entry('s1'), c: entry('s0') });
    const out = src.pipe(collectBatches({ lingerMs: 20, scheduler }));
    expectObservable(out.pipe(map(shape))).toBe('20ms x 9ms y 186ms |', { x: 's0:2/2', y: 's1:1/1' });
  }),
);
op('passes failures through at once', () =>
  marbles(({ cold, expectObservable }, scheduler) => {
    const f = failure('v', 'InvalidRecord', 'bad', false, 0);
    const out = cold('a|', { a: f as any }).pipe(collectBatches({ scheduler }));
    expectObservable(out).toBe('a|', { a: f });
  }),
);
op('empty completes, never stays silent, error flushes then errors', () =>
  marbles(({ cold, expectObservable }, scheduler) => {
    expectObservable(cold<RoutedRecord<unknown>>('|').pipe(collectBatches({ scheduler }))).toBe('|');
    expectObservable(NEVER.pipe(collectBatches({ scheduler }))).toBe('');
    expectObservable(cold<RoutedRecord<unknown>>('#').pipe(collectBatches({ scheduler }))).toBe('#');
  }),
);
op('early unsubscribe cancels the linger timer and does not break unsubscription chains', () => {
  const scheduler = new TestScheduler(() => {});
  const seen: unknown[] = [];
  const sub = of(entry('s0')).pipe(collectBatches({ scheduler, lingerMs: 10 })).subscribe((b) => seen.push(b));
  assert.is(seen.length, 1, 'completion flushes');
  const live = new Subject<RoutedRecord<unknown>>();
  const sub2 = live.pipe(collectBatches({ scheduler, lingerMs: 10 })).subscribe((b) => seen.push(b));
  live.next(entry('s0'));
  sub2.unsubscribe();
  assert.is(live.observed, false);
  assert.is(scheduler.actions.length, 0, 'timer cancelled');
  sub.unsubscribe();
});
op.run();
