/** Sampling options every task takes: greedy decoding (the most likely token each step) unless `temperature` is above 0. */
import * as z from 'zod';

/**
 * `temperature`, `topP`, `topK` and `seed`, in the order they apply: the logits are divided by the temperature, cut to
 * the `topK` most likely tokens, then to the smallest set whose probabilities add up to `topP`, and the token is drawn
 * with a generator seeded by `seed`.
 * @example { temperature: 0.7, topP: 0.9, seed: 42 }
 */
export const SamplingOptionsSchema = z.strictObject({
  /** 0 (or absent) picks the most likely token: greedy, exactly as without sampling. @default 0 */
  temperature: z.number().nonnegative('temperature must be 0 or more').optional(),
  /** Nucleus sampling: draw among the most likely tokens whose probabilities add up to this share. @default 1 */
  topP: z.number().gt(0, 'topP must be above 0').max(1, 'topP must be at most 1').optional(),
  /** Draw among this many most likely tokens only. @default every token */
  topK: z.number().int().positive('topK must be a whole number above 0').optional(),
  /** The same seed, image, prompt and options give the same tokens. @default a random seed per request */
  seed: z.number().int('seed must be a whole number').optional(),
});
export type SamplingOptions = z.infer<typeof SamplingOptionsSchema>;
