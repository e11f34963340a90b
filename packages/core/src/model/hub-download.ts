/** Downloads model files from the Hugging Face hub into a cache directory, reporting progress. */
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Progress of one file; `total` is unknown (0) when the hub sends no length. */
export interface DownloadProgress {
  file: string;
  loaded: number;
  total: number;
}

export interface HubDownloadOptions {
  /** Hub base URL. @default process.env.HF_ENDPOINT ?? 'https://huggingface.co' */
  hubUrl?: string;
  /** @default 'main' */
  revision?: string;
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

/** The hub's file URL for `repo` at `revision`. */
export function hubFileUrl(repo: string, file: string, options: HubDownloadOptions = {}): string {
  const base = (options.hubUrl ?? process.env.HF_ENDPOINT ?? 'https://huggingface.co').replace(/\/+$/, '');
  const path = file.split('/').map(encodeURIComponent).join('/');
  return `${base}/${repo}/resolve/${encodeURIComponent(options.revision ?? 'main')}/${path}`;
}

/**
 * Downloads `file` of `repo` to `destination` unless it is already there. Writes to a `.partial` file and renames
 * it when complete, so an interrupted download is never mistaken for a cached file.
 * @example await downloadHubFile('Xenova/paligemma-3b-mix-224', 'config.json', '/cache/config.json')
 */
export async function downloadHubFile(repo: string, file: string, destination: string, options: HubDownloadOptions = {}): Promise<void> {
  if (await isFile(destination)) return;
  const url = hubFileUrl(repo, file, options);
  const response = await (options.fetch ?? fetch)(url, { signal: options.signal, redirect: 'follow' });
  if (response.status === 404) throw new HubFileNotFoundError(url);
  if (!response.ok || !response.body) throw new Error(`GET ${url} answered ${response.status} ${response.statusText}`);
  const total = Number(response.headers.get('content-length') ?? 0);
  let loaded = 0;
  options.onProgress?.({ file, loaded, total });
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      loaded += chunk.byteLength;
      options.onProgress?.({ file, loaded, total });
      controller.enqueue(chunk);
    },
  });
  await mkdir(dirname(destination), { recursive: true });
  const partial = `${destination}.partial`;
  try {
    await pipeline(Readable.fromWeb(response.body.pipeThrough(counter) as never), createWriteStream(partial));
    await rename(partial, destination);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

/** Local path of a hub repo inside the cache directory. */
export function cachedRepoDirectory(cacheDir: string, repo: string): string {
  return join(cacheDir, 'models', ...repo.split('/'));
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
