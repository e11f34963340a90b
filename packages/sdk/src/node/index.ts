/** `@paligemma/sdk/node`: helpers that need Node built-ins, kept out of the runtime-neutral main entry. */
export * from './from-file.js';
