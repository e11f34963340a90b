/** The objects a chat completion answers with (response, stream chunks), in openai-node v6's shapes, from a task result. */
import type {
  ChatCompletion, ChatCompletionChunk, ChatCompletionUsage, DetectResult, GenerateResult, PaliGemmaMessageExtension, SegmentResult,
} from '@paligemma/sdk/contract';

/** What every response and chunk of one completion shares. */
export interface CompletionIdentity {
  id: string;
  /** Unix time in seconds. */
  created: number;
  model: string;
}

/** A task's answer as a chat answer. */
export interface ChatAnswer {
  content: string;
  extension: PaliGemmaMessageExtension | undefined;
  finishReason: 'stop' | 'length';
  usage: ChatCompletionUsage;
}

export type ChatTaskResult =
  | { task: 'generate'; result: GenerateResult }
  | { task: 'detect'; result: DetectResult }
  | { task: 'segment'; result: SegmentResult };

/**
 * A fresh id (`chatcmpl-…`) and timestamp for a completion of `model`.
 * @example const identity = completionIdentity('Xenova/paligemma-3b-mix-224')
 */
export function completionIdentity(model: string): CompletionIdentity {
  return { id: `chatcmpl-${crypto.randomUUID().replaceAll('-', '')}`, created: Math.floor(Date.now() / 1000), model };
}

/**
 * The content is the model's text as `/v1/generate` returns it (for detect and segment: their `raw`); detect and
 * segment add their objects and image size as the `paligemma` extension.
 * @example const answer = chatAnswer({ task: 'detect', result })
 */
export function chatAnswer(answered: ChatTaskResult): ChatAnswer {
  const { usage } = answered.result;
  const chatUsage = { prompt_tokens: usage.promptTokens, completion_tokens: usage.completionTokens, total_tokens: usage.promptTokens + usage.completionTokens };
  // Core always says why generation ended; a model that does not is taken to have ended its answer.
  const finishReason = usage.finishReason ?? 'stop';
  if (answered.task === 'generate') return { content: answered.result.text, extension: undefined, finishReason, usage: chatUsage };
  const { objects, image, raw } = answered.result;
  const extension = (answered.task === 'detect' ? { task: 'detect', objects, image } : { task: 'segment', objects, image }) as PaliGemmaMessageExtension;
  return { content: raw, extension, finishReason, usage: chatUsage };
}

/**
 * The non-streamed response.
 * @example return c.json(chatCompletion(identity, answer))
 */
export function chatCompletion(identity: CompletionIdentity, answer: ChatAnswer): ChatCompletion {
  const message = { role: 'assistant' as const, content: answer.content, refusal: null, ...(answer.extension ? { paligemma: answer.extension } : {}) };
  return {
    ...identity,
    object: 'chat.completion',
    choices: [{ index: 0, message, logprobs: null, finish_reason: answer.finishReason }],
    usage: answer.usage,
  };
}

/**
 * One streamed chunk with one choice. With `include_usage`, every chunk but the last says `usage: null`, as OpenAI's do.
 * @example chatChunk(identity, { content: ' cat' }, null, false)
 */
export function chatChunk(
  identity: CompletionIdentity,
  delta: ChatCompletionChunk['choices'][number]['delta'],
  finishReason: 'stop' | 'length' | null,
  includeUsage: boolean,
): ChatCompletionChunk {
  return {
    ...identity,
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(includeUsage ? { usage: null } : {}),
  };
}

/**
 * The last chunk with `stream_options.include_usage`: no choices, the usage.
 * @example usageChunk(identity, answer.usage)
 */
export function usageChunk(identity: CompletionIdentity, usage: ChatCompletionUsage): ChatCompletionChunk {
  return { ...identity, object: 'chat.completion.chunk', choices: [], usage };
}
