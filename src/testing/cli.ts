import { parseArgs } from 'node:util';
import { startLocalKinesis } from './localKinesis.js';

const USAGE = `Usage: rxjs-kinesis-local [--port 4567] [--stream name:shards]... [--region us-east-1] [--no-limits] [--fast] [--seed n]

Starts kinesalite with a front on 127.0.0.1 that keeps Kinesis' per-shard write budget (1 MiB/s and
1000 records/s), its request limits, and answers CORS preflights. Stops on SIGINT or SIGTERM.
  --port        port of the front (default 4567; 0 picks a free one)
  --stream      create a stream, e.g. demo:4 (repeatable)
  --no-limits   do not throttle
  --fast        answer PutRecords in the front without storing (benchmarks)`;

/** Port the command listens on unless told otherwise: kinesalite's customary one. */
const DEFAULT_PORT = 4567;

function parseStream(spec: string): { name: string; shards: number } {
  const match = /^([a-zA-Z0-9_.-]{1,128}):(\d+)$/.exec(spec);
  if (!match || Number(match[2]) < 1) throw new Error(`--stream expects name:shards (e.g. demo:4), got "${spec}"`);
  return { name: match[1], shards: Number(match[2]) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: String(DEFAULT_PORT) },
      stream: { type: 'string', multiple: true, default: [] },
      region: { type: 'string' },
      'no-limits': { type: 'boolean', default: false },
      fast: { type: 'boolean', default: false },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port expects 0..65535, got "${values.port}"`);
  const streams = values.stream.map(parseStream);

  const kinesis = await startLocalKinesis({
    port,
    region: values.region,
    limits: !values['no-limits'],
    fast: values.fast,
    seed: values.seed === undefined ? undefined : Number(values.seed),
  });
  for (const { name, shards } of streams) await kinesis.createStream(name, shards);

  console.log(`endpoint ${kinesis.endpoint}`);
  console.log(`region   ${kinesis.region}`);
  for (const { name, shards } of streams) console.log(`stream   ${name} (${shards} shard${shards === 1 ? '' : 's'})`);
  console.log(`limits   ${values['no-limits'] ? 'off' : 'on'}${values.fast ? ', fast mode' : ''}`);

  const stop = (signal: string) => {
    kinesis.stop().then(
      () => {
        console.log(`stopped on ${signal}`);
        process.exit(0);
      },
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`rxjs-kinesis-local: ${(error as Error)?.message ?? error}\n\n${USAGE}`);
  process.exit(2);
});
