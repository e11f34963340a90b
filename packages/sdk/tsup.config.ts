import { defineConfig } from 'tsup';

export default defineConfig({
  // `node/index` is its own subpath so the main entry stays free of Node built-ins (browsers, workerd).
  entry: {
    index: 'src/index.ts',
    'contract/index': 'src/contract/index.ts',
    'node/index': 'src/node/index.ts',
    'internal/index': 'src/internal/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  platform: 'neutral',
  external: ['zod', /^node:/],
  // Keep `node:fs/promises` as written: Deno resolves Node built-ins only with the prefix.
  removeNodeProtocol: false,
});
