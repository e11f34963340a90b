/** @paligemma/server: the Hono app factory (runtime-agnostic), the Node entry and the building blocks they share. */
export { type AppOptions, type PaliGemmaApp, createApp } from './app.js';
export * from './config.js';
export type { Engine, EngineGenerateInput, EngineSource } from './model/model.js';
export { STATUS_BY_CODE, ServiceError } from './errors/service-error.js';
export { toServiceError } from './errors/to-service-error.js';
export { forbiddenAddressReason } from './image/address-policy.js';
export { decodeImageData } from './image/decode-image-data.js';
export type { ImageIntake, ImageIntakeConfig } from './image/image-intake.js';
export { type ImageType, sniffImageType } from './image/sniff-image-type.js';
export { type LogRecord, type Logger, jsonLineLogger, silentLogger } from './logger.js';
export { type ServiceMetrics, createServiceMetrics } from './metrics/service-metrics.js';
export { GenerationQueue, type GenerationQueueOptions } from './queue/generation-queue.js';
export { buildOpenApiDocument } from './openapi.js';
