/** `POST /v1/caption`. */
import * as z from 'zod';
import { ImageSourceSchema } from './image.js';
import { LanguageCodeSchema } from './languages.js';
import { SamplingOptionsSchema } from './sampling.js';
import { MaxNewTokensSchema, UsageSchema } from './usage.js';

/** Options shared by the HTTP request and the in-process `caption()` call. */
export const CaptionOptionsSchema = z.strictObject({
  /** @default 'en' */
  lang: LanguageCodeSchema.optional(),
  /** `short` → `caption <lang>`, `long` → `describe <lang>`. @default 'short' */
  length: z.enum(['short', 'long']).optional(),
  maxNewTokens: MaxNewTokensSchema.optional(),
  ...SamplingOptionsSchema.shape,
});
export type CaptionOptions = z.infer<typeof CaptionOptionsSchema>;

export const CaptionRequestSchema = CaptionOptionsSchema.extend({ image: ImageSourceSchema });
export type CaptionRequest = z.infer<typeof CaptionRequestSchema>;

export const CaptionResultSchema = z.looseObject({ caption: z.string(), usage: UsageSchema });
export type CaptionResult = z.infer<typeof CaptionResultSchema>;
