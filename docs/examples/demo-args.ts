/**
 * The demo's command line: its usage, the checks of every flag, and what a run will show and how long
 * it takes. Pure, so the tests check it without starting anything.
 */
import { parseArgs } from 'node:util';
import { SHARD_BYTES_PER_SECOND, SHARD_RECORDS_PER_SECOND } from '../../src/kinesis/limits.js';

export interface DemoOptions {
  values: number;
  shards: number;
  devices: number;
  aggregation: boolean;
  limits: boolean;
  /** A stream that exists: none means a local Kinesis with a new stream. */
  stream?: string;
  region?: string;
  endpoint?: string;
}

export type ParsedArgs = { kind: 'run'; options: DemoOptions } | { kind: 'help'; text: string } | { kind: 'invalid'; message: string };

/** The producer keeps this share of each shard's budget (it keeps 1% for transit jitter). */
const RATE_SHARE = 0.99;
const MAX_SHARDS = 100;
/** Stream names as the service takes them. */
const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;

export const USAGE = `Usage: npm run demo -- [options]

Sends IoT device events through createProducer, reads every shard back and checks that each event
arrived exactly once ("verified: N of N values read back"). Without --stream it starts a local
Kinesis in the process (no AWS account) that keeps the service's limits: 1000 records/s and 1 MiB/s
per shard.

Options:
  --values N        events to send (default 100000)
  --shards N        shards of the local stream, 1 to ${MAX_SHARDS} (default 4)
  --devices N       devices sending them; the device id is the partition key (default 1000)
  --no-aggregation  one Kinesis record per event instead of KPL aggregates (see Modes)
  --no-limits       the local Kinesis stops enforcing the shard limits (the producer still keeps to them)
  --stream NAME     send to this existing stream instead, with the default AWS credential chain
  --region REGION   the region of --stream (default: the AWS environment's)
  --endpoint URL    a Kinesis-compatible endpoint for --stream, e.g. http://127.0.0.1:4567 from
                    \`npx rxjs-kinesis-local --port 4567 --stream NAME:4\` (dummy credentials unless
                    AWS_ACCESS_KEY_ID is set)
  -h, --help        this help

Modes (100,000 events on 4 shards):
  aggregation (default)  many events share one Kinesis record, so the run is bound by the bytes
                         budget, 1 MiB/s per shard: about 4 s, then the read-back
  --no-aggregation       each event is a record, so the run is bound by 1000 records/s per shard:
                         about 26 s, then the read-back
`;

const fail = (message: string): ParsedArgs => ({ kind: 'invalid', message: `${message}\nRun \`npm run demo -- --help\` for the options.` });

/** A whole number in [min, max], or undefined. */
function count(text: string, min: number, max: number): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= min && n <= max ? n : undefined;
}

/** Parses and checks the demo's arguments (without `node` and the script). */
export function parseDemoArgs(argv: string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      options: {
        values: { type: 'string', default: '100000' },
        shards: { type: 'string' },
        devices: { type: 'string', default: '1000' },
        stream: { type: 'string' },
        endpoint: { type: 'string' },
        region: { type: 'string' },
        'no-limits': { type: 'boolean', default: false },
        'no-aggregation': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (error) {
    return { kind: 'invalid', message: `${(error as Error).message.split('. To specify')[0]}\n\n${USAGE}` };
  }
  if (parsed.help) return { kind: 'help', text: USAGE };
  const values = count(parsed.values, 1, 100_000_000);
  if (values === undefined) return fail(`--values must be a whole number from 1 to 100000000; got "${parsed.values}"`);
  const shards = count(parsed.shards ?? '4', 1, MAX_SHARDS);
  if (shards === undefined) return fail(`--shards must be a whole number from 1 to ${MAX_SHARDS}; got "${parsed.shards}"`);
  const devices = count(parsed.devices, 1, 1_000_000);
  if (devices === undefined) return fail(`--devices must be a whole number from 1 to 1000000; got "${parsed.devices}"`);
  const { stream, region, endpoint } = parsed;
  if (stream === undefined) {
    for (const flag of ['region', 'endpoint'] as const) if (parsed[flag] !== undefined) return fail(`--${flag} goes with --stream: without it the demo runs a local Kinesis`);
  } else {
    if (!STREAM_NAME.test(stream)) return fail(`--stream must be a stream name (1 to 128 of a-z A-Z 0-9 _ . -); got "${stream}"`);
    if (parsed.shards !== undefined) return fail('--shards sets the local stream; a stream given with --stream keeps its own shards');
    if (parsed['no-limits']) return fail('--no-limits turns off the local Kinesis\'s limits; a stream given with --stream keeps the service\'s');
    if (region !== undefined && !/^[a-z0-9-]+$/.test(region)) return fail(`--region must be a region name like eu-west-1; got "${region}"`);
    if (endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(endpoint)) return fail(`--endpoint must be an http:// or https:// URL; got "${endpoint}"`);
  }
  return {
    kind: 'run',
    options: {
      values,
      shards,
      devices,
      aggregation: !parsed['no-aggregation'],
      limits: !parsed['no-limits'],
      ...(stream === undefined ? {} : { stream }),
      ...(region === undefined ? {} : { region }),
      ...(endpoint === undefined ? {} : { endpoint }),
    },
  };
}

/**
 * What the chosen mode shows and about how long the sending takes, from the shard budget: a plain
 * record per event against 1000 records/s per shard, or aggregates against 1 MiB/s per shard.
 */
export function describeRun(o: Pick<DemoOptions, 'values' | 'aggregation'>, shards: number, eventBytes: number): string {
  const events = o.values.toLocaleString('en');
  const onShards = `per shard x ${shards} shard${shards === 1 ? '' : 's'}`;
  if (!o.aggregation) {
    const seconds = o.values / (shards * SHARD_RECORDS_PER_SECOND * RATE_SHARE);
    return `mode: no aggregation. Each of the ${events} events is one Kinesis record, so sending is bound by ${SHARD_RECORDS_PER_SECOND} records/s ${onShards}: about ${Math.ceil(seconds)} s`;
  }
  const seconds = (o.values * eventBytes) / (shards * SHARD_BYTES_PER_SECOND * RATE_SHARE);
  return (
    `mode: KPL aggregation. Many of the ${events} events (~${eventBytes} bytes each) share one Kinesis record, ` +
    `so sending is bound by 1 MiB/s ${onShards}: about ${Math.max(1, Math.ceil(seconds))} s (--no-aggregation: one record per event)`
  );
}
