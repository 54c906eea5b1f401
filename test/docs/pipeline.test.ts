import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { STAGES, pipelineSvg } from '../../docs/scripts/pipeline-diagram.js';

const pipeline = suite('the pipeline diagram on the concepts page is drawn from the stages in the code');
pipeline('docs/concepts/pipeline.svg is what the script draws now', () => {
  const committed = readFileSync(new URL('../../docs/concepts/pipeline.svg', import.meta.url), 'utf8');
  assert.is(committed, pipelineSvg(), 'run: npx tsx docs/scripts/pipeline-diagram.ts');
  assert.equal(STAGES.map((s) => s.label), ['put', 'encode', 'route', 'batch', 'aggregate', 'throttle', 'send', 'settle', 'outcome']);
});
pipeline('the page names every stage and its operator', () => {
  const page = readFileSync(new URL('../../docs/concepts/pipeline.md', import.meta.url), 'utf8');
  for (const stage of STAGES) assert.ok(page.includes(`| ${stage.label} |`) && page.includes(stage.code[0]), stage.label);
});
pipeline.run();
