/** The one place core reads environment variables: fallbacks for the load options a caller leaves out. */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { processEnvironment, readEnvironment } from '@paligemma/sdk/internal';
import { CORE_ENVIRONMENT_VARIABLES, DEFAULT_HUB_URL } from './defaults.js';
import { type HubToken, readHubToken } from './hub-token.js';

/** What the environment decides when the options do not. */
export interface CoreEnvironment {
  /** `PALIGEMMA_CACHE_DIR`, else `~/.cache/paligemma`. */
  cacheDir: string;
  /** `PALIGEMMA_VAE`, if set. */
  vae: string | undefined;
  /** `HF_ENDPOINT`, else the Hugging Face hub. */
  hubUrl: string;
  /**
   * `HF_TOKEN`, else the token file `huggingface-cli login` writes, if either is there (see `readHubToken`). Read on
   * call, so a model on disk never touches the file; throws when the file exists but cannot be read.
   */
  hubToken: () => HubToken | undefined;
}

/** Where hub downloads and `vae-oid.npz` go unless told otherwise. */
export function defaultCacheDir(): string {
  return join(homedir(), '.cache', 'paligemma');
}

/**
 * Reads core's variables from `environment` (blank values count as unset).
 * @example readCoreEnvironment({ PALIGEMMA_CACHE_DIR: '/cache' }).cacheDir // '/cache'
 */
export function readCoreEnvironment(environment: Record<string, string | undefined> = processEnvironment()): CoreEnvironment {
  const value = (name: string) => readEnvironment(name, environment);
  return {
    cacheDir: value(CORE_ENVIRONMENT_VARIABLES.cacheDir) ?? defaultCacheDir(),
    vae: value(CORE_ENVIRONMENT_VARIABLES.vae),
    hubUrl: value(CORE_ENVIRONMENT_VARIABLES.hubUrl) ?? DEFAULT_HUB_URL,
    hubToken: () => readHubToken(environment),
  };
}
