/** `POST /v1/generate`: a raw prompt, answered as JSON or streamed as Server-Sent Events. */
import * as z from 'zod';
import { ImageSourceSchema } from './image.js';
import { promptTextProblem } from './text-rules.js';
import { SamplingOptionsSchema } from './sampling.js';
import { MaxNewTokensSchema, UsageSchema } from './usage.js';

/** A raw PaliGemma prompt such as `caption en` or `detect cat`; the trailing newline is added for you. */
export const PromptSchema = z.string().superRefine((prompt, context) => {
  const problem = promptTextProblem(prompt, 'prompt');
  if (problem) context.addIssue({ code: 'custom', message: problem });
});

export const GenerateOptionsSchema = z.strictObject({
  maxNewTokens: MaxNewTokensSchema.optional(),
  ...SamplingOptionsSchema.shape,
});
export type GenerateOptions = z.infer<typeof GenerateOptionsSchema>;

export const GenerateRequestSchema = GenerateOptionsSchema.extend({
  image: ImageSourceSchema,
  prompt: PromptSchema,
  /** Answer as Server-Sent Events: `token` events, then one `done` event. @default false */
  stream: z.boolean().optional(),
});
export type GenerateRequest = z.infer<typeof GenerateRequestSchema>;

export const GenerateResultSchema = z.looseObject({ text: z.string(), usage: UsageSchema });
export type GenerateResult = z.infer<typeof GenerateResultSchema>;

/** SSE `event: token`: one generated token, its id and decoded text piece. */
export const TokenEventSchema = z.looseObject({ id: z.number().int(), text: z.string() });
export type TokenEvent = z.infer<typeof TokenEventSchema>;

/** SSE `event: done`: the whole text and usage, after the last token. */
export const DoneEventSchema = GenerateResultSchema;
export type DoneEvent = z.infer<typeof DoneEventSchema>;
