import fc from 'fast-check';
import { Subject, from, lastValueFrom, toArray } from 'rxjs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkpoints } from '../src/checkpoints.js';
import type { PutOutcome } from '../src/records/outcome.js';

interface Line {
  n: number;
  end: number;
}

const outcomeOf = (line: Line, ok: boolean, index: number | undefined = line.n): PutOutcome<Line> =>
  ok
    ? { ok: true, value: line, shardId: 'shardId-000000000000', sequenceNumber: String(line.n), attempts: 1, index }
    : { ok: false, value: line, error: { code: 'InternalFailure', message: 'x', retryable: true }, attempts: 3, index };

const test = suite('checkpoints: the longest decided input prefix');

test('any order of outcomes: each emission is the last position of a fully decided prefix, emitted as soon as it grows', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 300 }).chain((n) =>
        fc.tuple(
          fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
          fc.array(fc.boolean(), { minLength: n, maxLength: n }),
          fc.array(fc.integer({ min: 1, max: 200 }), { minLength: n, maxLength: n }),
        ),
      ),
      ([order, oks, lengths]) => {
        const n = order.length;
        // Byte offsets of a file: each line ends where the next begins.
        const lines: Line[] = [];
        for (let i = 0, end = 0; i < n; i++) lines.push({ n: i, end: (end += lengths[i]) });
        const input = new Subject<PutOutcome<Line>>();
        const emitted: { after: number; end: number }[] = [];
        let delivered = 0;
        input.pipe(checkpoints((l) => l.end)).subscribe((end) => emitted.push({ after: delivered, end }));
        const decided = new Set<number>();
        let expectedFrontier = 0;
        const expected: { after: number; end: number }[] = [];
        for (const i of order) {
          delivered++;
          decided.add(i);
          const before = expectedFrontier;
          while (decided.has(expectedFrontier)) expectedFrontier++;
          if (expectedFrontier > before) expected.push({ after: delivered, end: lines[expectedFrontier - 1].end });
          input.next(outcomeOf(lines[i], oks[i]));
        }
        input.complete();
        assert.equal(emitted, expected);
        // Strictly increasing, and the whole input at the end.
        for (let k = 1; k < emitted.length; k++) assert.ok(emitted[k].end > emitted[k - 1].end);
        if (n > 0) assert.is(emitted.at(-1)!.end, lines[n - 1].end);
        else assert.is(emitted.length, 0);
      },
    ),
    { numRuns: 300 },
  );
});

test('without a position function it emits how many values from the start are decided', async () => {
  const lines = [0, 1, 2, 3].map((n) => ({ n, end: (n + 1) * 10 }));
  const out = await lastValueFrom(
    from([2, 0, 1, 3].map((i) => outcomeOf(lines[i], i !== 1))).pipe(checkpoints(), toArray()),
  );
  assert.equal(out, [1, 3, 4]);
});

test('never commits past a value without an outcome', async () => {
  const lines = [0, 1, 2, 3].map((n) => ({ n, end: (n + 1) * 10 }));
  const out = await lastValueFrom(
    from([outcomeOf(lines[1], true), outcomeOf(lines[3], true), outcomeOf(lines[0], false)]).pipe(checkpoints((l: Line) => l.end), toArray()),
  );
  assert.equal(out, [20], 'value 2 has no outcome: 30 and 40 stay uncommitted');
});

test('outcomes without an index, or an index twice, end in an error that says why', async () => {
  const line = { n: 0, end: 1 };
  const { index: _, ...unindexed } = outcomeOf(line, true);
  const noIndex = await lastValueFrom(from([unindexed as PutOutcome<Line>]).pipe(checkpoints((l: Line) => l.end))).catch((e: Error) => e);
  assert.instance(noIndex, TypeError);
  assert.match((noIndex as Error).message, /producer\.put\(\) or toKinesis\(\)/);
  const twice = await lastValueFrom(from([outcomeOf(line, true), outcomeOf(line, true)]).pipe(checkpoints((l: Line) => l.end))).catch((e: Error) => e);
  assert.instance(twice, RangeError);
  assert.match((twice as Error).message, /index 0 came twice/);
  const ahead = await lastValueFrom(from([outcomeOf({ n: 2, end: 3 }, true), outcomeOf({ n: 2, end: 3 }, true)]).pipe(checkpoints((l: Line) => l.end))).catch((e: Error) => e);
  assert.instance(ahead, RangeError);
});

test('a position function that throws errors the output', async () => {
  const error = await lastValueFrom(
    from([outcomeOf({ n: 0, end: 1 }, true)]).pipe(
      checkpoints(() => {
        throw new Error('no offset');
      }),
    ),
  ).catch((e: Error) => e);
  assert.is((error as Error).message, 'no offset');
});

test.run();
