/** Downloads model files from the Hugging Face hub into a cache directory, reporting progress. */
import { join } from 'node:path';
import { type DownloadProgress, HttpStatusError, downloadFile, isFile } from '../internal/download-file.js';
import { DEFAULT_HUB_URL } from '../settings/defaults.js';
import { hubFetch } from './hub-fetch.js';

export type { DownloadProgress } from '../internal/download-file.js';

export interface HubDownloadOptions {
  /** Hub base URL (`PaliGemma.load` fills it from `HF_ENDPOINT`). @default DEFAULT_HUB_URL */
  hubUrl?: string;
  /** @default 'main' */
  revision?: string;
  /** Sent as `Authorization: Bearer <token>` to the hub's origin only (gated and private repos). @default none */
  token?: string;
  onProgress?: (progress: DownloadProgress) => void;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

/** Thrown when the hub answers 404 for a file, so optional files can be told apart from failures. */
export class HubFileNotFoundError extends Error {
  constructor(readonly url: string) {
    super(`not found on the hub: ${url}`);
    this.name = 'HubFileNotFoundError';
  }
}

/**
 * Thrown when the hub answers 401 or 403: the repo is gated (license not accepted) or private, the token is missing
 * or refused, or (the hub says 401 for these too) there is no such repo.
 */
export class HubAccessError extends Error {
  constructor(readonly url: string, readonly status: number) {
    super(`the hub answered ${status} for ${url}`);
    this.name = 'HubAccessError';
  }
}

/**
 * The hub's base URL without a trailing slash: `hubUrl`, else the public hub.
 * @example hubBaseUrl('http://hub.local/') // 'http://hub.local'
 */
export function hubBaseUrl(hubUrl?: string): string {
  return (hubUrl ?? DEFAULT_HUB_URL).replace(/\/+$/, '');
}

/** The hub's file URL for `repo` at `revision`. */
function hubFileUrl(repo: string, file: string, options: HubDownloadOptions = {}): string {
  const base = hubBaseUrl(options.hubUrl);
  const path = file.split('/').map(encodeURIComponent).join('/');
  return `${base}/${repo}/resolve/${encodeURIComponent(options.revision ?? 'main')}/${path}`;
}

/**
 * Downloads `file` of `repo` to `destination` unless it is already there.
 * @example await downloadHubFile('Xenova/paligemma-3b-mix-224', 'config.json', '/cache/config.json')
 */
export async function downloadHubFile(repo: string, file: string, destination: string, options: HubDownloadOptions = {}): Promise<void> {
  if (await isFile(destination)) return;
  const url = hubFileUrl(repo, file, options);
  try {
    await downloadFile(url, destination, {
      fetch: hubFetch({ hubUrl: hubBaseUrl(options.hubUrl), token: options.token, fetch: options.fetch }),
      signal: options.signal,
      file,
      onProgress: options.onProgress,
    });
  } catch (error) {
    if (error instanceof HttpStatusError && error.status === 404) throw new HubFileNotFoundError(url);
    if (error instanceof HttpStatusError && (error.status === 401 || error.status === 403)) throw new HubAccessError(url, error.status);
    throw error;
  }
}

/** Local path of a hub repo inside the cache directory. */
export function cachedRepoDirectory(cacheDir: string, repo: string): string {
  return join(cacheDir, 'models', ...repo.split('/'));
}
