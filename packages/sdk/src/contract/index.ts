/**
 * The API contract: zod schemas and inferred types for every request, result and error of the HTTP API (v1).
 * Requests are strict (an unknown field is a caller's mistake); results tolerate fields added by newer servers.
 */
export * from './ask.js';
export * from './caption.js';
export * from './detect.js';
export * from './error.js';
export * from './generate.js';
export * from './geometry.js';
export * from './image.js';
export * from './languages.js';
export * from './model.js';
export * from './openai-chat.js';
export * from './openai-error.js';
export * from './openai-models.js';
export * from './openai-routes.js';
export * from './route-keys.js';
export * from './routes.js';
export * from './sampling.js';
export * from './segment.js';
export * from './text-rules.js';
export * from './usage.js';
