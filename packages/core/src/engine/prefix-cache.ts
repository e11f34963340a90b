/**
 * Remembers the decoder's keys and values for a whole prompt (image tokens and text) and the logits of its first
 * token, so asking the same thing about the same image again skips the vision encoder and the prefill.
 *
 * Only whole prompts can be reused: PaliGemma's prefix attends bidirectionally, so the image tokens' keys and
 * values depend on the text after them, and a different question about the same image must be prefilled again
 * (it still skips the vision encoder through the image-feature cache).
 */
import { createHash } from 'node:crypto';
import { DEFAULT_PREFIX_CACHE_BYTES } from '../settings/defaults.js';
import { ByteBudgetCache } from './byte-budget-cache.js';
import type { PrefilledRow } from './decoder-batch.js';


export interface PrefilledPrompt {
  row: PrefilledRow;
  /** Next-token logits after the prompt; copy before changing them. */
  logits: Float32Array;
}

export class PrefixCache extends ByteBudgetCache<PrefilledPrompt> {
  /** @param maxBytes total size of the cached keys, values and logits; 0 turns caching off. */
  constructor(maxBytes = DEFAULT_PREFIX_CACHE_BYTES) {
    super(maxBytes, ({ row, logits }) => row.past.reduce((bytes, tensor) => bytes + tensor.byteLength, logits.byteLength));
  }

  /**
   * The key of a prompt: its image (an `ImageFeatureCache` key) and its token ids.
   * @example const key = PrefixCache.keyOf(ImageFeatureCache.keyOf(pixelValues), promptIds)
   */
  static keyOf(imageKey: string, promptIds: readonly number[]): string {
    const ids = Int32Array.from(promptIds);
    return createHash('sha256').update(imageKey).update(new Uint8Array(ids.buffer)).digest('base64url');
  }
}
