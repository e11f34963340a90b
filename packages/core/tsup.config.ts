import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      image: 'src/image/index.ts',
      mask: 'src/mask/index.ts',
      conformance: 'src/conformance/index.ts',
      tasks: 'src/tasks/index.ts',
      settings: 'src/settings/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    // The CommonJS build finds dist/engine-worker.js through import.meta.url, which needs tsup's shim there.
    shims: true,
  },
  {
    // The engine thread's entry, started by WorkerScheduler from the file next to it.
    entry: { 'engine-worker': 'src/engine/worker/engine-worker.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    platform: 'node',
  },
  {
    entry: { 'conformance/cli': 'src/conformance/cli.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
  },
]);
