import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceDecode } from '../../../test/reference-vae-decoder.js';
import { encodeNpy, encodeNpz, randomVaeArrays, writeRandomVae } from '@paligemma/test-support';
import { readNpz } from './npz.js';
import { VaeFormatError, VaeUnavailableError } from './vae-errors.js';
import { type VaeDecoder, loadVae } from './vae.js';

let directory: string;
let vaePath: string;
let vae: VaeDecoder;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'vae-test-'));
  vaePath = join(directory, 'vae-oid.npz');
  await writeRandomVae(vaePath, { seed: 3 });
  vae = await loadVae(vaePath);
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

function randomCodes(seed: number): number[] {
  let state = seed;
  return Array.from({ length: 16 }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % 128;
  });
}

describe('loadVae', () => {
  it.each(['simd', 'scalar'] as const)('agrees with the naive scatter-form reference decoder on random codes (%s kernels, max |Δ| < 1e-4)', async (kernels) => {
    const arrays = randomVaeArrays({ seed: 3 });
    const decoder = await loadVae(vaePath, { kernels });
    for (const codes of [randomCodes(1), randomCodes(2), randomCodes(3), Array(16).fill(0), Array(16).fill(127)]) {
      const logits = decoder.decode(codes);
      const expected = referenceDecode(arrays, codes);
      expect(logits).toHaveLength(64 * 64);
      let maxDifference = 0;
      for (let index = 0; index < logits.length; index += 1) maxDifference = Math.max(maxDifference, Math.abs(logits[index] - expected[index]));
      expect(maxDifference).toBeLessThan(1e-4);
    }
  });

  it('produces logits of both signs around [−1, 1] with the random weights', () => {
    const logits = vae.decode(randomCodes(4));
    const values = [...logits];
    expect(Math.min(...values)).toBeLessThan(0);
    expect(Math.max(...values)).toBeGreaterThan(0);
    expect(Math.max(...values.map(Math.abs))).toBeLessThan(3);
    expect(vae.embeddingDim).toBe(512);
  });

  it('rejects codes that are not 16 integers in 0..127', () => {
    expect(() => vae.decode(Array(15).fill(0))).toThrow(/16 codes/);
    expect(() => vae.decode([...Array(15).fill(0), 128])).toThrow(/0\.\.127/);
    expect(() => vae.decode([...Array(15).fill(0), 1.5])).toThrow(/0\.\.127/);
  });

  it.each([
    ['a missing key', (arrays: ReturnType<typeof randomVaeArrays>) => arrays.delete('decoder.8.weight'), /lack the key "decoder\.8\.weight"/],
    ['a wrong shape', (arrays: ReturnType<typeof randomVaeArrays>) => {
      arrays.set('decoder.2.net.2.weight', { shape: [128, 128, 1, 1], data: new Float32Array(128 * 128) });
    }, /"decoder\.2\.net\.2\.weight" has shape \[128,128,1,1\], expected \[128,128,3,3\]/],
    ['a codebook of the wrong size', (arrays: ReturnType<typeof randomVaeArrays>) => {
      arrays.set('_vq_vae._embedding', { shape: [64, 512], data: new Float32Array(64 * 512) });
    }, /"_vq_vae\._embedding" has shape \[64,512\], expected \[128,D\]/],
  ])('names the key on %s', async (_name, change, message) => {
    const arrays = randomVaeArrays({ embeddingDim: 8 });
    change(arrays);
    const path = join(directory, 'bad.npz');
    await writeFile(path, encodeNpz(arrays));
    const error = await loadVae(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VaeFormatError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(path);
  });

  it('ignores arrays it does not need, even of types it cannot read (the real file also holds the encoder)', async () => {
    const arrays = randomVaeArrays({ embeddingDim: 8 });
    const path = join(directory, 'with-encoder.npz');
    const encoder = encodeNpy({ shape: [2], data: new Float32Array(2) });
    // Turn '<f4' into '<i8' in the header: an integer array the reader would refuse if it read it.
    encoder.set(new TextEncoder().encode('<i8'), new TextDecoder('latin1').decode(encoder.subarray(0, 64)).indexOf('<f4'));
    const bytes = unzipSync(encodeNpz(arrays));
    await writeFile(path, zipSync({ ...bytes, 'encoder.num_batches_tracked.npy': encoder }));
    await expect(loadVae(path)).resolves.toMatchObject({ embeddingDim: 8 });
    expect(() => readNpz(new Uint8Array(readFileSync(path)))).toThrow(/encoder\.num_batches_tracked\.npy has element type <i8/);
  });

  it('refuses a file that is not a zip, and a missing file', async () => {
    const path = join(directory, 'not-a-zip.npz');
    await writeFile(path, 'this is not a zip archive');
    await expect(loadVae(path)).rejects.toThrow(/not a readable \.npz \(zip\) archive/);
    await expect(loadVae(join(directory, 'missing.npz'))).rejects.toThrow(/cannot read VAE weights .*missing\.npz/);
    await expect(loadVae(join(directory, 'missing.npz'))).rejects.toBeInstanceOf(VaeUnavailableError);
  });
});
