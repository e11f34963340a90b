/**
 * Bilinear resize of a float image exactly as Pillow does it for mode `F` images (`Image.resize(size, BILINEAR)`),
 * which is what big_vision's evaluator applies to the 64×64 mask: a triangle filter whose support widens when
 * shrinking (antialiasing), normalised float64 weights, horizontal pass first, float32 storage after each pass.
 */

/** Pillow's bilinear filter reaches one source pixel to each side (before widening for downscaling). */
const BILINEAR_SUPPORT = 1;

/** Per output pixel: the first source pixel, how many it reads, and their weights (`size` slots per pixel). */
export interface ResampleCoefficients {
  first: Int32Array;
  count: Int32Array;
  weights: Float64Array;
  size: number;
}

/**
 * Pillow's `precompute_coeffs` for the bilinear filter, from `inSize` source pixels to `outSize`.
 * @example resampleCoefficients(64, 200).count[0] // 2
 */
export function resampleCoefficients(inSize: number, outSize: number): ResampleCoefficients {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = BILINEAR_SUPPORT * filterScale;
  const size = Math.ceil(support) * 2 + 1;
  const first = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float64Array(outSize * size);
  for (let out = 0; out < outSize; out += 1) {
    const center = (out + 0.5) * scale;
    // Pillow rounds the window ends with a C (int) cast of value + 0.5, i.e. truncation toward zero.
    const start = Math.max(0, Math.trunc(center - support + 0.5));
    const end = Math.min(inSize, Math.trunc(center + support + 0.5));
    let total = 0;
    for (let index = start; index < end; index += 1) {
      const distance = Math.abs((index - center + 0.5) / filterScale);
      const weight = distance < 1 ? 1 - distance : 0;
      weights[out * size + index - start] = weight;
      total += weight;
    }
    if (total !== 0) for (let index = 0; index < end - start; index += 1) weights[out * size + index] /= total;
    first[out] = start;
    count[out] = Math.max(0, end - start);
  }
  return { first, count, weights, size };
}

/**
 * Resizes a row-major float image from `width × height` to `outWidth × outHeight` like Pillow's bilinear resize of
 * a mode `F` image.
 * @example resizeBilinear(logits, 64, 64, 120, 80) // Float32Array(9600)
 */
export function resizeBilinear(source: Float32Array, width: number, height: number, outWidth: number, outHeight: number): Float32Array {
  const horizontal = horizontalPass(source, width, height, outWidth);
  // Pillow skips a pass whose size is unchanged.
  if (outHeight === height) return horizontal === source ? Float32Array.from(source) : horizontal;
  const vertical = resampleCoefficients(height, outHeight);
  const output = new Float32Array(outWidth * outHeight);
  for (let y = 0; y < outHeight; y += 1) {
    const first = vertical.first[y];
    const count = vertical.count[y];
    const base = y * vertical.size;
    for (let x = 0; x < outWidth; x += 1) {
      let sum = 0;
      for (let tap = 0; tap < count; tap += 1) sum += horizontal[(first + tap) * outWidth + x] * vertical.weights[base + tap];
      output[y * outWidth + x] = sum;
    }
  }
  return output;
}

/**
 * The horizontal pass alone: `height` rows of `outWidth` float32 values (Pillow stores the intermediate image as
 * float32, which matters for values near the threshold).
 * @example horizontalPass(logits, 64, 64, 120).length // 64 * 120
 */
export function horizontalPass(source: Float32Array, width: number, height: number, outWidth: number): Float32Array {
  if (outWidth === width) return source;
  const coefficients = resampleCoefficients(width, outWidth);
  const output = new Float32Array(outWidth * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < outWidth; x += 1) {
      const first = coefficients.first[x];
      const base = x * coefficients.size;
      let sum = 0;
      for (let tap = 0; tap < coefficients.count[x]; tap += 1) sum += source[y * width + first + tap] * coefficients.weights[base + tap];
      output[y * outWidth + x] = sum;
    }
  }
  return output;
}
