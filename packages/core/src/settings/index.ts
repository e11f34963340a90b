/** `@paligemma/core/settings`: the defaults of loading and running a model, pure so any runtime can import them. */
export * from './defaults.js';
