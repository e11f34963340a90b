/**
 * @paligemma/server: the runtime-agnostic Hono app and what it is built from. The Node entry (`serve`, the model
 * loader, the CLI) is `@paligemma/server/node`; the Workers gateway is `@paligemma/server/edge`.
 */
export { type AppOptions, type PaliGemmaApp, createApp } from './app.js';
export type { AppEnv } from './app-env.js';
export { CONFIG_ENVIRONMENT_VARIABLES, ConfigError, type ServerConfig, type ServerConfigOptions, resolveServerConfig } from './config.js';
export type { Model, ModelCallOptions, ModelSource } from './model/model.js';
export { ServiceError } from './errors/service-error.js';
export type { ImageFetcher } from './image/image-reference.js';
export { type LogRecord, type Logger, jsonLineLogger, silentLogger } from './logger.js';
export { buildOpenApiDocument } from './openapi.js';
