/** `createApp`: the runtime-agnostic Hono app over an engine (Web Request/Response in, JSON or SSE out). */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ActivityTracker } from './activity-tracker.js';
import { type ServerConfig, type ServerConfigOptions, resolveServerConfig } from './config.js';
import type { EngineSource } from './model/model.js';
import { errorResponse, notFoundResponse } from './errors/error-response.js';
import { ServiceError } from './errors/service-error.js';
import type { ImageIntake } from './image/image-intake.js';
import { type Logger, jsonLineLogger } from './logger.js';
import { type ServiceMetrics, createServiceMetrics } from './metrics/service-metrics.js';
import { bearerAuth } from './middleware/bearer-auth.js';
import { requestId } from './middleware/request-id.js';
import { ModelState } from './model/model-state.js';
import { GenerationQueue } from './queue/generation-queue.js';
import { registerGenerateRoute } from './routes/generate-route.js';
import { registerOperationsRoutes } from './routes/operations-routes.js';
import { registerPlaygroundRoute } from './routes/playground-route.js';
import type { RouteDependencies } from './routes/prepare-generation.js';
import { TASK_ROUTES, registerTaskRoutes } from './routes/task-routes.js';

export interface AppOptions extends ServerConfigOptions {
  /** The model, or a function that loads it (called by {@link PaliGemmaApp.load}). */
  engine: EngineSource;
  /** Already-resolved configuration; when given, the config options and the environment are not read. */
  config?: ServerConfig;
  /** Environment to read settings from. @default process.env where it exists */
  environment?: Record<string, string | undefined>;
  /** Receives one JSON record per request and one per unexpected error. @default JSON lines on stdout/stderr */
  logger?: Logger;
  /** URL fetching and image checks for this runtime. @default Node's (node:http with the SSRF guard, sharp) */
  imageIntake?: ImageIntake;
}

export interface PaliGemmaApp {
  /** The Hono app; mount it or call `app.fetch`. */
  app: Hono<{ Variables: { requestId: string } }>;
  fetch: (request: Request, ...rest: unknown[]) => Response | Promise<Response>;
  config: ServerConfig;
  metrics: ServiceMetrics;
  model: ModelState;
  /** Starts loading the engine (once); resolves when it is ready, rejects with the load error (also logged). */
  load(): Promise<void>;
  /**
   * Stops taking model requests (503 `unavailable`), waits up to `graceMs` for work in progress, cancels what is
   * still running (503 `unavailable`), disposes the engine.
   * Resolves `true` when everything finished in time.
   */
  shutdown(graceMs?: number): Promise<boolean>;
}

/** Paths counted under their own name in metrics; any other path is `unmatched` so labels stay bounded. */
const KNOWN_ROUTES = new Set([...Object.keys(TASK_ROUTES), '/v1/generate', '/healthz', '/readyz', '/metrics', '/openapi.json', '/', '/playground.js']);
/** Longest the engine's dispose may take once the grace period is over (it waits for a running generation). */
const DISPOSE_TIMEOUT_MS = 5_000;

/**
 * Builds the service.
 * @example
 * const service = createApp({ engine: () => PaliGemma.load({ model: 'fixtures/tiny-paligemma' }) });
 * service.load();
 * export default { fetch: service.fetch };
 */
export function createApp(options: AppOptions): PaliGemmaApp {
  const config = options.config ?? resolveServerConfig(options, options.environment);
  const logger = options.logger ?? jsonLineLogger;
  const model = new ModelState(options.engine);
  const metrics = createServiceMetrics(() => (model.status === 'ready' ? model.engine().stats : undefined));
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
  let imageIntake: Promise<ImageIntake> | undefined = options.imageIntake && Promise.resolve(options.imageIntake);
  const dependencies: RouteDependencies = {
    config,
    model,
    queue,
    metrics,
    // Loaded on first use, so runtimes without node:http or sharp can pass their own intake and never load these.
    imageIntake: () =>
      (imageIntake ??= import('./image/node-image-intake.js').then(({ createNodeImageIntake }) => createNodeImageIntake(config))),
    activeScopes: new Set(),
  };
  let shuttingDown = false;

  const app = new Hono<{ Variables: { requestId: string } }>();
  app.use(requestId());
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    const route = KNOWN_ROUTES.has(c.req.path) ? c.req.path : 'unmatched';
    const durationMs = performance.now() - started;
    metrics.requests.inc({ route, method: c.req.method, status: String(c.res.status) });
    metrics.requestDuration.observe({ route }, durationMs / 1000);
    logger({
      level: 'info', message: 'request', method: c.req.method, route, status: c.res.status,
      durationMs: Math.round(durationMs * 10) / 10, requestId: c.get('requestId'),
    });
  });
  app.use('/v1/*', async (c, next) => {
    if (shuttingDown) {
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
  app.use('/v1/*', bearerAuth(config.apiKeys));
  app.use(
    '/v1/*',
    bodyLimit({
      maxSize: config.maxBodyBytes,
      onError: () => {
        // The rest of the body is never read, so the connection cannot carry another request: say so.
        throw new ServiceError('payload_too_large', `request body is larger than the ${config.maxBodyBytes}-byte limit (PALIGEMMA_MAX_BODY_BYTES)`, {
          headers: { Connection: 'close' },
        });
      },
    }),
  );

  registerTaskRoutes(app as unknown as Hono, dependencies);
  registerGenerateRoute(app, { ...dependencies, activity, logger });
  registerOperationsRoutes(app as unknown as Hono, { model, metrics, isShuttingDown: () => shuttingDown, apiKeys: config.apiKeys });
  registerPlaygroundRoute(app as unknown as Hono);

  app.notFound(notFoundResponse);
  app.onError((thrown, c) => errorResponse(thrown, c, logger));

  let loading: Promise<void> | undefined;
  return {
    app,
    fetch: (request, ...rest) => app.fetch(request, ...(rest as [])),
    config,
    metrics,
    model,
    load() {
      loading ??= model.load((seconds) => {
        metrics.modelLoadSeconds.set(seconds);
        metrics.modelReady.set(1);
        logger({ level: 'info', message: 'model loaded', model: config.model, loadSeconds: Math.round(seconds * 100) / 100 });
      }).then(
        () => undefined,
        (error: unknown) => {
          logger({ level: 'error', message: 'model failed to load', model: config.model, error: error instanceof Error ? error.message : String(error) });
          throw error;
        },
      );
      return loading;
    },
    async shutdown(graceMs = config.shutdownGraceMs) {
      shuttingDown = true;
      const drained = await activity.idle(graceMs);
      // Generations still running are cancelled (503 or an SSE error event) and stop at their next step, so the
      // engine is idle when it is disposed and the process exits cleanly.
      for (const scope of dependencies.activeScopes) {
        scope.cancel('unavailable', 'the server shut down before this request finished; retry on another instance');
      }
      metrics.modelReady.set(0);
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        model.dispose().catch((error: unknown) => logger({ level: 'error', message: 'model dispose failed', error: String(error) })),
        new Promise((resolve) => (timer = setTimeout(resolve, DISPOSE_TIMEOUT_MS))),
      ]);
      clearTimeout(timer);
      return drained;
    },
  };
}
