/** Every name each public entry of @paligemma/server exports: an addition (or a leak) shows up here as a failure. */
import { fileURLToPath } from 'node:url';
import { exportedNames } from '@paligemma/test-support';
import { describe, expect, it } from 'vitest';

const source = (path: string) => fileURLToPath(new URL(`../src/${path}`, import.meta.url));

describe('public entries of @paligemma/server', () => {
  it.each([
    ['index.ts', [
      'AppEnv', 'AppOptions', 'CONFIG_ENVIRONMENT_VARIABLES', 'ConfigError', 'ImageFetcher', 'LogRecord', 'Logger', 'Model', 'ModelCallOptions',
      'ModelSource', 'PaliGemmaApp', 'ServerConfig', 'ServerConfigOptions', 'ServiceError', 'buildOpenApiDocument', 'createApp',
      'jsonLineLogger', 'resolveServerConfig', 'silentLogger',
    ]],
    ['node/index.ts', [
      'CLI_COMMANDS', 'CliCommand', 'CliIo', 'FetchImageOptions', 'LoadModelOptions', 'ResolvedAddress', 'ServeOptions', 'ServerHandle',
      'createNodeImageFetcher', 'fetchImageSafely', 'loadModel', 'logDownloadProgress', 'runCli', 'serve',
    ]],
    ['edge/index.ts', [
      'CACHE_STATUS_HEADER', 'DEFAULT_CACHE_TTL_SECONDS', 'DEFAULT_UPSTREAM_TIMEOUT_MS', 'EdgeBindings', 'EdgeConfig', 'EdgeConfigError',
      'EdgeGatewayOptions', 'ResponseCacheStore', 'createEdgeGateway', 'resolveEdgeConfig',
    ]],
    // workerd refuses a Worker module whose other exports are not handlers.
    ['edge/worker.ts', ['default']],
  ])('%s', (entry, names) => {
    expect(exportedNames(source(entry))).toEqual(names);
  });
});
