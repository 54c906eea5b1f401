import { KinesisClient } from '@aws-sdk/client-kinesis';
import { fileURLToPath } from 'node:url';
import { interval, lastValueFrom, map, mergeMap, range, take, toArray } from 'rxjs';
import { createProducer, type PutOutcome } from 'rxjs-kinesis';

interface AccountEvent {
  account: string;
  /** The event's place among its account's events, as they happened. */
  seq: number;
  kind: 'deposit' | 'withdrawal';
  cents: number;
}

/** 3,000 events of 100 accounts, 100 every 25 ms: 4,000 a second, twice what 2 shards take. */
const events$ = () => {
  const next = new Map<string, number>();
  return interval(25).pipe(
    take(30),
    mergeMap((tick) => range(tick * 100, 100)),
    map((i): AccountEvent => {
      const account = `account-${(i * 37) % 100}`;
      const seq = next.get(account) ?? 0;
      next.set(account, seq + 1);
      return { account, seq, kind: i % 3 === 0 ? 'withdrawal' : 'deposit', cents: 100 + (i % 900) };
    }),
  );
};

/** Events stored before an earlier event of their account: by sequence number (and sub-sequence number in an aggregate). */
function outOfOrder(outcomes: PutOutcome<AccountEvent>[]): number {
  const position = (o: PutOutcome<AccountEvent>) => (o.ok ? BigInt(o.sequenceNumber) * 100_000n + BigInt(o.subSequenceNumber ?? 0) : -1n);
  const latest = new Map<string, bigint>();
  let late = 0;
  for (const o of [...outcomes].sort((a, b) => a.value.seq - b.value.seq)) {
    const at = position(o);
    if (at < (latest.get(o.value.account) ?? -1n)) late++;
    else latest.set(o.value.account, at);
  }
  return late;
}

export async function send(client: KinesisClient, streamName: string, ordering: 'none' | 'perKey', aggregation = false) {
  const producer = createProducer({ client, streamName, ordering, aggregation: aggregation ? {} : false });
  const outcomes = await lastValueFrom(
    events$().pipe(
      producer.put((e) => ({ partitionKey: e.account, data: JSON.stringify(e) })),
      toArray(),
    ),
  );
  await producer.close();
  const sent = outcomes.filter((o) => o.ok).length;
  const late = outOfOrder(outcomes);
  console.log(`ordering '${ordering}'${aggregation ? ' with aggregation' : ''}: ${sent} sent, ${late} stored before an earlier event of their account`);
  return { sent, late };
}

export async function main({ client = new KinesisClient({}), streamName = 'account-events' } = {}) {
  const none = await send(client, streamName, 'none');
  const perKey = await send(client, streamName, 'perKey');
  const perKeyAggregated = await send(client, streamName, 'perKey', true);
  return { none, perKey, perKeyAggregated };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) void main();
