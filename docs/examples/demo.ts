/**
 * The demo: IoT device events into a Kinesis stream through `createProducer`, then every shard read
 * back and checked. With no `--stream`, it starts a local Kinesis in this process.
 *
 *   npm run demo -- --help
 *   npm run demo -- --values 100000 --shards 4 [--devices 1000] [--no-aggregation] [--no-limits]
 *   npm run demo -- --stream my-stream --region eu-west-1   # a real stream, default credential chain
 */
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { interval, range, map } from 'rxjs';
import { createProducer, type PutOutcome } from '../../src/index.js';
import { listAllShards } from '../../src/kinesis/index.js';
import { decodeAggregate, isAggregate } from '../../src/kpl/index.js';
import { startLocalKinesis } from '../../src/testing/index.js';
import { readBack } from '../../test/helpers/read-back.js';
import { describeRun, parseDemoArgs } from './demo-args.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** Exit code of a command line that cannot run, as shells and parseArgs-based tools use it. */
const USAGE_ERROR = 2;

const parsed = parseDemoArgs(process.argv.slice(2));
if (parsed.kind === 'help') {
  process.stdout.write(parsed.text);
  process.exit(0);
}
if (parsed.kind === 'invalid') {
  process.stderr.write(`${parsed.message}\n`);
  process.exit(USAGE_ERROR);
}
const args = parsed.options;
const total = args.values;
const devices = args.devices;
const runId = Date.now().toString(36);

interface DeviceEvent {
  run: string;
  seq: number;
  deviceId: string;
  at: number;
  temperature: number;
  humidity: number;
  battery: number;
}

const event = (seq: number): DeviceEvent => ({
  run: runId,
  seq,
  deviceId: `device-${String(seq % devices).padStart(5, '0')}`,
  at: Date.now(),
  temperature: Math.round((18 + Math.random() * 10) * 10) / 10,
  humidity: Math.round(30 + Math.random() * 40),
  battery: Math.round(100 - (seq % 100)),
});

/** A client for `--stream`: the default credential chain, or dummy credentials for a local `--endpoint`. */
function streamClient(): KinesisClient {
  const local = args.endpoint !== undefined && process.env.AWS_ACCESS_KEY_ID === undefined;
  return new KinesisClient({
    ...(args.endpoint ? { endpoint: args.endpoint } : {}),
    ...(args.region ? { region: args.region } : {}),
    ...(local ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
}

async function main(): Promise<number> {
  // The local Kinesis keeps the service's per-shard limits (1000 records/s, 1 MiB/s) unless told not to.
  const local = args.stream === undefined ? await startLocalKinesis({ limits: args.limits }) : undefined;
  const streamName = args.stream ?? 'iot-demo';
  const client = local ? local.client() : streamClient();
  try {
    let shardCount = args.shards;
    if (local) {
      await local.createStream(streamName, shardCount);
      console.log(`local Kinesis at ${local.endpoint}, stream ${streamName} with ${shardCount} shards${args.limits ? '' : ' (shard limits not enforced)'}`);
    } else {
      shardCount = (await listAllShards(client, { streamName })).filter((s) => s.SequenceNumberRange?.EndingSequenceNumber === undefined).length;
      console.log(`stream ${streamName} with ${shardCount} open shards${args.endpoint ? ` at ${args.endpoint}` : ''}`);
    }
    const eventBytes = Buffer.byteLength(JSON.stringify(event(total - 1))) + event(total - 1).deviceId.length;
    console.log(describeRun(args, shardCount, eventBytes));
    // Aggregation packs the small events of each shard into KPL records: ~10x the events per shard-second.
    const producer = createProducer({ client, streamName, aggregation: args.aggregation ? {} : false });
    const counts = { sent: 0, failed: 0, retries: 0 };
    producer.signals$.subscribe((s) => {
      if (s.type === 'retryScheduled') counts.retries += s.count;
    });
    const started = Date.now();
    const progress = () => {
      const seconds = (Date.now() - started) / 1000;
      const done = counts.sent + counts.failed;
      process.stdout.write(
        `\r${Math.round(done / Math.max(seconds, 0.001)).toLocaleString('en')} values/s  sent ${counts.sent}  failed ${counts.failed}  retries ${counts.retries}   `,
      );
    };
    const ticker = interval(250).subscribe(progress);
    const failures: PutOutcome<DeviceEvent>[] = [];
    await new Promise<void>((resolve, reject) =>
      range(0, total)
        .pipe(
          map(event),
          producer.put((e) => ({ partitionKey: e.deviceId, data: JSON.stringify(e) })),
        )
        .subscribe({
          next: (o) => {
            if (o.ok) counts.sent++;
            else {
              counts.failed++;
              if (failures.length < 5) failures.push(o);
            }
          },
          error: reject,
          complete: resolve,
        }),
    );
    await producer.close();
    ticker.unsubscribe();
    progress();
    console.log(`\nsent ${counts.sent} of ${total} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (const f of failures) if (!f.ok) console.log(`failed: ${f.value.deviceId} ${f.error.code}: ${f.error.message}`);

    const seen = new Set<number>();
    let duplicates = 0;
    const rows: string[] = [];
    for (const [shardId, records] of await readBack(client, streamName)) {
      let kinesisRecords = 0;
      let events = 0;
      let bytes = 0;
      for (const r of records) {
        const payloads = isAggregate(r.Data!) ? decodeAggregate(r.Data!).map((u) => u.data) : [r.Data!];
        let mine = false;
        for (const payload of payloads) {
          const e = JSON.parse(Buffer.from(payload).toString('utf8')) as DeviceEvent;
          if (e.run !== runId) continue;
          mine = true;
          events++;
          if (seen.has(e.seq)) duplicates++;
          seen.add(e.seq);
        }
        if (mine) {
          kinesisRecords++;
          bytes += r.Data!.length;
        }
      }
      rows.push(`${shardId.padEnd(22)} ${String(kinesisRecords).padStart(8)} ${String(events).padStart(8)} ${String(bytes).padStart(12)}`);
    }
    console.log(`${'shard'.padEnd(22)} ${'records'.padStart(8)} ${'events'.padStart(8)} ${'bytes'.padStart(12)}`);
    console.log(rows.join('\n'));
    console.log(`verified: ${seen.size} of ${total} values read back${duplicates ? ` (${duplicates} duplicates)` : ''}`);
    return seen.size === total ? 0 : 1;
  } finally {
    client.destroy();
    await local?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error & { code?: string }) => {
    console.error(`\ndemo failed: ${error.code ?? error.name}: ${error.message}`);
    process.exit(1);
  },
);
