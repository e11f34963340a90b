/** `@paligemma/server/node`: the Node entry (listening server, core model loader) and Node image intake. */
export { type ServeOptions, type ServerHandle, loadCoreEngine, serve } from './serve.js';
export { type FetchImageOptions, type InspectedImage, type ResolvedAddress, createNodeImageIntake, fetchImageSafely, inspectImage } from '../image/index.js';
export { CLI_COMMANDS, runCli } from '../cli/run-cli.js';
export type { CliCommand, CliIo } from '../cli/cli-command.js';
