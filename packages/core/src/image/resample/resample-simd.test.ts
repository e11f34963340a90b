import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KERNEL_MODULES, compileWat } from '../../../scripts/compile-wat.js';
import { RESAMPLE_FILTERS, type ResampleFilterName } from './resample-filters.js';
import { RESAMPLE_KERNELS_WASM_BASE64 } from './resample-kernels-wasm.js';
import { planResample } from './resample-plan.js';
import { resampleScalar } from './resample-scalar.js';
import { resampleSimd, simdResamplingAvailable } from './resample-simd.js';

/** Random RGB images of 1..80 pixels a side, resized to 1..80 a side with either filter. */
const resizeCases = fc.record({
  width: fc.integer({ min: 1, max: 80 }),
  height: fc.integer({ min: 1, max: 80 }),
  targetWidth: fc.integer({ min: 1, max: 80 }),
  targetHeight: fc.integer({ min: 1, max: 80 }),
  filter: fc.constantFrom<ResampleFilterName>('bicubic', 'bilinear'),
  seed: fc.integer(),
  // High contrast exercises the negative lobes and the clipping; smooth images the ordinary path.
  contrast: fc.constantFrom('noise', 'checkerboard', 'extremes'),
});

function makeImage(width: number, height: number, seed: number, contrast: string) {
  const data = new Uint8Array(width * height * 3);
  let state = seed >>> 0;
  for (let index = 0; index < data.length; index++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const pixel = Math.floor(index / 3);
    if (contrast === 'noise') data[index] = state >>> 24;
    else if (contrast === 'checkerboard') data[index] = ((pixel % width) + Math.floor(pixel / width)) % 2 ? 255 : 0;
    else data[index] = state & 0x1000000 ? 255 : 0;
  }
  return { width, height, data };
}

describe('resampleSimd', () => {
  it('is available on Node 20+', () => {
    expect(simdResamplingAvailable()).toBe(true);
  });

  it('gives the same bytes as the scalar reference for any sizes, filters and content', () => {
    fc.assert(
      fc.property(resizeCases, ({ width, height, targetWidth, targetHeight, filter, seed, contrast }) => {
        fc.pre(width !== targetWidth || height !== targetHeight);
        const image = makeImage(width, height, seed, contrast);
        const plan = planResample(image, targetWidth, targetHeight, RESAMPLE_FILTERS[filter]);
        const simd = resampleSimd(image, plan);
        const scalar = resampleScalar(image, planResample(image, targetWidth, targetHeight, RESAMPLE_FILTERS[filter]));
        expect([simd.width, simd.height]).toEqual([targetWidth, targetHeight]);
        expect(Buffer.from(simd.data).equals(Buffer.from(scalar.data))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with the scalar reference on a large shrink (12 MP to 224², 73 taps a pixel)', () => {
    const image = makeImage(4000, 3000, 7, 'noise');
    const plan = () => planResample(image, 224, 224, RESAMPLE_FILTERS.bicubic);
    expect(Buffer.from(resampleSimd(image, plan()).data).equals(Buffer.from(resampleScalar(image, plan()).data))).toBe(true);
  });

  it('embeds the binary that resample-kernels.wat assembles to', async () => {
    const assembled = await compileWat(KERNEL_MODULES.resample.wat);
    expect(Buffer.from(assembled).toString('base64')).toBe(RESAMPLE_KERNELS_WASM_BASE64);
  });
});
