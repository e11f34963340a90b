/** Token accounting returned with every result. */
import * as z from 'zod';

export const UsageSchema = z.looseObject({
  /** Tokens in the prompt, image tokens included. */
  promptTokens: z.number().int().nonnegative(),
  /** Tokens generated. */
  completionTokens: z.number().int().nonnegative(),
  /** Wall time spent in the model for this request, in milliseconds. */
  durationMs: z.number().nonnegative(),
  /**
   * Why generation ended: `stop` when the model ended its answer (or a stop sequence appeared), `length` when it
   * reached the token budget. Optional because servers before it was added do not send it.
   */
  finishReason: z.enum(['stop', 'length']).optional(),
});
export type Usage = z.infer<typeof UsageSchema>;

/** `maxNewTokens` as a request field: a positive integer; the server applies its own cap. */
export const MaxNewTokensSchema = z.number().int().positive();
