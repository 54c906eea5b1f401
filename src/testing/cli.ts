import { parseArgs } from 'node:util';
import { startLocalKinesis } from './local-kinesis.js';

const USAGE = `Usage: rxjs-kinesis-local [--port 4567] [--stream name:shards]... [--region us-east-1] [--no-limits] [--fast]
                          [--seed n] [--cors-origin origin]...

Starts kinesalite with a front on 127.0.0.1 that keeps Kinesis' per-shard write budget (1 MiB/s and
1000 records/s) and its request limits, speaks HTTP/2 (cleartext) and HTTP/1.1 on one port, and answers
pages on loopback origins (CORS). Needs kinesalite: npm install --save-dev kinesalite. Stops on SIGINT or SIGTERM.
  --port         port of the front (default 4567; 0 picks a free one, printed on the endpoint line)
  --stream       create a stream, e.g. demo:4 (repeatable)
  --no-limits    do not throttle
  --fast         answer PutRecords in the front without storing (benchmarks)
  --cors-origin  also answer pages on this origin, e.g. http://app.test:8080, or * for any (repeatable)`;

/** Port the command listens on unless told otherwise: kinesalite's customary one. */
const DEFAULT_PORT = 4567;

/** A mistake in the command line: reported with the usage. */
class UsageError extends Error {}

function parseStream(spec: string): { name: string; shards: number } {
  const match = /^([a-zA-Z0-9_.-]{1,128}):(\d+)$/.exec(spec);
  if (!match || Number(match[2]) < 1) throw new UsageError(`--stream expects name:shards (e.g. demo:4), got "${spec}"`);
  return { name: match[1], shards: Number(match[2]) };
}

function parseCommandLine() {
  try {
    const { values } = parseArgs({
      options: {
        port: { type: 'string', default: String(DEFAULT_PORT) },
        stream: { type: 'string', multiple: true, default: [] },
        region: { type: 'string' },
        'no-limits': { type: 'boolean', default: false },
        fast: { type: 'boolean', default: false },
        seed: { type: 'string' },
        'cors-origin': { type: 'string', multiple: true, default: [] },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    });
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port expects 0..65535, got "${values.port}"`);
    return { ...values, port, streams: values.stream.map(parseStream) };
  } catch (error) {
    throw error instanceof UsageError ? error : new UsageError((error as Error).message);
  }
}

async function main(): Promise<void> {
  const options = parseCommandLine();
  if (options.help) {
    console.log(USAGE);
    return;
  }
  const { streams } = options;
  const kinesis = await startLocalKinesis({
    port: options.port,
    region: options.region,
    limits: !options['no-limits'],
    fast: options.fast,
    seed: options.seed === undefined ? undefined : Number(options.seed),
    corsOrigins: options['cors-origin'],
  });
  for (const { name, shards } of streams) await kinesis.createStream(name, shards);

  console.log(`endpoint ${kinesis.endpoint}`);
  console.log(`region   ${kinesis.region}`);
  for (const { name, shards } of streams) console.log(`stream   ${name} (${shards} shard${shards === 1 ? '' : 's'})`);
  console.log(`limits   ${options['no-limits'] ? 'off' : 'on'}${options.fast ? ', fast mode' : ''}`);

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
  const message = (error as Error)?.message ?? String(error);
  if (error instanceof UsageError) {
    console.error(`rxjs-kinesis-local: ${message}\n\n${USAGE}`);
    process.exit(2);
  }
  console.error(`rxjs-kinesis-local: ${message}`);
  process.exit(1);
});
