/**
 * Development tool: assembles `resample-kernels.wat` into `resample-kernels-wasm.ts` (run it after editing the
 * WAT: `pnpm exec tsx packages/core/src/image/compile-resample-kernels.ts`). A test checks the two agree.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import initializeWabt from 'wabt';

const WAT_FILE = fileURLToPath(new URL('./resample-kernels.wat', import.meta.url));
const OUTPUT_FILE = fileURLToPath(new URL('./resample-kernels-wasm.ts', import.meta.url));

/**
 * The WebAssembly binary of `resample-kernels.wat`.
 * @example const bytes = await compileResampleKernels()
 */
export async function compileResampleKernels(): Promise<Uint8Array> {
  const wabt = await initializeWabt();
  const module = wabt.parseWat('resample-kernels.wat', await readFile(WAT_FILE, 'utf8'), { simd: true });
  try {
    module.validate();
    return new Uint8Array(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}

/** The generated module's source text: the binary as base64, which bundlers and both module formats carry as is. */
export function renderKernelsModule(bytes: Uint8Array): string {
  const base64 = Buffer.from(bytes).toString('base64');
  const lines = base64.match(/.{1,100}/g) ?? [];
  return [
    '/** Generated from resample-kernels.wat by compile-resample-kernels.ts; do not edit by hand. */',
    '',
    '/** The SIMD resampling kernels, a WebAssembly binary in base64. */',
    'export const RESAMPLE_KERNELS_WASM_BASE64 =',
    ...lines.map((line, index) => `  '${line}'${index === lines.length - 1 ? ';' : ' +'}`),
    '',
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const bytes = await compileResampleKernels();
  await writeFile(OUTPUT_FILE, renderKernelsModule(bytes));
  console.log(`wrote ${OUTPUT_FILE} (${bytes.length} bytes of WebAssembly)`);
}
