/** Bundles the playground's browser script (the SDK included) into one ES module with esbuild. */
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';

/** The browser entry. */
export const PLAYGROUND_ENTRY = fileURLToPath(new URL('../src/playground/browser/playground.ts', import.meta.url));

/**
 * esbuild options for the playground: browser platform, the workspace's TypeScript sources (`source` condition), minified.
 * Shared by the tsup build (which inlines the result into the server) and by source runs (tests, tsx).
 * @example const { outputFiles } = await esbuild.build(playgroundBuildOptions());
 */
export function playgroundBuildOptions(entry = PLAYGROUND_ENTRY): BuildOptions & { write: false } {
  return {
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    conditions: ['source', 'browser'],
    logLevel: 'silent',
  };
}

/**
 * The bundled script's text.
 * @example const script = await bundlePlayground();
 */
export async function bundlePlayground(): Promise<string> {
  const { build } = await import('esbuild');
  const { outputFiles } = await build(playgroundBuildOptions());
  return outputFiles[0].text;
}
