/**
 * The OpenAI-compatible routes of the route table (`POST /v1/chat/completions`, `GET /v1/models`,
 * `GET /v1/models/{id}`), as a sub-app of the service: the same API keys, limits, queue, deadlines and metrics as
 * the task routes, in OpenAI's shapes.
 */
import { Hono } from 'hono';
import { OPENAI_ROUTES, type OpenAIModel } from '@paligemma/sdk/contract';
import type { AppEnv } from '../app-env.js';
import { ServiceError } from '../errors/service-error.js';
import type { RouteDependencies } from '../routes/prepare-generation.js';
import { handleChatCompletion } from './chat-completion-route.js';

/** `owned_by` of the model card: this service serves it (OpenAI says the organisation that owns the model). */
const OWNED_BY = 'paligemma-service';

/**
 * @example app.route('/', openaiRoutes(dependencies))
 */
export function openaiRoutes(dependencies: RouteDependencies): Hono<AppEnv> {
  const { config } = dependencies;
  const card: OpenAIModel = {
    id: config.servedModelName ?? config.model,
    object: 'model',
    created: Math.floor(Date.now() / 1000),
    owned_by: OWNED_BY,
  };
  const app = new Hono<AppEnv>();
  app.get(OPENAI_ROUTES.models.path, (c) => c.json({ object: 'list', data: [card] }));
  app.get(OPENAI_ROUTES.model.path, (c) => {
    const id = c.req.param('id');
    if (id !== card.id) throw unknownModel(id, card.id, 'id');
    return c.json(card);
  });
  app.post(OPENAI_ROUTES.chatCompletions.path, (c) =>
    handleChatCompletion(c, dependencies, (model) => {
      if (model !== card.id) throw unknownModel(model, card.id, 'model');
    }),
  );
  return app;
}

/** 404 for a model id this server does not serve, naming the one it does. */
function unknownModel(id: string, served: string, param: string): ServiceError {
  const shown = id.length > 200 ? `${id.slice(0, 200)}…` : id;
  return new ServiceError('not_found', `the model ${JSON.stringify(shown)} does not exist here; this server serves ${JSON.stringify(served)} (GET /v1/models)`, { param });
}
