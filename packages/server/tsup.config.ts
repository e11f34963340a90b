import { defineConfig } from 'tsup';
import { inlinePlaygroundScript } from './scripts/inline-playground-plugin';

export default defineConfig([
  {
    // Library entries: the runtime-agnostic app (index) and the Node entry (node).
    entry: { index: 'src/index.ts', node: 'src/node/index.ts', 'edge/index': 'src/edge/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    // The browser playground served at `/`: its script is bundled and inlined here (see src/playground/).
    esbuildPlugins: [inlinePlaygroundScript()],
  },
  {
    // The `paligemma` bin: ESM only, with its shebang kept.
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    esbuildPlugins: [inlinePlaygroundScript()],
  },
  {
    // The edge gateway: one self-contained ES module for workerd (hono, zod and the sdk contract bundled in, no
    // Node built-ins), deployable with wrangler as it is. `source` bundles the sdk from its TypeScript sources, so
    // this entry does not depend on the sdk having been built first.
    entry: { edge: 'src/edge/worker.ts' },
    format: ['esm'],
    dts: true,
    sourcemap: true,
    target: 'es2022',
    platform: 'browser',
    noExternal: [/.*/],
    esbuildOptions(options) {
      options.conditions = ['source', 'workerd', 'worker', 'browser'];
    },
  },
]);
