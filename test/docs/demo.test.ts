import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { USAGE, describeRun } from '../../docs/examples/demo-args.js';

const ROOT = new URL('../../', import.meta.url).pathname;
/** The demo's flags, as its usage lists them under Options. */
const FLAGS = [...USAGE.slice(USAGE.indexOf('Options:'), USAGE.indexOf('\nModes')).matchAll(/^ {2}(?:-h, )?(--[a-z-]+)/gm)].map((m) => m[1]);

/** Runs `npm run demo -- ...args` as a user would (without npm's banner), bounded in time. */
function demo(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'docs/examples/demo.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the demo did not end within 60 s: ${stdout.slice(-500)} ${stderr.slice(-500)}`));
    }, 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const cli = suite('npm run demo: help, checked flags, and a small real run');

cli('--help lists every flag and both modes with their duration, exit 0', async () => {
  const { code, stdout, stderr } = await demo('--help');
  assert.is(code, 0, stderr);
  assert.equal(FLAGS, ['--values', '--shards', '--devices', '--no-aggregation', '--no-limits', '--stream', '--region', '--endpoint', '--help']);
  assert.is(stdout, USAGE);
  assert.match(stdout, /bound by 1000 records\/s per shard:\s+about 26 s/);
});

cli('bad values: one clear line each, no stack, exit 2', async () => {
  const cases: [string[], RegExp][] = [
    [['--values', 'abc'], /--values must be a whole number from 1 to 100000000; got "abc"/],
    [['--values', '0'], /--values must be a whole number/],
    [['--shards', '2.5'], /--shards must be a whole number from 1 to 100; got "2.5"/],
    [['--devices', '1e3'], /--devices must be a whole number/],
    [['--region', 'eu-west-1'], /--region goes with --stream/],
    [['--stream', 'my stream'], /--stream must be a stream name/],
    [['--stream', 'events', '--shards', '2'], /--shards sets the local stream/],
    [['--stream', 'events', '--endpoint', 'localhost:4567'], /--endpoint must be an http:\/\/ or https:\/\/ URL/],
  ];
  for (const [args, message] of cases) {
    const { code, stdout, stderr } = await demo(...args);
    assert.is(code, 2, `${args.join(' ')}: ${stderr}`);
    assert.match(stderr, message);
    assert.match(stderr, /Run `npm run demo -- --help` for the options\./);
    assert.not.match(stderr, /^\s+at /m, 'no stack trace');
    assert.is(stdout, '', 'nothing ran');
  }
});

cli('an unknown flag or an argument: the usage, no stack, exit 2', async () => {
  for (const [args, message] of [[['--bogus'], /Unknown option '--bogus'/], [['extra'], /Unexpected argument 'extra'/]] as const) {
    const { code, stderr } = await demo(...args);
    assert.is(code, 2, stderr);
    assert.match(stderr, message);
    assert.ok(stderr.includes(USAGE), 'the usage follows');
    assert.not.match(stderr, /ERR_PARSE_ARGS|^\s+at /m);
  }
});

cli('--values 2000 --shards 2: says what the mode shows, then every value read back', async () => {
  const { code, stdout, stderr } = await demo('--values', '2000', '--shards', '2');
  assert.is(code, 0, stderr);
  assert.match(stdout, /stream iot-demo with 2 shards/);
  assert.match(stdout, /mode: KPL aggregation\. Many of the 2,000 events \(~\d+ bytes each\) share one Kinesis record, so sending is bound by 1 MiB\/s per shard x 2 shards: about 1 s/);
  assert.match(stdout, /^verified: 2000 of 2000 values read back$/m);
});

cli('the duration a mode announces follows from the shard budget', () => {
  assert.match(describeRun({ values: 100_000, aggregation: false }, 4, 132), /bound by 1000 records\/s per shard x 4 shards: about 26 s/);
  assert.match(describeRun({ values: 100_000, aggregation: true }, 4, 132), /1 MiB\/s per shard x 4 shards: about 4 s/);
  assert.match(describeRun({ values: 500, aggregation: false }, 1, 132), /x 1 shard: about 1 s/);
});

cli('the README quick start and the Node guide document every flag', () => {
  for (const page of ['README.md', 'docs/guide/node.md']) {
    const text = readFileSync(`${ROOT}${page}`, 'utf8');
    const missing = FLAGS.filter((f) => !text.includes(f));
    assert.equal(missing, [], `${page} does not mention ${missing.join(', ')}`);
  }
});

cli.run();
