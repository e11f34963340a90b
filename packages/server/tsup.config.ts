import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // Library entries: the runtime-agnostic app (index) and the Node entry (node).
    entry: { index: 'src/index.ts', node: 'src/node-index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
  },
  {
    // The `paligemma` bin: ESM only, with its shebang kept.
    entry: { cli: 'src/cli.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    platform: 'node',
  },
]);
