/** `createApp`: the runtime-agnostic Hono app over a model (Web Request/Response in, JSON or SSE out). */
import { Hono } from 'hono';
import { matchedRoutes } from 'hono/route';
import { ActivityTracker } from './activity-tracker.js';
import type { AppEnv } from './app-env.js';
import { type ServerConfig, type ServerConfigOptions, resolveServerConfig } from './config.js';
import { errorResponse, notFoundResponse } from './errors/error-response.js';
import { ServiceError } from './errors/service-error.js';
import type { ImageFetcher } from './image/image-reference.js';
import { type Logger, jsonLineLogger } from './logger.js';
import { type ServiceMetrics, createServiceMetrics } from './metrics/service-metrics.js';
import { corsPolicy } from './middleware/cors-policy.js';
import { requestId } from './middleware/request-id.js';
import { v1Guards } from './middleware/v1-guards.js';
import type { ModelSource } from './model/model.js';
import { ModelState } from './model/model-state.js';
import { openaiRoutes } from './openai/openai-routes.js';
import { GenerationQueue } from './queue/generation-queue.js';
import { operationsRoutes } from './routes/operations-routes.js';
import { playgroundRoutes } from './routes/playground-route.js';
import type { RouteDependencies } from './routes/prepare-generation.js';
import { taskRoutes } from './routes/task-routes.js';
import { serviceLifecycle } from './service-lifecycle.js';

export interface AppOptions extends ServerConfigOptions {
  /** The model, or a function that loads it (called by {@link PaliGemmaApp.load}); `model` is the setting naming it. */
  modelSource: ModelSource;
  /** Already-resolved configuration; when given, the config options and the environment are not read. */
  config?: ServerConfig;
  /** Environment to read settings from. @default process.env where it exists */
  environment?: Record<string, string | undefined>;
  /** Receives one JSON record per request and one per unexpected error. @default JSON lines on stdout/stderr */
  logger?: Logger;
  /** Fetches `{url}` images. @default Node's (node:http through the SSRF guard), loaded on first use */
  fetchImage?: ImageFetcher;
}

export interface PaliGemmaApp {
  /** The Hono app; mount it or call `app.fetch`. */
  app: Hono<AppEnv>;
  fetch: (request: Request, ...rest: unknown[]) => Response | Promise<Response>;
  config: ServerConfig;
  metrics: ServiceMetrics;
  model: ModelState;
  /** Starts loading the model (once); resolves when it is ready, rejects with the load error (also logged). */
  load(): Promise<void>;
  /**
   * Stops taking model requests (503 `unavailable`), waits up to `graceMs` for work in progress, cancels what is
   * still running (503 `unavailable`), disposes the model. Resolves `true` when everything finished in time.
   */
  shutdown(graceMs?: number): Promise<boolean>;
}

/**
 * Builds the service.
 * @example
 * const service = createApp({ modelSource: () => PaliGemma.load({ model: 'fixtures/tiny-paligemma' }) });
 * service.load();
 * export default { fetch: service.fetch };
 */
export function createApp(options: AppOptions): PaliGemmaApp {
  const config = options.config ?? resolveServerConfig(options, options.environment);
  const logger = options.logger ?? jsonLineLogger;
  const model = new ModelState(options.modelSource);
  const metrics = createServiceMetrics(() => (model.status === 'ready' ? model.model().stats : undefined));
  const activity = new ActivityTracker();
  const queue = new GenerationQueue({
    maxInFlight: config.maxInFlight,
    maxQueue: config.maxQueue,
    queueTimeoutMs: config.queueTimeoutMs,
    onChange: ({ waiting, inFlight }) => {
      metrics.queueDepth.set(waiting);
      metrics.inFlight.set(inFlight);
    },
  });
  let fetchImage: Promise<ImageFetcher> | undefined = options.fetchImage && Promise.resolve(options.fetchImage);
  const dependencies: RouteDependencies = {
    config,
    model,
    queue,
    metrics,
    // Loaded on first use, so runtimes without node:http can pass their own and never load it.
    fetchImage: () => (fetchImage ??= import('./image/node-image-fetcher.js').then(({ createNodeImageFetcher }) => createNodeImageFetcher(config))),
    activeScopes: new Set(),
    activity,
    logger,
  };
  const lifecycle = serviceLifecycle({ model, metrics, logger, activity, activeScopes: dependencies.activeScopes, modelName: config.model });

  const app = new Hono<AppEnv>();
  app.use(requestId());
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    const route = routeLabel(matchedRoutes(c).at(-1)?.path);
    const durationMs = performance.now() - started;
    metrics.requests.inc({ route, method: c.req.method, status: String(c.res.status) });
    metrics.requestDuration.observe({ route }, durationMs / 1000);
    logger({
      level: 'info', message: 'request', method: c.req.method, route, status: c.res.status,
      durationMs: Math.round(durationMs * 10) / 10, requestId: c.get('requestId'),
    });
  });
  // First on /v1: preflights are answered before the shutdown check and the guards, and every answer gets its headers.
  app.use('/v1/*', corsPolicy(config.corsOrigins));
  app.use('/v1/*', async (c, next) => {
    if (lifecycle.shuttingDown) {
      c.header('Connection', 'close');
      throw new ServiceError('unavailable', 'the server is shutting down; retry on another instance');
    }
    const end = activity.begin();
    try {
      await next();
    } finally {
      end();
    }
  });
  for (const guard of v1Guards(config)) app.use('/v1/*', guard);

  app.route('/', taskRoutes(dependencies));
  app.route('/', openaiRoutes(dependencies));
  app.route('/', operationsRoutes({ model, metrics, isShuttingDown: () => lifecycle.shuttingDown, apiKeys: config.apiKeys }));
  app.route('/', playgroundRoutes());

  app.notFound(notFoundResponse);
  app.onError((thrown, c) => errorResponse(thrown, c, logger));

  return {
    app,
    fetch: (request, ...rest) => app.fetch(request, ...(rest as [])),
    config,
    metrics,
    model,
    load: () => lifecycle.load(),
    shutdown: (graceMs = config.shutdownGraceMs) => lifecycle.shutdown(graceMs),
  };
}

/**
 * The metrics label of a request: the pattern of the route that answered it (as registered from the route table),
 * or `unmatched` when only middleware matched, so labels stay bounded whatever paths clients send.
 */
function routeLabel(pattern: string | undefined): string {
  return pattern === undefined || pattern.includes('*') ? 'unmatched' : pattern;
}
