import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Workspace packages resolve to their TypeScript sources in tests (the `source` export condition).
  resolve: { conditions: ['source', 'module', 'import', 'default'] },
  ssr: { resolve: { conditions: ['source', 'module', 'import', 'default'], externalConditions: ['source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores here: ONNX sessions use intra-op threads, so keep file parallelism modest.
    maxWorkers: 2,
    // eventsource-parser (under the AI SDK) names a `source` condition too, pointing at TypeScript that Node cannot
    // load from node_modules: it and the AI SDK packages that import it are inlined, so Vite compiles it.
    server: { deps: { inline: ['eventsource-parser', /[\\/]@ai-sdk[\\/]/, /[\\/]node_modules[\\/]ai[\\/]/] } },
  },
});
