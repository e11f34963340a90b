/**
 * `POST /v1/chat/completions`: one PaliGemma generation in OpenAI's shapes, answered as JSON or streamed as
 * `data:` chunks ending in `data: [DONE]`.
 */
import type { Context } from 'hono';
import type { SSEStreamingApi } from 'hono/streaming';
import { OPENAI_ROUTES, type TokenEvent } from '@paligemma/sdk/contract';
import type { AppEnv } from '../app-env.js';
import { answerGeneration, refuseBeforeReading, streamGeneration } from '../routes/answer-generation.js';
import { type RouteDependencies, prepareGeneration } from '../routes/prepare-generation.js';
import { type ChatTaskResult, chatAnswer, chatChunk, chatCompletion, completionIdentity, usageChunk } from './chat-completion-shapes.js';
import { chatGeneration } from './chat-generation.js';
import { readChatRequest } from './read-chat-request.js';

const ROUTE = OPENAI_ROUTES.chatCompletions.path;

/**
 * Checks, reads the image, waits for a slot, generates. `checkModel` throws 404 for a model id this server does not
 * serve. Streamed: a first chunk with the role, a chunk per piece of text, a last choice chunk with `finish_reason`
 * (and the `paligemma` extension for detect and segment), the usage chunk when asked for, then `data: [DONE]`; a
 * failure after the stream started is a `data: {"error": …}` chunk before `[DONE]`.
 * @example app.post(path, (c) => handleChatCompletion(c, dependencies, checkModel))
 */
export async function handleChatCompletion(c: Context<AppEnv>, dependencies: RouteDependencies, checkModel: (model: string) => void): Promise<Response> {
  refuseBeforeReading(dependencies);
  const request = await readChatRequest(c);
  checkModel(request.model);
  const generation = chatGeneration(request, dependencies.config);
  const identity = completionIdentity(request.model);
  const prepared = await prepareGeneration(c, dependencies, generation.image);
  const run = async (onToken?: (token: TokenEvent) => void) => {
    const options = { maxNewTokens: generation.maxNewTokens, ...generation.sampling, stop: generation.stop, signal: prepared.scope.signal, onToken };
    const result = await prepared.model.run(generation.task, prepared.image, { ...generation.input, ...options } as never);
    const answer = chatAnswer({ task: generation.task, result } as ChatTaskResult);
    dependencies.metrics.tokensGenerated.inc({ route: ROUTE }, answer.usage.completion_tokens);
    return answer;
  };
  if (!generation.stream) return c.json(chatCompletion(identity, await answerGeneration(prepared, () => run())));

  const { includeUsage } = generation;
  const last = { last: (stream: SSEStreamingApi) => stream.writeSSE({ data: '[DONE]' }) };
  return streamGeneration(c, dependencies, prepared, last, async (stream) => {
    const send = (data: unknown) => stream.writeSSE({ data: JSON.stringify(data) });
    await send(chatChunk(identity, { role: 'assistant', content: '' }, null, includeUsage));
    let streamed = '';
    const answer = await run((token) => {
      if (token.text.length === 0) return;
      streamed += token.text;
      send(chatChunk(identity, { content: token.text }, null, includeUsage)).catch(() => {});
    });
    // Text held back while it might begin a stop sequence, when none followed.
    if (answer.content.length > streamed.length && answer.content.startsWith(streamed)) {
      await send(chatChunk(identity, { content: answer.content.slice(streamed.length) }, null, includeUsage));
    }
    await send(chatChunk(identity, answer.extension ? { paligemma: answer.extension } : {}, answer.finishReason, includeUsage));
    if (includeUsage) await send(usageChunk(identity, answer.usage));
  });
}
