import { map, mergeMap, range, take, tap, timer, type Observable } from 'rxjs';
import { createProducer, type Producer } from '../../src/producer/create-producer.js';
import type { ProducerOptions } from '../../src/producer/options.js';
import type { PutOutcome } from '../../src/records/outcome.js';
import { decodeAggregate, isAggregate } from '../../src/kpl/index.js';
import type { LocalKinesis } from '../../src/testing/index.js';
import { readBack } from '../helpers/read-back.js';
import { seededRandom } from '../helpers/random.js';

/** A value of an ordering run: its key, and its place among the key's values in arrival order. */
export interface Keyed {
  key: string;
  seq: number;
  data: string;
}

export interface OrderingRun {
  values: number;
  keys: number;
  /** Values offered per second. */
  perSecond: number;
  /** Bytes of each value's data. */
  dataBytes: number;
  seed: number;
}

/** `values` values over `keys` keys (picked at random, seeded), offered in ticks of 10 ms at `perSecond`. */
export function keyedSource(run: OrderingRun): Observable<Keyed> {
  const random = seededRandom(run.seed);
  const next = new Map<string, number>();
  const perTick = Math.max(1, Math.round(run.perSecond / 100));
  const pad = 'x'.repeat(run.dataBytes);
  return timer(0, 10).pipe(
    take(Math.ceil(run.values / perTick)),
    mergeMap((tick) => range(tick * perTick, Math.min(perTick, run.values - tick * perTick))),
    map(() => {
      const key = `key-${Math.floor(random() * run.keys)}`;
      const seq = next.get(key) ?? 0;
      next.set(key, seq + 1);
      const head = `${key}:${seq}:`;
      return { key, seq, data: head + pad.slice(head.length) };
    }),
  );
}

/** Puts the run through a producer with `options`; returns the outcomes and how long the run took, in ms. */
export async function putKeyed(
  local: LocalKinesis,
  streamName: string,
  run: OrderingRun,
  options: Partial<ProducerOptions>,
  watch?: { put(index: number): void; outcome(index: number): void },
) {
  const producer: Producer = createProducer({ client: local.client(), streamName, ...options });
  const outcomes: PutOutcome<Keyed>[] = [];
  const started = performance.now();
  let index = 0;
  await new Promise<void>((resolve, reject) =>
    keyedSource(run)
      .pipe(
        tap(() => watch?.put(index++)),
        producer.put((v) => ({ partitionKey: v.key, data: v.data })),
      )
      .subscribe({
        next: (o) => {
          watch?.outcome(o.index!);
          outcomes.push(o);
        },
        error: reject,
        complete: resolve,
      }),
  );
  const ms = performance.now() - started;
  await producer.close();
  return { outcomes, ms };
}

/**
 * Reads the stream back (aggregates unpacked) and counts, per key, the values whose first stored copy
 * comes after the first stored copy of a later value of the key: order violations. Keys stay on one
 * shard here (no resharding), so a shard's sequence order is the order they were stored.
 */
export async function orderViolations(local: LocalKinesis, streamName: string) {
  const text = new TextDecoder();
  const seen = new Set<string>();
  const highest = new Map<string, number>();
  let violations = 0;
  let stored = 0;
  let firstCopies = 0;
  for (const records of (await readBack(local.client(), streamName)).values()) {
    for (const r of records) {
      const members = isAggregate(r.Data!) ? decodeAggregate(r.Data!).map((m) => m.data) : [r.Data!];
      for (const data of members) {
        stored++;
        const [key, seqText] = text.decode(data).split(':');
        const id = `${key}:${seqText}`;
        if (seen.has(id)) continue;
        seen.add(id);
        firstCopies++;
        const seq = Number(seqText);
        if (seq < (highest.get(key) ?? -1)) violations++;
        else highest.set(key, seq);
      }
    }
  }
  return { violations, stored, firstCopies };
}
