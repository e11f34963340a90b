/** Every error the SDK throws; check them with the static `isInstance`, which works across SDK copies. */
export * from './abort-error.js';
export * from './api-error.js';
export * from './authentication-error.js';
export * from './connection-error.js';
export * from './create-api-error.js';
export * from './invalid-request-error.js';
export * from './paligemma-error.js';
export * from './rate-limit-error.js';
export * from './response-validation-error.js';
export * from './server-error.js';
export * from './timeout-error.js';
