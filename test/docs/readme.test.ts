import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const ROOT = new URL('../../', import.meta.url).pathname;
const README = readFileSync(`${ROOT}README.md`, 'utf8');
/** Scratch space inside the repository (git-ignored), so the example's package imports resolve. */
const SCRATCH = `${ROOT}test-artifacts/readme/`;

/** The first ```ts block after `heading`. */
function snippet(heading: string): string {
  const section = README.slice(README.indexOf(`\n${heading}\n`));
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(code, `a ts block under ${heading}`);
  return code!;
}

/** Runs TypeScript source with tsx in a child process, bounded in time. */
function run(name: string, source: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  mkdirSync(SCRATCH, { recursive: true });
  const file = `${SCRATCH}${name}.ts`;
  writeFileSync(file, source);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not end within 60 s: ${stdout} ${stderr}`));
    }, 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      rmSync(file, { force: true });
      resolve({ code, stdout, stderr });
    });
  });
}

const readme = suite('README: the first example, as written');

readme('with no region configured: each reading fails, the error callback reports the stream error, the process ends cleanly', async () => {
  const example = snippet('## Example').replaceAll("from 'rxjs-kinesis'", `from '${ROOT}src/index-node.ts'`);
  const readings = "import { of } from 'rxjs';\nconst readings$ = of({ deviceId: 'device-00017', celsius: 21.5 }, { deviceId: 'device-00003', celsius: 19 });\n";
  // Credentials are set so that nothing looks for them on the network; the region is missing.
  const { AWS_REGION: _r, AWS_DEFAULT_REGION: _d, AWS_PROFILE: _p, ...env } = process.env;
  const { code, stdout, stderr } = await run('example', readings + example, {
    ...env,
    AWS_ACCESS_KEY_ID: 'example',
    AWS_SECRET_ACCESS_KEY: 'example',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  assert.is(code, 0, `exit code ${code}: ${stderr}`);
  assert.match(stderr, /^device-00017 failed: \w+: .*[Rr]egion/m);
  assert.match(stderr, /^device-00003 failed: \w+: .*[Rr]egion/m);
  assert.match(stderr, /^stopped: \w+: .*[Rr]egion/m);
  assert.not.match(stderr, /^\s+at /m, 'nothing thrown');
  assert.is(stdout, '');
});

readme.run();
