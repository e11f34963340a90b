/**
 * The edge gateway's OpenAI-compatible routes: chat completions checked at the edge (the request, the conversation
 * rule, the limits, inline image bytes) and forwarded with failover; non-streamed greedy answers cached; the model
 * list forwarded as is.
 */
import type { Context, Hono } from 'hono';
import { type ChatCompletion, OPENAI_ROUTES } from '@paligemma/sdk/contract';
import type { AppEnv } from '../app-env.js';
import { chatGeneration, isGreedy } from '../openai/chat-generation.js';
import { completionIdentity } from '../openai/chat-completion-shapes.js';
import { readChatRequest } from '../openai/read-chat-request.js';
import { taskCacheKey } from './cache-key.js';
import type { EdgeConfig } from './edge-config.js';
import { type ForwardCachedOptions, forwardCached, upstreamRequest } from './forward-cached.js';
import { readImageIdentity } from './read-image-identity.js';

export interface EdgeOpenAIOptions extends ForwardCachedOptions {
  config: EdgeConfig;
}

/**
 * Registers the routes on the gateway's app.
 * @example addEdgeOpenAIRoutes(app, { config, cache, forwardOptions, withCacheStatus })
 */
export function addEdgeOpenAIRoutes(app: Hono<AppEnv>, options: EdgeOpenAIOptions): void {
  const { config, cache } = options;
  for (const route of [OPENAI_ROUTES.models, OPENAI_ROUTES.model]) {
    app.get(route.path, (c) => forwardCached(undefined, upstreamRequest(c, pathAndQuery(c)), options));
  }
  const { path } = OPENAI_ROUTES.chatCompletions;
  app.post(path, async (c) => {
    // Read once: the parser below works on Hono's cached copy, and retries replay these exact bytes.
    const body = await c.req.arrayBuffer();
    const request = await readChatRequest(c);
    const generation = chatGeneration(request, config.limits);
    const identity = readImageIdentity(generation.image, config.limits);
    // Only answers the request determines: greedy, as JSON. The upstream checks the model id; it is part of the key.
    const cacheable = cache && !generation.stream && isGreedy(generation.sampling);
    const parameters = { model: request.model, prompt: generation.prompt, maxNewTokens: generation.maxNewTokens, stop: generation.stop };
    const key = cacheable ? await taskCacheKey(new URL(c.req.url).origin, path, parameters, identity) : undefined;
    return forwardCached(key, upstreamRequest(c, pathAndQuery(c), body), options, freshIdentity);
  });
}

/** A cached completion with its own id and time, so two answers never share an id. */
async function freshIdentity(hit: Response): Promise<Response> {
  const completion = (await hit.json()) as ChatCompletion;
  const { id, created } = completionIdentity(completion.model);
  const headers = new Headers(hit.headers);
  headers.delete('Content-Length');
  return new Response(JSON.stringify({ ...completion, id, created }), { status: hit.status, headers });
}

function pathAndQuery(c: Context<AppEnv>): string {
  const url = new URL(c.req.url);
  return `${url.pathname}${url.search}`;
}
