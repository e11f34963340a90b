/** `@paligemma/server/node`: the listening server on Node, the model loader, the SSRF-guarded image fetcher and the CLI. */
export { type ServeOptions, type ServerHandle, serve } from './serve.js';
export { type LoadModelOptions, loadModel, logDownloadProgress } from '../model/load-model.js';
export { createNodeImageFetcher } from '../image/node-image-fetcher.js';
export { type FetchImageOptions, type ResolvedAddress, fetchImageSafely } from '../image/fetch-image-safely.js';
export { CLI_COMMANDS, runCli } from '../cli/run-cli.js';
export type { CliCommand, CliIo } from '../cli/cli-command.js';
