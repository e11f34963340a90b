/**
 * The API contract: zod schemas and inferred types for every request, result and error of the HTTP API (v1).
 * Requests are strict (an unknown field is a caller's mistake); results and the objects in them are loose
 * (`z.looseObject`): a field added by a newer server passes through the client, and the JSON Schema of a result
 * (in `/openapi.json`) allows additional properties.
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
