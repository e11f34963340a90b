/** PaliGemma's VQ-VAE mask decoder (big_vision `vae-oid.npz`): 16 codebook indices → 64×64 mask logits. */
import { readFile } from 'node:fs/promises';
import { InvalidInputError } from '../../errors/index.js';
import { readNpz } from './npz.js';
import { type ConvRunner, type GatherConv, type FeatureMap, createScalarConvRunner, prepareConv, prepareUpsample } from './vae-layers.js';
import { createSimdConvRunner } from './vae-simd.js';
import { VaeFormatError, VaeUnavailableError } from './vae-errors.js';
import { VAE_EMBEDDING_KEY, VAE_HIDDEN_CHANNELS, VAE_UPSAMPLE_CHANNELS, type VaeWeights, vaeWeightsFromArrays } from './vae-weights.js';

import { VAE_CODEBOOK_SIZE, VAE_CODES_PER_MASK, VAE_MASK_SIZE } from './vae-shape.js';

const GRID_SIZE = 4;

/** Turns 16 codes into mask logits. */
export interface VaeDecoder {
  /** Width of the codebook vectors, read from the file (512 for the published one, per DESIGN.md). */
  readonly embeddingDim: number;
  /**
   * 64×64 mask logits, row-major; positive means inside the object (the published model's values lie in about
   * [−1, 1]). Codes are the 16 `<segNNN>` values (0..127) in the order the model emits them.
   */
  decode(codes: readonly number[]): Float32Array;
}

/**
 * Reads `vae-oid.npz` and prepares its decoder. Errors name the file and the missing or malformed key.
 * @example
 * const vae = await loadVae('/cache/vae-oid.npz')
 * const logits = vae.decode([12, 5, 99, 3, 7, 7, 7, 7, 0, 1, 2, 3, 4, 5, 6, 127]) // Float32Array(4096)
 */
export async function loadVae(path: string, options: VaeDecoderOptions = {}): Promise<VaeDecoder> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    // A file that is not there (or not readable) is unavailable rather than malformed.
    throw new VaeUnavailableError(`cannot read VAE weights ${path}: ${(error as Error).message}`, { cause: error });
  }
  // Only the codebook and the decoder: other arrays (the encoder's) may use types this reader does not convert.
  const arrays = readNpz(bytes, path, { keys: (key) => key === VAE_EMBEDDING_KEY || key.startsWith('decoder.') });
  return createVaeDecoder(vaeWeightsFromArrays(arrays, path), options);
}

/** How the decoder computes. */
export interface VaeDecoderOptions {
  /**
   * `simd`: WebAssembly SIMD kernels (about 4× faster); `scalar`: plain TypeScript; `auto`: SIMD where the runtime
   * has it. @default 'auto'
   */
  kernels?: 'auto' | 'simd' | 'scalar';
}

/**
 * A decoder from validated weights (see `vaeWeightsFromArrays`).
 * @example const vae = createVaeDecoder(vaeWeightsFromArrays(readNpz(bytes)))
 */
export function createVaeDecoder(weights: VaeWeights, options: VaeDecoderOptions = {}): VaeDecoder {
  return new GatherVaeDecoder(weights, options.kernels ?? 'auto');
}

class GatherVaeDecoder implements VaeDecoder {
  readonly embeddingDim: number;
  /** `relu(Conv1×1(embedding[code]))` per code: the first layer only ever sees the 128 codebook vectors. */
  private readonly codeFeatures: Float32Array;
  private readonly resBlocks: Array<[GatherConv, GatherConv, GatherConv]>;
  private readonly upsample: GatherConv[];
  private readonly outputWeight: Float32Array;
  private readonly outputBias: number;
  private readonly runner: ConvRunner;

  constructor(weights: VaeWeights, kernels: 'auto' | 'simd' | 'scalar') {
    this.embeddingDim = weights.embeddingDim;
    this.codeFeatures = codeFeatureTable(weights);
    this.resBlocks = weights.resBlocks.map((block) => [
      prepareConv(block.first.weight, block.first.bias, VAE_HIDDEN_CHANNELS, VAE_HIDDEN_CHANNELS, 3, GRID_SIZE, GRID_SIZE),
      prepareConv(block.second.weight, block.second.bias, VAE_HIDDEN_CHANNELS, VAE_HIDDEN_CHANNELS, 3, GRID_SIZE, GRID_SIZE),
      prepareConv(block.projection.weight, block.projection.bias, VAE_HIDDEN_CHANNELS, VAE_HIDDEN_CHANNELS, 1, GRID_SIZE, GRID_SIZE),
    ]);
    this.upsample = weights.upsample.map((layer, index) => {
      const size = GRID_SIZE << index;
      return prepareUpsample(layer.weight, layer.bias, VAE_UPSAMPLE_CHANNELS[index], VAE_UPSAMPLE_CHANNELS[index + 1], size, size);
    });
    this.outputWeight = weights.output.weight;
    this.outputBias = weights.output.bias[0];
    const simd = kernels === 'scalar' ? null : createSimdConvRunner([...this.resBlocks.flat(), ...this.upsample]);
    if (kernels === 'simd' && !simd) throw new Error('WebAssembly SIMD is not available in this runtime');
    this.runner = simd ?? createScalarConvRunner();
  }

  decode(codes: readonly number[]): Float32Array {
    checkCodes(codes);
    const grid = new Float32Array(VAE_CODES_PER_MASK * VAE_HIDDEN_CHANNELS);
    codes.forEach((code, cell) => {
      grid.set(this.codeFeatures.subarray(code * VAE_HIDDEN_CHANNELS, (code + 1) * VAE_HIDDEN_CHANNELS), cell * VAE_HIDDEN_CHANNELS);
    });
    let x: FeatureMap = { height: GRID_SIZE, width: GRID_SIZE, channels: VAE_HIDDEN_CHANNELS, data: grid };
    for (const [first, second, projection] of this.resBlocks) {
      const branch = this.runner.run(projection, this.runner.run(second, this.runner.run(first, x, true), true), false);
      for (let index = 0; index < branch.data.length; index += 1) branch.data[index] += x.data[index];
      x = branch;
    }
    for (const layer of this.upsample) x = this.runner.run(layer, x, true);
    const logits = new Float32Array(VAE_MASK_SIZE * VAE_MASK_SIZE);
    const channels = x.channels;
    for (let pixel = 0; pixel < logits.length; pixel += 1) {
      let sum = this.outputBias;
      for (let c = 0; c < channels; c += 1) sum += this.outputWeight[c] * x.data[pixel * channels + c];
      logits[pixel] = sum;
    }
    return logits;
  }
}

function codeFeatureTable(weights: VaeWeights): Float32Array {
  const { embedding, embeddingDim, input } = weights;
  const table = new Float32Array(VAE_CODEBOOK_SIZE * VAE_HIDDEN_CHANNELS);
  for (let code = 0; code < VAE_CODEBOOK_SIZE; code += 1) {
    for (let o = 0; o < VAE_HIDDEN_CHANNELS; o += 1) {
      let sum = input.bias[o];
      for (let d = 0; d < embeddingDim; d += 1) sum += input.weight[o * embeddingDim + d] * embedding[code * embeddingDim + d];
      table[code * VAE_HIDDEN_CHANNELS + o] = Math.max(0, sum);
    }
  }
  return table;
}

function checkCodes(codes: readonly number[]): void {
  if (codes.length !== VAE_CODES_PER_MASK) throw new InvalidInputError(`a mask needs ${VAE_CODES_PER_MASK} codes, got ${codes.length}`);
  for (const code of codes) {
    if (!Number.isInteger(code) || code < 0 || code >= VAE_CODEBOOK_SIZE) {
      throw new InvalidInputError(`mask codes must be integers 0..${VAE_CODEBOOK_SIZE - 1}, got ${code}`);
    }
  }
}
