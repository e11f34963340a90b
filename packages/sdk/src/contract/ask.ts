/** `POST /v1/ask`: visual question answering. */
import * as z from 'zod';
import { ImageSourceSchema } from './image.js';
import { LanguageCodeSchema } from './languages.js';
import { promptTextProblem } from './text-rules.js';
import { SamplingOptionsSchema } from './sampling.js';
import { MaxNewTokensSchema, UsageSchema } from './usage.js';

/** A question spliced into `answer <lang> <question>`. */
export const QuestionSchema = z.string().superRefine((question, context) => {
  const problem = promptTextProblem(question, 'question');
  if (problem) context.addIssue({ code: 'custom', message: problem });
});

export const AskOptionsSchema = z.strictObject({
  /** @default 'en' */
  lang: LanguageCodeSchema.optional(),
  maxNewTokens: MaxNewTokensSchema.optional(),
  ...SamplingOptionsSchema.shape,
});
export type AskOptions = z.infer<typeof AskOptionsSchema>;

export const AskRequestSchema = AskOptionsSchema.extend({ image: ImageSourceSchema, question: QuestionSchema });
export type AskRequest = z.infer<typeof AskRequestSchema>;

export const AskResultSchema = z.looseObject({ answer: z.string(), usage: UsageSchema });
export type AskResult = z.infer<typeof AskResultSchema>;
