/** The VQ-VAE decoder's weights as `vae-oid.npz` names them, checked for presence and shape. */
import type { NpyArray } from './npz.js';
import { VaeFormatError } from './vae-errors.js';
import { VAE_CODEBOOK_SIZE } from './vae-shape.js';

/** Width of the decoder's first layers (big_vision `Decoder`: `dim = 128`). */
export const VAE_HIDDEN_CHANNELS = 128;
/** Channels into and out of each of the four 2× upsampling layers. */
export const VAE_UPSAMPLE_CHANNELS = [128, 128, 64, 32, 16] as const;
/** Key of the codebook, `[128, D]`. */
export const VAE_EMBEDDING_KEY = '_vq_vae._embedding';
/** Keys of the two residual blocks (PyTorch `Sequential` indices 2 and 3). */
export const VAE_RESBLOCK_KEYS = ['decoder.2.net', 'decoder.3.net'] as const;
/** Keys of the four `ConvTranspose2d(4, stride 2, padding 1)` layers. */
export const VAE_UPSAMPLE_KEYS = ['decoder.4', 'decoder.6', 'decoder.8', 'decoder.10'] as const;

/** One convolution: PyTorch weight layout (`Conv2d` `[out, in, kh, kw]`, `ConvTranspose2d` `[in, out, kh, kw]`). */
export interface ConvWeights {
  weight: Float32Array;
  bias: Float32Array;
}

/** A residual block: 3×3 → ReLU → 3×3 → ReLU → 1×1, added to its input. */
export interface ResBlockWeights {
  first: ConvWeights;
  second: ConvWeights;
  projection: ConvWeights;
}

/** Everything the decoder needs, validated. */
export interface VaeWeights {
  embeddingDim: number;
  /** `[128, embeddingDim]` row-major. */
  embedding: Float32Array;
  input: ConvWeights;
  resBlocks: [ResBlockWeights, ResBlockWeights];
  upsample: [ConvWeights, ConvWeights, ConvWeights, ConvWeights];
  output: ConvWeights;
}

/**
 * Picks the decoder's arrays out of a parsed `.npz`, checking every key and shape; errors name the key.
 * Other keys (the encoder's) are ignored.
 * @example const weights = vaeWeightsFromArrays(readNpz(bytes))
 */
export function vaeWeightsFromArrays(arrays: Map<string, NpyArray>, name = 'VAE weights'): VaeWeights {
  const get = (key: string, expected: (number | 'D')[]): Float32Array => {
    const array = arrays.get(key);
    if (!array) throw new VaeFormatError(`${name} lack the key "${key}" (expected shape [${expected}])`);
    const matches = array.shape.length === expected.length && expected.every((size, index) => size === 'D' || array.shape[index] === size);
    if (!matches) throw new VaeFormatError(`${name}: "${key}" has shape [${array.shape}], expected [${expected}]`);
    return array.data;
  };
  const embeddingShape = arrays.get(VAE_EMBEDDING_KEY)?.shape;
  const embeddingDim = embeddingShape?.length === 2 ? embeddingShape[1] : 0;
  const embedding = get(VAE_EMBEDDING_KEY, [VAE_CODEBOOK_SIZE, 'D']);
  if (embeddingDim === 0) throw new VaeFormatError(`${name}: "${VAE_EMBEDDING_KEY}" has an empty embedding dimension`);
  const conv = (key: string, out: number, input: number, kernel: number): ConvWeights => ({
    weight: get(`${key}.weight`, [out, input, kernel, kernel]),
    bias: get(`${key}.bias`, [out]),
  });
  const resBlock = (key: string): ResBlockWeights => ({
    first: conv(`${key}.0`, VAE_HIDDEN_CHANNELS, VAE_HIDDEN_CHANNELS, 3),
    second: conv(`${key}.2`, VAE_HIDDEN_CHANNELS, VAE_HIDDEN_CHANNELS, 3),
    projection: conv(`${key}.4`, VAE_HIDDEN_CHANNELS, VAE_HIDDEN_CHANNELS, 1),
  });
  const upsample = (layer: number): ConvWeights => ({
    // ConvTranspose2d stores [in, out, kh, kw].
    weight: get(`${VAE_UPSAMPLE_KEYS[layer]}.weight`, [VAE_UPSAMPLE_CHANNELS[layer], VAE_UPSAMPLE_CHANNELS[layer + 1], 4, 4]),
    bias: get(`${VAE_UPSAMPLE_KEYS[layer]}.bias`, [VAE_UPSAMPLE_CHANNELS[layer + 1]]),
  });
  return {
    embeddingDim,
    embedding,
    input: conv('decoder.0', VAE_HIDDEN_CHANNELS, embeddingDim, 1),
    resBlocks: [resBlock(VAE_RESBLOCK_KEYS[0]), resBlock(VAE_RESBLOCK_KEYS[1])],
    upsample: [upsample(0), upsample(1), upsample(2), upsample(3)],
    output: conv('decoder.12', 1, VAE_UPSAMPLE_CHANNELS[4], 1),
  };
}
