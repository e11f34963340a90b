/** A reusable block of random bytes in a tensor's data type: filling gigabytes by tiling it is fast. */
import { TENSOR_TYPE } from './onnx-graph.js';

/** 16 MiB: large enough that tiling shows no pattern at any matrix's scale, small enough to build instantly. */
const BLOCK_BYTES = 16 * 1024 * 1024;
/** Weights of trained transformers are small; ±0.05 keeps 18 random layers' activations finite. */
const AMPLITUDE = 0.05;

export function randomBlock(dataType: number, seed = 1): Uint8Array {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    return state / 2 ** 32;
  };
  if (dataType === TENSOR_TYPE.FLOAT) {
    const values = new Float32Array(BLOCK_BYTES / 4);
    for (let index = 0; index < values.length; index++) values[index] = (next() * 2 - 1) * AMPLITUDE;
    return new Uint8Array(values.buffer);
  }
  if (dataType === TENSOR_TYPE.FLOAT16) {
    // Half floats with exponent 2^-8..2^-5 and a random sign and mantissa: |x| < 0.0625.
    const values = new Uint16Array(BLOCK_BYTES / 2);
    for (let index = 0; index < values.length; index++) {
      const exponent = 7 + Math.floor(next() * 4);
      values[index] = (next() < 0.5 ? 0x8000 : 0) | (exponent << 10) | Math.floor(next() * 1024);
    }
    return new Uint8Array(values.buffer);
  }
  const bytes = new Uint8Array(BLOCK_BYTES);
  for (let index = 0; index < bytes.length; index++) bytes[index] = Math.floor(next() * 256);
  return bytes;
}
