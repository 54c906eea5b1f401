// Names the API reference's modules after the import paths users write, instead of the entry files' names.
import { Converter } from 'typedoc';

const NAMES = { index: 'rxjs-kinesis', kpl: 'rxjs-kinesis/kpl', kinesis: 'rxjs-kinesis/kinesis', testing: 'rxjs-kinesis/testing', otel: 'rxjs-kinesis/otel', cloudwatch: 'rxjs-kinesis/cloudwatch' };

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.children ?? []) {
      if (module.name in NAMES) module.name = NAMES[module.name];
    }
  });
}
