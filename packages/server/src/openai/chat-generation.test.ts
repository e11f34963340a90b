import { ChatCompletionRequestSchema } from '@paligemma/sdk/contract';
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../errors/service-error.js';
import { chatGeneration, isGreedy } from './chat-generation.js';

const LIMITS = { maxLabels: 3, maxQuestionLength: 40, maxNewTokensCap: 64 };
const IMAGE = 'data:image/png;base64,iVBORw0KGgo=';
const imagePart = (url = IMAGE) => ({ type: 'image_url', image_url: { url } });
const text = (value: string) => ({ type: 'text', text: value });

/** A request as a client sends it, through the contract schema first (as the routes do). */
function generation(body: Record<string, unknown>) {
  return chatGeneration(ChatCompletionRequestSchema.parse({ model: 'm', ...body }), LIMITS);
}

function refusal(body: Record<string, unknown>): ServiceError {
  try {
    generation(body);
  } catch (error) {
    if (error instanceof ServiceError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('chatGeneration: the conversation as one prompt about one image', () => {
  it.each([
    ['a text part and an image part', [{ role: 'user', content: [text('caption en'), imagePart()] }], 'caption en'],
    ['text parts joined by spaces, trimmed', [{ role: 'user', content: [text(' answer en'), imagePart(), text('how many? ')] }], 'answer en how many?'],
    ['the last user message; the image from an earlier turn', [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: [text('caption en'), imagePart()] },
      { role: 'assistant', content: 'a cat' },
      { role: 'user', content: 'detect cat' },
    ], 'detect cat'],
    ['a last assistant message is not the prompt', [{ role: 'user', content: [text('ocr'), imagePart()] }, { role: 'assistant', content: 'continue' }], 'ocr'],
  ])('%s', (_name, messages, prompt) => {
    expect(generation({ messages })).toMatchObject({ prompt, image: { data: IMAGE } });
  });

  it('takes the most recent image of the conversation, and http(s) URLs as URLs', () => {
    const messages = [
      { role: 'user', content: [text('caption en'), imagePart()] },
      { role: 'user', content: [text('caption es'), imagePart('https://example.com/b.jpg')] },
    ];
    expect(generation({ messages }).image).toEqual({ url: 'https://example.com/b.jpg' });
  });

  it.each([
    ['detect cat ; dog', 'detect', { labels: ['cat', 'dog'] }],
    ['segment person', 'segment', { labels: ['person'] }],
    ['detect cat;dog', 'generate', { prompt: 'detect cat;dog' }],
    ['caption en', 'generate', { prompt: 'caption en' }],
    ['what is this?', 'generate', { prompt: 'what is this?' }],
  ])('%j runs as %s', (prompt, task, input) => {
    expect(generation({ messages: [{ role: 'user', content: [text(prompt), imagePart()] }] })).toMatchObject({ task, input });
  });

  it('maps the parameters: budget, sampling (top_k -1/0: every token), stop, stream and usage', () => {
    const messages = [{ role: 'user', content: [text('caption en'), imagePart()] }];
    expect(generation({ messages })).toMatchObject({
      maxNewTokens: undefined, sampling: { temperature: undefined, topP: undefined, topK: undefined, seed: undefined }, stop: undefined,
      stream: false, includeUsage: false,
    });
    expect(generation({
      messages, max_tokens: 9, max_completion_tokens: 12, temperature: 0.5, top_p: 0.9, top_k: 40, seed: 3, stop: '.', stream: true,
      stream_options: { include_usage: true }, logit_bias: { 1: 2 }, user: 'ignored',
    })).toMatchObject({ maxNewTokens: 12, sampling: { temperature: 0.5, topP: 0.9, topK: 40, seed: 3 }, stop: ['.'], stream: true, includeUsage: true });
    expect(generation({ messages, max_tokens: null, temperature: null, top_k: -1, stop: ['a', 'b'], include_usage: true }))
      .toMatchObject({ maxNewTokens: undefined, sampling: { topK: undefined }, stop: ['a', 'b'], includeUsage: false });
  });

  it.each([
    ['no user message', { messages: [{ role: 'system', content: 'hi' }] }, 400, 'messages', /no user message/],
    ['no text in the last user message', { messages: [{ role: 'user', content: [imagePart()] }] }, 400, 'messages', /has no text/],
    ['no image', { messages: [{ role: 'user', content: 'caption en' }] }, 400, 'messages', /no image_url/],
    ['two images in one message', { messages: [{ role: 'user', content: [text('caption en'), imagePart(), imagePart()] }] }, 400, 'messages', /2 images in one message; PaliGemma takes one image/],
    ['an ftp image URL', { messages: [{ role: 'user', content: [text('caption en'), imagePart('ftp://example.com/a.jpg')] }] }, 400, 'messages', /http\(s\) URL or a base64 data: URI/],
    ['a prompt with a newline', { messages: [{ role: 'user', content: [text('caption en\nocr'), imagePart()] }] }, 400, 'messages', /newline/],
    ['special-token text', { messages: [{ role: 'user', content: [text('detect <loc0001>'), imagePart()] }] }, 400, 'messages', /special-token/],
    ['a prompt over the length limit', { messages: [{ role: 'user', content: [text('answer en '.padEnd(50, 'a')), imagePart()] }] }, 422, 'messages', /PALIGEMMA_MAX_QUESTION_LENGTH/],
    ['too many labels', { messages: [{ role: 'user', content: [text('detect a ; b ; c ; d'), imagePart()] }] }, 422, 'messages', /4 labels.*PALIGEMMA_MAX_LABELS/],
    ['max_tokens over the cap', { messages: [{ role: 'user', content: [text('ocr'), imagePart()] }], max_tokens: 65 }, 422, 'max_tokens', /PALIGEMMA_MAX_NEW_TOKENS/],
    ['max_completion_tokens over the cap', { messages: [{ role: 'user', content: [text('ocr'), imagePart()] }], max_completion_tokens: 65 }, 422, 'max_completion_tokens', /65 requested/],
    ['a long stop sequence', { messages: [{ role: 'user', content: [text('ocr'), imagePart()] }], stop: ['x'.repeat(41)] }, 422, 'stop', /stop sequence of 41/],
  ])('refuses %s', (_name, body, status, param, message) => {
    const error = refusal(body);
    expect({ status: error.status, param: error.param }).toEqual({ status, param });
    expect(error.message).toMatch(message);
  });

  it('calls greedy what has no temperature or temperature 0', () => {
    expect([isGreedy({}), isGreedy({ temperature: 0 }), isGreedy({ temperature: 0.1 })]).toEqual([true, true, false]);
  });
});

describe('ChatCompletionRequestSchema', () => {
  it.each([
    ['n above 1', { n: 5 }, /n must be 1/],
    ['an unknown role', { messages: [{ role: 'robot', content: 'x' }] }, /role must be one of/],
    ['an audio part', { messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: {} }] }] }, /text.*image_url/],
    ['no messages', { messages: [] }, /at least one message/],
    ['temperature above 2', { temperature: 2.5 }, /between 0 and 2/],
    ['five stop sequences', { stop: ['a', 'b', 'c', 'd', 'e'] }, /at most 4/],
    ['an empty stop sequence', { stop: '' }, /must not be empty/],
  ])('refuses %s', (_name, change, message) => {
    const parsed = ChatCompletionRequestSchema.safeParse({ model: 'm', messages: [{ role: 'user', content: 'x' }], ...change });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toMatch(message);
  });
});
