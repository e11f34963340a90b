/** Bundles a small entry around `client-scenario.ts` with esbuild, as an app would bundle the SDK for a runtime. */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const SUPPORT_DIRECTORY = fileURLToPath(new URL('.', import.meta.url));

/**
 * The entry's bundle as one ES module string (zod included: the runtime under test has no node_modules).
 * `conditions` picks package exports the way that runtime's bundler would (`workerd`, `worker`, `browser`).
 *
 * @example
 * const code = await bundleScenario(`import { runClientScenario } from './client-scenario.ts'; …`, ['browser']);
 */
export async function bundleScenario(entrySource: string, conditions: string[]): Promise<string> {
  const result = await build({
    stdin: { contents: entrySource, resolveDir: SUPPORT_DIRECTORY, loader: 'ts', sourcefile: 'entry.ts' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions,
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}
