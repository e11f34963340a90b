import { describe, expect, it } from 'vitest';
import type { DecodedImage } from './decoded-image.js';
import { PRECISION_BITS, computeResampleCoefficients } from './resample/resample-coefficients.js';
import { RESAMPLE_FILTERS } from './resample/resample-filters.js';
import { resizeBicubic, resizeImage } from './resize-image.js';

/** 7×5: a 0/255 checkerboard in red (overshoots and must clip), gradients in green and blue. */
function patternImage(): DecodedImage {
  const width = 7;
  const height = 5;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      data.set([(x + y) % 2 ? 255 : 0, (x * 37 + y * 11) % 256, (x * 91 + y * 53 + 17) % 256], (y * width + x) * 3);
    }
  }
  return { width, height, data };
}

function constantImage(width: number, height: number, rgb: [number, number, number]): DecodedImage {
  const data = new Uint8Array(width * height * 3);
  for (let index = 0; index < data.length; index += 3) data.set(rgb, index);
  return { width, height, data };
}

// Expected bytes from Pillow 9.4 `Image.fromarray(pattern).resize((width, height), filter)` (RGB, row-major).
const PILLOW_CASES = [
  [4, 3, 'bicubic', '7c13567f51a37f95767cd3637f258b7f637d7fa78f7fea757c37807f758a7fbf7f7ca574'],
  [9, 6, 'bicubic', '00000bc416469735a01952adff6f20198c6197a9c5c4c8ae00e029d80633531e6c713dd0c25ae4277748c2949771b16853d039d8e85a600f608f27b58546b76863779f8076689ddd85ba728fd93260f28c6019928f319085505d686d439f8aa268a7a085c36c8fe77560ffc5d822c8533a3c715926c276902793d0c2b03471d14c53da99d8c7aa002aefc44271976159197eb6ff9bf819b86b97e78ac49e7c000000'],
  [7, 3, 'bicubic', '6a04249529876a4ee29573356a989895bd806ae2467e167b813ba07e606781858c7eaab181cf387efea76a28d2954d256a72809597e36abc3695e1996a705f'],
  [3, 5, 'bicubic', '6f1b5c826f746fc3869026927d7a9e90ce4b6f319082858c6fd988903c5d7d906f90e4876f479282a3ac6f8d5a'],
  [4, 3, 'bilinear', '7d18587f529e7f96777dd0657d29897f637d7fa78f7de1777d3a847f748b7fb87a7da674'],
  [16, 2, 'bilinear', '740b467811528221758a31978041a57652b37c629586726c8682687c928b76a2a080b3808ac36182d36278e36774e9687421b07827a18237778a475280576176686e7c788d8688b08698ac7ca88376b86480c96d8ad97682c87b78b47f74ae81'],
] as const;

describe('resizeImage', () => {
  it.each(PILLOW_CASES)('matches Pillow resizing 7×5 to %i×%i (%s)', (width, height, filter, expectedHex) => {
    const resized = resizeImage(patternImage(), width, height, filter);
    expect([resized.width, resized.height]).toEqual([width, height]);
    expect(Buffer.from(resized.data).toString('hex')).toBe(expectedHex);
  });

  it.each([224, 448, 896])('keeps a constant image constant at %i² pixels, shrinking and enlarging', (size) => {
    for (const [width, height] of [[1000, 750], [300, 200]]) {
      const resized = resizeBicubic(constantImage(width, height, [12, 200, 255]), size, size);
      expect(resized.data.length).toBe(size * size * 3);
      const distinct = new Set<string>();
      for (let index = 0; index < resized.data.length; index += 3) distinct.add(resized.data.subarray(index, index + 3).join(','));
      expect([...distinct]).toEqual(['12,200,255']);
    }
  });

  it('returns a copy when the size does not change', () => {
    const image = patternImage();
    const same = resizeImage(image, image.width, image.height);
    expect(same.data).toEqual(image.data);
    expect(same.data).not.toBe(image.data);
  });

  it.each([
    ['zero width', 0, 3],
    ['fractional height', 3, 2.5],
    ['negative height', 3, -1],
  ])('rejects a %s', (_, width, height) => {
    expect(() => resizeImage(patternImage(), width, height)).toThrow(RangeError);
  });

  it('rejects data of the wrong length', () => {
    expect(() => resizeImage({ width: 2, height: 2, data: new Uint8Array(11) }, 1, 1)).toThrow(/12/);
  });
});

describe('computeResampleCoefficients', () => {
  it('stretches the filter when shrinking and normalises every output pixel to one', () => {
    const { weights, starts, counts, taps } = computeResampleCoefficients(4000, 224, RESAMPLE_FILTERS.bicubic);
    // Support 2 × (4000 / 224) ≈ 35.7 source pixels on each side.
    expect(taps).toBe(36 * 2 + 1);
    for (let output = 0; output < 224; output++) {
      expect(starts[output] + counts[output]).toBeLessThanOrEqual(4000);
      const sum = weights.subarray(output * taps, output * taps + counts[output]).reduce((total, weight) => total + weight, 0);
      // Rounding each weight moves the sum by at most half a unit per tap.
      expect(Math.abs(sum - 2 ** PRECISION_BITS)).toBeLessThanOrEqual(taps / 2);
    }
  });
});
