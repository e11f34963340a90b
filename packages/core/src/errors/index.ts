/** Errors core throws on purpose. */
export { CoreError, type CoreErrorCode } from './core-error.js';
export { EngineError } from './engine-error.js';
export { InvalidInputError } from './invalid-input-error.js';
export { ModelLoadError } from './model-load-error.js';
