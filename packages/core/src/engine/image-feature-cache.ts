/** Remembers vision-encoder outputs per image, so another question about the same image skips the encoder. */
import { createHash } from 'node:crypto';
import { DEFAULT_FEATURE_CACHE_BYTES } from '../settings/defaults.js';
import { ByteBudgetCache } from './byte-budget-cache.js';
import type { ImageFeatures } from './prompt-embeddings.js';


export class ImageFeatureCache extends ByteBudgetCache<ImageFeatures> {
  /** @param maxBytes total size of the cached features; 0 turns caching off. */
  constructor(maxBytes = DEFAULT_FEATURE_CACHE_BYTES) {
    super(maxBytes, (features) => features.data.byteLength);
  }

  /**
   * The key of an image: a hash of the exact pixel values the encoder would see.
   * @example const key = ImageFeatureCache.keyOf(pixelValues)
   */
  static keyOf(pixelValues: Float32Array): string {
    return createHash('sha256').update(new Uint8Array(pixelValues.buffer, pixelValues.byteOffset, pixelValues.byteLength)).digest('base64url');
  }
}
