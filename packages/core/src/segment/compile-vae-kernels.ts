/**
 * Development tool: assembles `vae-kernels.wat` into `vae-kernels-wasm.ts` (run it after editing the WAT:
 * `pnpm exec tsx packages/core/src/segment/compile-vae-kernels.ts`). A test checks the two agree.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import initializeWabt from 'wabt';

const WAT_FILE = fileURLToPath(new URL('./vae-kernels.wat', import.meta.url));
const OUTPUT_FILE = fileURLToPath(new URL('./vae-kernels-wasm.ts', import.meta.url));

/**
 * The WebAssembly binary of `vae-kernels.wat`.
 * @example const bytes = await compileVaeKernels()
 */
export async function compileVaeKernels(): Promise<Uint8Array> {
  const wabt = await initializeWabt();
  const module = wabt.parseWat('vae-kernels.wat', await readFile(WAT_FILE, 'utf8'), { simd: true });
  try {
    module.validate();
    return new Uint8Array(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}

/**
 * The generated module's source text: the binary as base64, which bundlers and both module formats carry as is.
 * @example renderVaeKernelsModule(await compileVaeKernels())
 */
export function renderVaeKernelsModule(bytes: Uint8Array): string {
  const lines = Buffer.from(bytes).toString('base64').match(/.{1,100}/g) ?? [];
  return [
    '/** Generated from vae-kernels.wat by compile-vae-kernels.ts; do not edit by hand. */',
    '',
    '/** The SIMD mask-decoder kernels, a WebAssembly binary in base64. */',
    'export const VAE_KERNELS_WASM_BASE64 =',
    ...lines.map((line, index) => `  '${line}'${index === lines.length - 1 ? ';' : ' +'}`),
    '',
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const bytes = await compileVaeKernels();
  await writeFile(OUTPUT_FILE, renderVaeKernelsModule(bytes));
  console.log(`wrote ${OUTPUT_FILE} (${bytes.length} bytes of WebAssembly)`);
}
