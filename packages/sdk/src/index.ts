/** @paligemma/sdk: the API contract and (soon) the typed HTTP client. */
export * from './contract/index.js';
