/**
 * `POST /v1/chat/completions`: one PaliGemma generation in OpenAI's shapes, answered as JSON or streamed as
 * `data:` chunks ending in `data: [DONE]`.
 */
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { OPENAI_ROUTES, type TaskName, type TokenEvent } from '@paligemma/sdk/contract';
import type { AppEnv } from '../app-env.js';
import { explainFailure } from '../errors/error-response.js';
import type { ModelCallOptions } from '../model/model.js';
import { type PreparedGeneration, prepareGeneration } from '../routes/prepare-generation.js';
import type { TaskRouteDependencies } from '../routes/task-routes.js';
import { type ChatAnswer, type ChatTaskResult, chatAnswer, chatChunk, chatCompletion, completionIdentity, usageChunk } from './chat-completion-shapes.js';
import { type ChatGeneration, chatGeneration } from './chat-generation.js';
import { openaiErrorBody } from './openai-error-body.js';
import { readChatRequest } from './read-chat-request.js';

const ROUTE = OPENAI_ROUTES.chatCompletions.path;

/**
 * Checks, reads the image, waits for a slot, generates. `checkModel` throws 404 for a model id this server does not serve.
 * @example app.post(path, (c) => handleChatCompletion(c, dependencies, checkModel))
 */
export async function handleChatCompletion(c: Context<AppEnv>, dependencies: TaskRouteDependencies, checkModel: (model: string) => void): Promise<Response> {
  dependencies.model.model(); // 503 before reading a large body when the model is not there
  dependencies.queue.refuseIfFull(); // 429 before reading it when the server is full
  const request = await readChatRequest(c);
  checkModel(request.model);
  const generation = chatGeneration(request, dependencies.config);
  const identity = completionIdentity(request.model);
  const prepared = await prepareGeneration(c, dependencies, generation.image);
  const run = (onToken?: (token: TokenEvent) => void) => runTask(prepared, generation, { signal: prepared.scope.signal, onToken });
  if (generation.stream) return streamCompletion(c, dependencies, prepared, generation, identity, run);
  try {
    const answer = chatAnswer(await run());
    dependencies.metrics.tokensGenerated.inc({ route: ROUTE }, answer.usage.completion_tokens);
    return c.json(chatCompletion(identity, answer));
  } catch (error) {
    throw prepared.scope.errorToAnswer(error);
  } finally {
    prepared.finish();
  }
}

/** Runs the generation's task with its options; the result tagged with its task. */
async function runTask(prepared: PreparedGeneration, generation: ChatGeneration, call: ModelCallOptions): Promise<ChatTaskResult> {
  const options = { maxNewTokens: generation.maxNewTokens, ...generation.sampling, stop: generation.stop, ...call };
  const task: TaskName = generation.task;
  const result = await prepared.model.run(task, prepared.image, { ...generation.input, ...options } as never);
  return { task, result } as ChatTaskResult;
}

/**
 * A first chunk with the role, a chunk per piece of text, a last choice chunk with `finish_reason` (and the
 * `paligemma` extension for detect and segment), the usage chunk when asked for, then `data: [DONE]`. A failure
 * after the stream started is a `data: {"error": …}` chunk before `[DONE]`. A client that closes the stream cancels
 * the generation, which frees its slot.
 */
function streamCompletion(
  c: Context<AppEnv>,
  dependencies: TaskRouteDependencies,
  prepared: PreparedGeneration,
  generation: ChatGeneration,
  identity: ReturnType<typeof completionIdentity>,
  run: (onToken: (token: TokenEvent) => void) => Promise<ChatTaskResult>,
): Response {
  const endActivity = dependencies.activity.begin();
  return streamSSE(c, async (stream) => {
    stream.onAbort(() => prepared.scope.cancel('client_closed', 'the client closed the event stream'));
    const send = (data: unknown) => stream.writeSSE({ data: JSON.stringify(data) });
    const { includeUsage } = generation;
    try {
      await send(chatChunk(identity, { role: 'assistant', content: '' }, null, includeUsage));
      let streamed = '';
      const onToken = (token: TokenEvent) => {
        if (token.text.length === 0) return;
        streamed += token.text;
        send(chatChunk(identity, { content: token.text }, null, includeUsage)).catch(() => {});
      };
      const answer: ChatAnswer = chatAnswer(await run(onToken));
      // Text held back while it might begin a stop sequence, when none followed.
      if (answer.content.length > streamed.length && answer.content.startsWith(streamed)) {
        await send(chatChunk(identity, { content: answer.content.slice(streamed.length) }, null, includeUsage));
      }
      await send(chatChunk(identity, answer.extension ? { paligemma: answer.extension } : {}, answer.finishReason, includeUsage));
      if (includeUsage) await send(usageChunk(identity, answer.usage));
      dependencies.metrics.tokensGenerated.inc({ route: ROUTE }, answer.usage.completion_tokens);
    } catch (thrown) {
      const error = explainFailure(prepared.scope.errorToAnswer(thrown), c, dependencies.logger);
      await send(openaiErrorBody(error)).catch(() => {});
    } finally {
      await stream.writeSSE({ data: '[DONE]' }).catch(() => {});
      prepared.finish();
      endActivity();
    }
  });
}
