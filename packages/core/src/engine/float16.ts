/**
 * float32 ⇄ float16 for the engine's boundary with float16 graphs (fp16, q4f16 exports). Node 20 has no
 * `Float16Array`, and ONNX Runtime for Node takes and gives float16 tensors as `Uint16Array` bit patterns. The
 * `Float16Array` polyfills read element by element through a Proxy, too slow for a 257k-entry logits row per step,
 * so these convert whole arrays: a 64k-entry table one way, bit arithmetic (round to nearest, ties to even) the other.
 */

let halfTable: Float32Array | undefined;

/** The float32 value of every float16 bit pattern, built on first use (256 KiB). */
function float16Table(): Float32Array {
  if (halfTable) return halfTable;
  halfTable = new Float32Array(65536);
  for (let bits = 0; bits < 65536; bits++) {
    const sign = bits & 0x8000 ? -1 : 1;
    const exponent = (bits >> 10) & 0x1f;
    const mantissa = bits & 0x3ff;
    halfTable[bits] = exponent === 0
      ? sign * mantissa * 2 ** -24
      : exponent === 0x1f
        ? (mantissa ? Number.NaN : sign * Number.POSITIVE_INFINITY)
        : sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
  }
  return halfTable;
}

/**
 * float16 bit patterns → float32 values (exact: every float16 is a float32).
 * @example float16ToFloat32(Uint16Array.of(0x3c00, 0xc000)) // Float32Array [1, -2]
 */
export function float16ToFloat32(bits: Uint16Array): Float32Array {
  const table = float16Table();
  const out = new Float32Array(bits.length);
  for (let index = 0; index < bits.length; index++) out[index] = table[bits[index]];
  return out;
}

/**
 * float32 values → float16 bit patterns, rounded to nearest with ties to even; beyond ±65504 they become ±Infinity,
 * below the smallest subnormal ±0, as a hardware conversion does.
 * @example float32ToFloat16(Float32Array.of(1, -2, 70000)) // Uint16Array [0x3c00, 0xc000, 0x7c00]
 */
export function float32ToFloat16(values: Float32Array): Uint16Array {
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let index = 0; index < words.length; index++) out[index] = wordToFloat16(words[index]);
  return out;
}

/** One float32 (as its bits) to float16 bits. */
function wordToFloat16(word: number): number {
  const sign = (word >>> 16) & 0x8000;
  const exponent = (word >>> 23) & 0xff;
  const mantissa = word & 0x7fffff;
  // Infinity stays infinite; NaN stays NaN (quiet, with a mantissa bit set so it never reads as Infinity).
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00;
  if (halfExponent <= 0) {
    // Subnormal half: below half the smallest subnormal (2^-25) everything rounds to zero.
    if (halfExponent < -10) return sign;
    const full = mantissa | 0x800000;
    const shift = 14 - halfExponent;
    const half = full >>> shift;
    const remainder = full & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    return sign | (remainder > halfway || (remainder === halfway && half & 1) ? half + 1 : half);
  }
  const half = sign | (halfExponent << 10) | (mantissa >>> 13);
  const remainder = mantissa & 0x1fff;
  // A carry out of the mantissa moves into the exponent, which is the right result (up to Infinity).
  return remainder > 0x1000 || (remainder === 0x1000 && half & 1) ? half + 1 : half;
}
