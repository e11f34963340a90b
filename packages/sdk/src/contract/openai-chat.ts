/**
 * `POST /v1/chat/completions`: OpenAI's chat completion request, response and stream chunk as this service serves
 * them (shapes checked against openai-node v6's types). PaliGemma answers one prompt about one image: the prompt is
 * the text of the last user message, the image the most recent `image_url` of the conversation.
 */
import * as z from 'zod';
import { DetectedObjectSchema } from './detect.js';
import { ImageSizeSchema } from './image.js';
import { SegmentedObjectSchema } from './segment.js';
import { MaxNewTokensSchema, UsageSchema } from './usage.js';

/** The roles OpenAI's API knows; any other is refused. Only `user` messages (their text and images) are read. */
export const CHAT_ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function'] as const;

/** At most this many stop sequences, as OpenAI's API allows. */
export const MAX_STOP_SEQUENCES = 4;

export const ChatTextPartSchema = z.looseObject({ type: z.literal('text'), text: z.string() });
/** An image part: `url` is an `http(s)` URL (fetched through the server's SSRF guard) or a base64 `data:` URI. */
export const ChatImagePartSchema = z.looseObject({
  type: z.literal('image_url'),
  image_url: z.looseObject({ url: z.string().min(1, 'image_url.url must not be empty') }),
});
export const ChatContentPartSchema = z.discriminatedUnion('type', [ChatTextPartSchema, ChatImagePartSchema], {
  error: (issue) => (issue.code === 'invalid_union' ? 'content parts must be {type: "text"} or {type: "image_url"}: PaliGemma reads text and images' : undefined),
});
export type ChatContentPart = z.infer<typeof ChatContentPartSchema>;

/** One message; `content` is a string or an array of text and image parts. Other fields (`name`, `tool_calls`, …) are ignored. */
export const ChatMessageSchema = z.looseObject({
  role: z.enum(CHAT_ROLES, { error: `role must be one of ${CHAT_ROLES.join(', ')}` }),
  content: z.union([z.string(), z.array(ChatContentPartSchema)]).nullish(),
});
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

const stopSequence = z.string().min(1, 'stop sequences must not be empty');

/**
 * The request. Unknown fields are ignored, as OpenAI-style servers do; `null` counts as absent. `temperature`
 * absent or 0 decodes greedily (OpenAI's default would be 1); `top_k` is vLLM's extension (-1 or 0: every token).
 */
export const ChatCompletionRequestSchema = z.looseObject({
  /** The served model's id (`GET /v1/models`); another id is 404. */
  model: z.string().min(1, 'model must name the served model (GET /v1/models)'),
  messages: z.array(ChatMessageSchema).min(1, 'messages must hold at least one message'),
  /** New-token budget (deprecated by OpenAI in favour of `max_completion_tokens`); capped by the server. */
  max_tokens: MaxNewTokensSchema.nullish(),
  max_completion_tokens: MaxNewTokensSchema.nullish(),
  temperature: z.number().min(0, 'temperature must be between 0 and 2').max(2, 'temperature must be between 0 and 2').nullish(),
  top_p: z.number().gt(0, 'top_p must be above 0 and at most 1').max(1, 'top_p must be above 0 and at most 1').nullish(),
  top_k: z.number().int().min(-1, 'top_k must be -1, 0 (every token) or a positive whole number').nullish(),
  seed: z.number().int('seed must be a whole number').nullish(),
  stop: z.union([stopSequence, z.array(stopSequence).max(MAX_STOP_SEQUENCES, `stop takes at most ${MAX_STOP_SEQUENCES} sequences`)]).nullish(),
  n: z.literal(1, { error: 'n must be 1: PaliGemma answers with one choice' }).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().nullish() }).nullish(),
});
export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequestSchema>;

/** Token counts in OpenAI's shape (image tokens count as prompt tokens). */
export const ChatCompletionUsageSchema = z.looseObject({
  prompt_tokens: z.number().int().nonnegative(),
  completion_tokens: z.number().int().nonnegative(),
  total_tokens: z.number().int().nonnegative(),
});
export type ChatCompletionUsage = z.infer<typeof ChatCompletionUsageSchema>;

/**
 * The extension field on the assistant message for `detect …` and `segment …` prompts: the objects `/v1/detect` or
 * `/v1/segment` return for the same prompt, and the image size they refer to.
 */
export const PaliGemmaMessageExtensionSchema = z.discriminatedUnion('task', [
  z.looseObject({ task: z.literal('detect'), objects: z.array(DetectedObjectSchema), image: ImageSizeSchema }),
  z.looseObject({ task: z.literal('segment'), objects: z.array(SegmentedObjectSchema), image: ImageSizeSchema }),
]);
export type PaliGemmaMessageExtension = z.infer<typeof PaliGemmaMessageExtensionSchema>;

/** `stop`: the model ended its answer or a stop sequence appeared; `length`: the token budget ran out. */
export const ChatFinishReasonSchema = UsageSchema.shape.finishReason.unwrap();

export const ChatCompletionMessageSchema = z.looseObject({
  role: z.literal('assistant'),
  /** The model's text, as `/v1/generate` returns it for the same prompt (`<loc…>` tokens included). */
  content: z.string().nullable(),
  refusal: z.string().nullable(),
  paligemma: PaliGemmaMessageExtensionSchema.optional(),
});

export const ChatCompletionSchema = z.looseObject({
  id: z.string(),
  object: z.literal('chat.completion'),
  /** Unix time in seconds. */
  created: z.number().int(),
  model: z.string(),
  choices: z.array(z.looseObject({
    index: z.number().int(),
    message: ChatCompletionMessageSchema,
    logprobs: z.null(),
    finish_reason: ChatFinishReasonSchema,
  })),
  usage: ChatCompletionUsageSchema,
});
export type ChatCompletion = z.infer<typeof ChatCompletionSchema>;

/**
 * One `data:` line of a streamed completion. The first chunk's delta has the role, the next ones the text; the last
 * choice chunk has `finish_reason` (and `paligemma` for detect and segment prompts). With
 * `stream_options.include_usage`, a final chunk has no choices and the usage. The stream ends with `data: [DONE]`.
 */
export const ChatCompletionChunkSchema = z.looseObject({
  id: z.string(),
  object: z.literal('chat.completion.chunk'),
  created: z.number().int(),
  model: z.string(),
  choices: z.array(z.looseObject({
    index: z.number().int(),
    delta: z.looseObject({
      role: z.literal('assistant').optional(),
      content: z.string().optional(),
      paligemma: PaliGemmaMessageExtensionSchema.optional(),
    }),
    logprobs: z.null(),
    finish_reason: ChatFinishReasonSchema.nullable(),
  })),
  usage: ChatCompletionUsageSchema.nullable().optional(),
});
export type ChatCompletionChunk = z.infer<typeof ChatCompletionChunkSchema>;
