import ts from 'typescript';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const ROOT = new URL('../../', import.meta.url).pathname;
/** The entry points the API reference is generated from (docs/typedoc.json). */
const ENTRIES = ['src/index.ts', 'src/kpl/index.ts', 'src/kinesis/index.ts', 'src/testing/index.ts', 'src/otel/index.ts', 'src/cloudwatch/index.ts'];

/** The compiler options of tsconfig.json, with only the entry points as roots: they pull in what they export. */
function loadProgram(): ts.Program {
  const configPath = `${ROOT}tsconfig.json`;
  const { config, error } = ts.readConfigFile(configPath, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, ROOT, undefined, configPath);
  return ts.createProgram(ENTRIES.map((entry) => `${ROOT}${entry}`), options);
}

interface Exported {
  /** The name as users import it, with its entry point. */
  name: string;
  declarations: readonly ts.Declaration[];
}

/** Every name an entry point exports, `export *` and `export { .. } from` followed to the declaration. */
function exportsOf(program: ts.Program, entry: string): Exported[] {
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(`${ROOT}${entry}`);
  assert.ok(file, `${entry} is part of the program`);
  const module = checker.getSymbolAtLocation(file!);
  assert.ok(module, `${entry} is a module`);
  return checker.getExportsOfModule(module!).map((symbol) => {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    return { name: `${entry}: ${symbol.name}`, declarations: target.declarations ?? [] };
  });
}

/** The doc comments written on a declaration (a variable's sit on its statement). */
function docsOf(declaration: ts.Declaration): ts.JSDoc[] {
  return ts.getJSDocCommentsAndTags(declaration).filter(ts.isJSDoc);
}

const summaryOf = (doc: ts.JSDoc) => ts.getTextOfJSDocComment(doc.comment)?.trim() ?? '';
const examplesOf = (doc: ts.JSDoc) => (doc.tags ?? []).filter((tag) => tag.tagName.text === 'example');

const program = loadProgram();
const exported = ENTRIES.flatMap((entry) => exportsOf(program, entry));

const examples = suite('API reference: every exported name documented with an example');

examples('the entry points export names', () => {
  assert.ok(exported.length > 0);
  assert.ok(exported.every((e) => e.declarations.length > 0), 'every export resolves to a declaration');
});

examples('every exported name has a doc comment with a summary', () => {
  const missing = exported.filter((e) => !e.declarations.some((d) => docsOf(d).some((doc) => summaryOf(doc) !== '')));
  assert.ok(missing.length === 0, `without a summary:\n  ${missing.map((e) => e.name).join('\n  ')}\n`);
});

examples('every exported name has an @example with a ts snippet', () => {
  const hasExample = (d: ts.Declaration) =>
    docsOf(d).some((doc) => examplesOf(doc).some((tag) => /```ts\n/.test(ts.getTextOfJSDocComment(tag.comment) ?? '')));
  const missing = exported.filter((e) => !e.declarations.some(hasExample));
  assert.ok(missing.length === 0, `without an @example:\n  ${missing.map((e) => e.name).join('\n  ')}\n`);
});

examples.run();
