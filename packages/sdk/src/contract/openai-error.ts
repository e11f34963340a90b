/** The error body of the OpenAI-compatible routes: OpenAI's shape, with this service's error code in `code`. */
import * as z from 'zod';

/**
 * `{error: {message, type, param, code}}` as openai-node and the AI SDK read it; `code` is one of `ERROR_CODES`,
 * `param` names the request field at fault where one is.
 * @example { error: { message: 'n: PaliGemma answers with one choice', type: 'invalid_request_error', param: 'n', code: 'invalid_request' } }
 */
export const OpenAIErrorBodySchema = z.looseObject({
  error: z.looseObject({
    message: z.string(),
    type: z.string(),
    param: z.string().nullable(),
    code: z.string().nullable(),
  }),
});
export type OpenAIErrorBody = z.infer<typeof OpenAIErrorBodySchema>;
