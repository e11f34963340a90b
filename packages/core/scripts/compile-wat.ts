/**
 * Development tool: assembles the WebAssembly kernels (`*.wat`) into the TypeScript modules that embed them as
 * base64. Run it after editing a WAT file: `pnpm exec tsx packages/core/scripts/compile-wat.ts`. A test per kernel
 * module checks the committed module is the current WAT assembled.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import initializeWabt from 'wabt';

export interface KernelModule {
  /** The WebAssembly text source. */
  wat: string;
  /** The generated TypeScript module. */
  output: string;
  /** The exported constant holding the binary as base64. */
  constant: string;
  /** Its doc comment. */
  description: string;
}

const source = (path: string) => fileURLToPath(new URL(`../src/${path}`, import.meta.url));

/** Every embedded kernel module. */
export const KERNEL_MODULES = {
  resample: {
    wat: source('image/resample/resample-kernels.wat'),
    output: source('image/resample/resample-kernels-wasm.ts'),
    constant: 'RESAMPLE_KERNELS_WASM_BASE64',
    description: 'The SIMD resampling kernels, a WebAssembly binary in base64.',
  },
  vae: {
    wat: source('mask/vae/vae-kernels.wat'),
    output: source('mask/vae/vae-kernels-wasm.ts'),
    constant: 'VAE_KERNELS_WASM_BASE64',
    description: 'The SIMD mask-decoder kernels, a WebAssembly binary in base64.',
  },
} satisfies Record<string, KernelModule>;

/**
 * The WebAssembly binary of a `.wat` file (SIMD enabled), validated.
 * @example const bytes = await compileWat(KERNEL_MODULES.vae.wat)
 */
export async function compileWat(watPath: string): Promise<Uint8Array> {
  const wabt = await initializeWabt();
  const module = wabt.parseWat(basename(watPath), await readFile(watPath, 'utf8'), { simd: true });
  try {
    module.validate();
    return new Uint8Array(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}

/**
 * The generated module's source text: the binary as base64, which bundlers and both module formats carry as is.
 * @example await renderKernelModule(KERNEL_MODULES.resample)
 */
export async function renderKernelModule(kernel: KernelModule): Promise<string> {
  const lines = Buffer.from(await compileWat(kernel.wat)).toString('base64').match(/.{1,100}/g) ?? [];
  return [
    `/** Generated from ${basename(kernel.wat)} by packages/core/scripts/compile-wat.ts; do not edit by hand. */`,
    '',
    `/** ${kernel.description} */`,
    `export const ${kernel.constant} =`,
    ...lines.map((line, index) => `  '${line}'${index === lines.length - 1 ? ';' : ' +'}`),
    '',
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const kernel of Object.values(KERNEL_MODULES)) {
    await writeFile(kernel.output, await renderKernelModule(kernel));
    console.log(`wrote ${kernel.output}`);
  }
}
