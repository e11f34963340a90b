/**
 * The chat-completion request a remote engine gets for one task prompt. vLLM builds PaliGemma's prompt itself
 * (`<image>`×N, `<bos>`, the text, `\n`), so it gets the bare task text and one image; and its detokenizer drops
 * special tokens and puts spaces between added tokens unless told not to, which would lose or space out the
 * `<loc>`/`<seg>` tokens our parsers read (see docs/remote-engine.md for the sources).
 */
import type { EngineRequest } from '../engine.js';

/** The engine request as the chat request carries it: the served model's id, the image as a `data:` URI of its original bytes. */
export interface ChatRequestInput extends Omit<EngineRequest, 'image' | 'signal' | 'onToken'> {
  model: string;
  image: string;
}

/**
 * @example buildChatRequest({ model: 'google/paligemma-3b-mix-224', prompt: 'caption en', image: 'data:image/jpeg;base64,…', maxNewTokens: 64 })
 */
export function buildChatRequest(input: ChatRequestInput): Record<string, unknown> {
  return {
    model: input.model,
    // One user message and no system message: vLLM's PaliGemma template concatenates every message's content.
    messages: [{ role: 'user', content: [{ type: 'text', text: input.prompt }, { type: 'image_url', image_url: { url: input.image } }] }],
    max_tokens: input.maxNewTokens,
    // Greedy unless the caller samples, as the local engine decodes.
    temperature: input.temperature ?? 0,
    ...(input.topP !== undefined ? { top_p: input.topP } : {}),
    ...(input.topK !== undefined ? { top_k: input.topK } : {}),
    ...(input.seed !== undefined ? { seed: input.seed } : {}),
    ...(input.stop?.length ? { stop: [...input.stop] } : {}),
    stream: true,
    stream_options: { include_usage: true },
    // vLLM extensions (other OpenAI-style servers ignore unknown fields): keep <loc>/<seg> verbatim and unspaced,
    // and say which token each piece is.
    skip_special_tokens: false,
    spaces_between_special_tokens: false,
    return_token_ids: true,
    ...(input.minNewTokens ? { min_tokens: input.minNewTokens } : {}),
    ...(input.ignoreEos ? { ignore_eos: true } : {}),
  };
}
