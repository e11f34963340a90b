/** `GET /v1/models` and `GET /v1/models/{id}` in OpenAI's shape: the one model this server serves. */
import * as z from 'zod';

/** A model card, as openai-node's `Model` type has it. */
export const OpenAIModelSchema = z.looseObject({
  /** What requests name in `model`. */
  id: z.string(),
  object: z.literal('model'),
  /** Unix time in seconds (here: when the server started). */
  created: z.number().int(),
  owned_by: z.string(),
});
export type OpenAIModel = z.infer<typeof OpenAIModelSchema>;

/** `{object: 'list', data: [...]}`, what openai-node's `models.list()` pages through. */
export const OpenAIModelListSchema = z.looseObject({
  object: z.literal('list'),
  data: z.array(OpenAIModelSchema),
});
export type OpenAIModelList = z.infer<typeof OpenAIModelListSchema>;
