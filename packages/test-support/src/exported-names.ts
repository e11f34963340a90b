/** The names a package entry exports, values and types alike, read by the TypeScript compiler from its source. */
import ts from 'typescript';

/**
 * Sorted; a test compares them with the list it expects, so every addition to a public entry is deliberate.
 * @example expect(exportedNames('packages/sdk/src/index.ts')).toEqual(['APIError', …])
 */
export function exportedNames(entry: string): string[] {
  const program = ts.createProgram([entry], {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    customConditions: ['source'],
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  const symbol = source && checker.getSymbolAtLocation(source);
  if (!symbol) throw new Error(`${entry} is not a module`);
  return checker.getExportsOfModule(symbol).map((exported) => exported.name).sort();
}
