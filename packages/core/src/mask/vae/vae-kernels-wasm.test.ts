import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KERNEL_MODULES, renderKernelModule } from '../../../scripts/compile-wat.js';

describe('vae-kernels-wasm.ts', () => {
  it('is the current vae-kernels.wat assembled (rerun scripts/compile-wat.ts after editing the WAT)', async () => {
    const generated = await readFile(fileURLToPath(new URL('./vae-kernels-wasm.ts', import.meta.url)), 'utf8');
    expect(generated).toBe(await renderKernelModule(KERNEL_MODULES.vae));
  });
});
