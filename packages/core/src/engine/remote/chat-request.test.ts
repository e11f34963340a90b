import { describe, expect, it } from 'vitest';
import { buildChatRequest } from './chat-request.js';

const base = { model: 'google/paligemma-3b-mix-224', prompt: 'detect cat ; dog', image: 'data:image/png;base64,iVBOR', maxNewTokens: 64 };

describe('buildChatRequest', () => {
  it('sends one user message with the bare prompt and the image, greedy, streamed, with the fields that keep <loc>/<seg>', () => {
    expect(buildChatRequest(base)).toEqual({
      model: base.model,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'detect cat ; dog' }, { type: 'image_url', image_url: { url: base.image } }] }],
      max_tokens: 64,
      temperature: 0,
      stream: true,
      stream_options: { include_usage: true },
      skip_special_tokens: false,
      spaces_between_special_tokens: false,
      return_token_ids: true,
    });
  });

  it('passes sampling and stop sequences on in OpenAI\'s names (top_k: vLLM\'s)', () => {
    expect(buildChatRequest({ ...base, temperature: 0.7, topP: 0.9, topK: 40, seed: 7, stop: ['.'] })).toMatchObject({
      temperature: 0.7, top_p: 0.9, top_k: 40, seed: 7, stop: ['.'],
    });
  });

  it('asks for a minimum and for ignoring end-of-sequence only when the run does (vLLM min_tokens, ignore_eos)', () => {
    expect(buildChatRequest({ ...base, minNewTokens: 4, ignoreEos: true })).toMatchObject({ min_tokens: 4, ignore_eos: true });
    expect(buildChatRequest({ ...base, minNewTokens: 0, ignoreEos: false })).not.toHaveProperty('min_tokens');
  });
});
