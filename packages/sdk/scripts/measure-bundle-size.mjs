/** Measures the main entry as an app would ship it: bundled and minified by esbuild, zod external (or in), gzipped. */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Bundles `entry` (default: the built `dist/index.js`) for the browser, minified, with zod left out (apps share
 * one copy of it) unless `withZod`, and returns the byte counts and the files that went in. A Node built-in in the
 * entry fails the build, because the browser platform cannot resolve it.
 *
 * @example
 * const { gzipBytes } = await measureBundleSize(); // ≈ 7 kB
 */
export async function measureBundleSize(entry = 'dist/index.js', { withZod = false } = {}) {
  const result = await build({
    absWorkingDir: PACKAGE_ROOT,
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    external: withZod ? [] : ['zod'],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  return {
    minifiedBytes: code.length,
    gzipBytes: gzipSync(code, { level: 9 }).length,
    inputs: Object.keys(result.metafile.inputs),
    /** Inputs that kept code in the bundle after tree-shaking. */
    shippedInputs: Object.entries(Object.values(result.metafile.outputs)[0].inputs)
      .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
      .map(([file]) => file),
    code: new TextDecoder().decode(code),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const entry = process.argv[2];
  const { minifiedBytes, gzipBytes, inputs } = await measureBundleSize(entry);
  console.log(`main entry: ${minifiedBytes} B minified, ${gzipBytes} B min+gzip (zod excluded), from ${inputs.join(', ')}`);
  const withZod = await measureBundleSize(entry, { withZod: true });
  console.log(`main entry with zod: ${withZod.minifiedBytes} B minified, ${withZod.gzipBytes} B min+gzip`);
}
