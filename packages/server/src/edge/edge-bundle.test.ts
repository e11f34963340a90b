/** The built edge module is self-contained: no Node built-ins and no package imports left for a bundler to resolve. */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const EDGE_BUNDLE_PATH = fileURLToPath(new URL('../../dist/edge.js', import.meta.url));

/** Every module specifier in ES module syntax: static imports and re-exports, side-effect imports, `import()`, `require()`. */
function moduleSpecifiers(source: string): string[] {
  const patterns = [
    /^\s*(?:import|export)\b[^;'"`]*?\bfrom\s*["']([^"']+)["']/gm,
    /^\s*import\s*["']([^"']+)["']/gm,
    /\bimport\s*\(\s*["'`]([^"'`]+)["'`]\s*\)/g,
    /\brequire\s*\(\s*["'`]([^"'`]+)["'`]\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((match) => match[1]));
}

describe('dist/edge.js', () => {
  it('exists (build it with `pnpm --filter @paligemma/server build`)', () => {
    expect(existsSync(EDGE_BUNDLE_PATH), `${EDGE_BUNDLE_PATH} is missing: run \`pnpm --filter @paligemma/server build\` first`).toBe(true);
  });

  it('imports nothing: no node: built-ins, no bare specifiers, no other files', () => {
    const source = readFileSync(EDGE_BUNDLE_PATH, 'utf8');
    expect(moduleSpecifiers(source)).toEqual([]);
    expect(source).not.toMatch(/["'`]node:[a-z_/]+["'`]/);
    // esbuild's shim for a CommonJS `require` it could not bundle: it would throw at run time in workerd.
    expect(source).not.toMatch(/\b__require\s*\(/);
    expect(source).toMatch(/^export\s*\{\s*worker_default as default\s*\};?$/m);
  });

  it('finds the specifiers it looks for (the check itself can fail)', () => {
    const sample = [
      'import { Hono } from "hono";',
      "export { z } from 'zod';",
      'import "node:fs";',
      'const m = await import("node:crypto");',
      'const n = require("sharp");',
      'import {\n  a,\n  b\n} from "./chunk.js";',
    ].join('\n');
    expect(moduleSpecifiers(sample).sort()).toEqual(['./chunk.js', 'hono', 'node:crypto', 'node:fs', 'sharp', 'zod']);
  });
});
