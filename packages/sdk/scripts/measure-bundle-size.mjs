/** Measures the main entry as an app would ship it: bundled and minified by esbuild, zod external, gzipped. */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Bundles `entry` (default: the built `dist/index.js`) for the browser, minified, with zod left out (apps share
 * one copy of it), and returns the byte counts and the files that went in. A Node built-in in the entry fails the
 * build, because the browser platform cannot resolve it.
 *
 * @example
 * const { gzipBytes } = await measureBundleSize(); // ≈ 7 kB
 */
export async function measureBundleSize(entry = 'dist/index.js') {
  const result = await build({
    absWorkingDir: PACKAGE_ROOT,
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    external: ['zod'],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  return {
    minifiedBytes: code.length,
    gzipBytes: gzipSync(code, { level: 9 }).length,
    inputs: Object.keys(result.metafile.inputs),
    code: new TextDecoder().decode(code),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { minifiedBytes, gzipBytes, inputs } = await measureBundleSize(process.argv[2]);
  console.log(`main entry: ${minifiedBytes} B minified, ${gzipBytes} B min+gzip (zod excluded), from ${inputs.join(', ')}`);
}
