/** Test helper: writes a random-weight `vae-oid.npz` in the real key layout (PyTorch names and shapes). */
import { writeFile } from 'node:fs/promises';
import { strToU8, zipSync } from 'fflate';

/** One named array as the `.npy` writer takes it. */
export interface TestArray {
  shape: number[];
  data: Float32Array;
}

export interface RandomVaeOptions {
  /** Seed of the generator, so a test sees the same weights every run. @default 1 */
  seed?: number;
  /** Codebook vector width; the published `vae-oid.npz` uses 512. @default 512 */
  embeddingDim?: number;
}

/** Codebook entries and decoder widths of the published VQ-VAE (big_vision `Decoder`). */
const CODEBOOK_SIZE = 128;
const HIDDEN = 128;
const UPSAMPLE_WIDTHS = [128, 128, 64, 32, 16];

/**
 * The decoder's arrays with random weights. Weights are drawn with He scaling (std √(2 / fan-in)) so activations keep
 * their size through the ReLUs, which puts the 64×64 logits around [−1, 1] with both signs like the real model's.
 * @example const arrays = randomVaeArrays({ seed: 7 }); arrays.get('decoder.0.weight')?.shape // [128, 512, 1, 1]
 */
export function randomVaeArrays(options: RandomVaeOptions = {}): Map<string, TestArray> {
  const random = gaussianGenerator(options.seed ?? 1);
  const embeddingDim = options.embeddingDim ?? 512;
  const arrays = new Map<string, TestArray>();
  const add = (key: string, shape: number[], std: number) => {
    const data = new Float32Array(shape.reduce((product, size) => product * size, 1));
    for (let index = 0; index < data.length; index += 1) data[index] = random() * std;
    arrays.set(key, { shape, data });
  };
  const conv = (name: string, out: number, input: number, kernel: number, gain = 2) => {
    add(`${name}.weight`, [out, input, kernel, kernel], Math.sqrt(gain / (input * kernel * kernel)));
    add(`${name}.bias`, [out], 0.05);
  };
  add('_vq_vae._embedding', [CODEBOOK_SIZE, embeddingDim], 1);
  conv('decoder.0', HIDDEN, embeddingDim, 1);
  for (const block of [2, 3]) {
    conv(`decoder.${block}.net.0`, HIDDEN, HIDDEN, 3);
    conv(`decoder.${block}.net.2`, HIDDEN, HIDDEN, 3);
    // The residual branch is added to its input: keep it smaller so the sum stays near unit size.
    conv(`decoder.${block}.net.4`, HIDDEN, HIDDEN, 1, 0.5);
  }
  for (const [layer, name] of ['decoder.4', 'decoder.6', 'decoder.8', 'decoder.10'].entries()) {
    const input = UPSAMPLE_WIDTHS[layer];
    const out = UPSAMPLE_WIDTHS[layer + 1];
    // ConvTranspose2d weights are [in, out, kh, kw]; with stride 2 each output sees 2×2 of the 4×4 taps.
    add(`${name}.weight`, [input, out, 4, 4], Math.sqrt(2 / (input * 4)));
    add(`${name}.bias`, [out], 0.05);
  }
  // The last layer mixes 16 non-negative (post-ReLU) channels: zero-sum weights centre the logits on 0 so masks
  // have pixels on both sides of the threshold, and a small gain keeps them within about [−1, 1].
  add('decoder.12.weight', [1, 16, 1, 1], Math.sqrt(0.1 / 16));
  const last = arrays.get('decoder.12.weight')!.data;
  const mean = last.reduce((sum, value) => sum + value, 0) / last.length;
  for (let index = 0; index < last.length; index += 1) last[index] -= mean;
  arrays.set('decoder.12.bias', { shape: [1], data: new Float32Array([0]) });
  return arrays;
}

/**
 * A `.npy` file (format 1.0, `<f4`, C order) holding `array`.
 * @example encodeNpy({ shape: [2], data: new Float32Array([1, 2]) })
 */
export function encodeNpy(array: TestArray, options: { descr?: '<f4' | '<f8'; fortranOrder?: boolean; version?: 1 | 2 | 3 } = {}): Uint8Array {
  const descr = options.descr ?? '<f4';
  const version = options.version ?? 1;
  const shape = array.shape.length === 1 ? `(${array.shape[0]},)` : `(${array.shape.join(', ')})`;
  const dict = `{'descr': '${descr}', 'fortran_order': ${options.fortranOrder ? 'True' : 'False'}, 'shape': ${shape}, }`;
  const lengthBytes = version === 1 ? 2 : 4;
  // NumPy pads the header with spaces and a newline so the data starts on a 64-byte boundary.
  const unpadded = 8 + lengthBytes + dict.length + 1;
  const header = `${dict}${' '.repeat((64 - (unpadded % 64)) % 64)}\n`;
  const values = descr === '<f4' ? new Uint8Array(array.data.buffer.slice(0)) : new Uint8Array(Float64Array.from(array.data).buffer);
  const bytes = new Uint8Array(8 + lengthBytes + header.length + values.length);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(bytes.buffer);
  if (lengthBytes === 2) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  bytes.set(strToU8(header), 8 + lengthBytes);
  bytes.set(values, 8 + lengthBytes + header.length);
  return bytes;
}

/**
 * A `.npz` archive of `arrays` (keys get a `.npy` suffix), stored or deflated.
 * @example await writeFile('x.npz', encodeNpz(randomVaeArrays()))
 */
export function encodeNpz(arrays: Map<string, TestArray>, options: { deflate?: boolean } = {}): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  for (const [key, array] of arrays) files[`${key}.npy`] = encodeNpy(array);
  return zipSync(files, { level: options.deflate ? 6 : 0 });
}

/**
 * Writes a random-weight `vae-oid.npz` to `path`, deflated so loading exercises the inflate path.
 * @example await writeRandomVae(join(tmpdir(), 'vae-oid.npz'))
 */
export async function writeRandomVae(path: string, options: RandomVaeOptions = {}): Promise<void> {
  await writeFile(path, encodeNpz(randomVaeArrays(options), { deflate: true }));
}

/** Standard normal samples from a seeded mulberry32 stream (Box–Muller). */
function gaussianGenerator(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return (((value ^ (value >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}
