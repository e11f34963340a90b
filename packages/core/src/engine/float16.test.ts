import { describe, expect, it } from 'vitest';
import { float16ToFloat32, float32ToFloat16 } from './float16.js';

/** The value of float16 bits by the IEEE 754 definition, in float64 (an independent oracle). */
function halfValue(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0x1f) return mantissa ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return exponent === 0 ? sign * mantissa * 2 ** -24 : sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

const ALL_BITS = Uint16Array.from({ length: 65536 }, (_, bits) => bits);

describe('float16ToFloat32', () => {
  it('gives every one of the 65536 float16 values exactly', () => {
    const values = float16ToFloat32(ALL_BITS);
    const wrong = [...ALL_BITS].filter((bits) => !Object.is(values[bits], halfValue(bits)));
    expect(wrong).toEqual([]);
  });
});

describe('float32ToFloat16', () => {
  it('round-trips every float16 value, -0 and both infinities included, and keeps NaN a NaN', () => {
    const back = float32ToFloat16(float16ToFloat32(ALL_BITS));
    const wrong = [...ALL_BITS].filter((bits) => (Number.isNaN(halfValue(bits)) ? !Number.isNaN(halfValue(back[bits])) : back[bits] !== bits));
    expect(wrong).toEqual([]);
  });

  it('rounds halfway cases to the even neighbour and anything past them to the nearer one', () => {
    const lows: number[] = [];
    const halfways: number[] = [];
    const aboves: number[] = [];
    // Adjacent positive finite float16 pairs, subnormals and normals: their midpoints are exact in float32.
    for (let bits = 0; bits < 0x7bff; bits++) {
      const [low, high] = [halfValue(bits), halfValue(bits + 1)];
      const middle = (low + high) / 2;
      lows.push(bits);
      halfways.push(middle);
      aboves.push(Math.fround(middle + (high - low) / 8));
    }
    const roundedHalfways = float32ToFloat16(Float32Array.from(halfways));
    const roundedAboves = float32ToFloat16(Float32Array.from(aboves));
    expect(lows.filter((bits, index) => roundedHalfways[index] !== (bits % 2 === 0 ? bits : bits + 1))).toEqual([]);
    expect(lows.filter((bits, index) => roundedAboves[index] !== bits + 1)).toEqual([]);
  });

  it('gives ±Infinity from ±65520 (half an ulp above the largest float16) and ±0 below 2^-25', () => {
    const bits = float32ToFloat16(Float32Array.of(65504, 65519.99, 65520, 1e10, -65520, 2 ** -25, 2 ** -25 * 1.0001, -(2 ** -26), 3e-8));
    expect([...bits]).toEqual([0x7bff, 0x7bff, 0x7c00, 0x7c00, 0xfc00, 0x0000, 0x0001, 0x8000, 0x0001]);
  });

  it('converts a subarray view from its own offset', () => {
    const values = Float32Array.of(7, 1, -2, 0.5);
    expect([...float32ToFloat16(values.subarray(1, 3))]).toEqual([0x3c00, 0xc000]);
  });
});
