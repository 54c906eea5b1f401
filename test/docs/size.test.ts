import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { BrowserSize } from '../../docs/scripts/browser-size.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const KiB = 1024;
/**
 * A ceiling against accidents (the full Bottleneck adds about 20 KiB, the SDK or a Node polyfill far
 * more), not a goal: the docs aim at 10 KiB gzip and report the real figure (31.4 KiB with the metrics
 * and per-key order).
 */
const GZIP_CEILING = 34 * KiB;

const size = suite('browser bundle size (what the docs report)');

size('src/index.ts bundles for browsers without Node built-ins; the figure is measured and written for the docs', () => {
  // Rollup's plugins are ES modules only and uvu loads tests as CommonJS: measure in a child process.
  execFileSync(process.execPath, ['--import', 'tsx', 'docs/scripts/browser-size.ts'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  const figures: BrowserSize = JSON.parse(readFileSync(`${ROOT}docs/.generated/browser-size.json`, 'utf8'));
  assert.ok(figures.gzip > 0 && figures.gzip < figures.minified);
  assert.ok(figures.own.gzip < figures.gzip, 'the dependencies are part of the full figure');
  assert.ok(figures.createProducerOwn.gzip < figures.createProducerOnly.gzip, 'createProducer without its dependencies is smaller than with them');
  assert.ok(figures.createProducerOwn.gzip <= figures.own.gzip, 'createProducer alone is at most every export');
  assert.equal(Object.keys(figures.packages).sort(), ['bottleneck', 'js-md5', 'rxjs-kinesis'], 'only our code and our two dependencies');
  assert.ok(figures.gzip <= GZIP_CEILING, `${figures.gzip} bytes gzip, over the ${GZIP_CEILING} ceiling`);
});

size.run();
