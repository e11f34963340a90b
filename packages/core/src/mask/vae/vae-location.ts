/** Finds `vae-oid.npz`: an explicit path, or the cache dir, downloading it there once. */
import { join, resolve } from 'node:path';
import { describeError } from '@paligemma/sdk/internal';
import { downloadFile, isFile } from '../../internal/download-file.js';
import type { DownloadProgress } from '../../model-files/hub-download.js';
import { CORE_ENVIRONMENT_VARIABLES } from '../../settings/defaults.js';
import { VaeUnavailableError } from './vae-errors.js';

/** big_vision's published mask decoder (trained on Open Images), as used by PaliGemma's segmentation. */
export const VAE_URL = 'https://storage.googleapis.com/big_vision/paligemma/vae-oid.npz';
/** File name inside the cache dir. */
export const VAE_FILE_NAME = 'vae-oid.npz';
/**
 * Refuse downloads larger than this: the real file is a few MB (a 128×512 codebook and two small conv nets), so
 * anything near this size is not the file we asked for and should not fill the disk.
 */
export const MAX_VAE_DOWNLOAD_BYTES = 256 * 1024 * 1024;

export interface ResolveVaeOptions {
  /** Path of a local `vae-oid.npz`; wins over the cache dir (`PaliGemma.load` fills it from `PALIGEMMA_VAE`). */
  vae?: string;
  /** Where a downloaded copy is kept. */
  cacheDir: string;
  /** Where to download from when there is no local copy. @default VAE_URL */
  url?: string;
  /** Largest download accepted, in bytes. @default MAX_VAE_DOWNLOAD_BYTES */
  maxDownloadBytes?: number;
  /** Called as bytes arrive; `total` is 0 when the server sends no length. */
  onProgress?: (progress: DownloadProgress) => void;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

/**
 * The local path of `vae-oid.npz`: `options.vae`, else `<cacheDir>/vae-oid.npz`, downloaded from `VAE_URL` on first
 * use (to a temporary file, renamed when complete). Throws `VaeUnavailableError` (`code: 'vae_unavailable'`) naming
 * the URL, the cache path and `PALIGEMMA_VAE=<path>` when it cannot be had; an abort through `signal` passes through
 * unchanged.
 * @example const path = await resolveVaePath({ cacheDir, onProgress: ({ loaded, total }) => console.log(loaded, total) })
 */
export async function resolveVaePath(options: ResolveVaeOptions): Promise<string> {
  if (options.vae) {
    const path = resolve(options.vae);
    if (await isFile(path)) return path;
    throw new VaeUnavailableError(
      `VAE weights file ${path} (the vae option or ${CORE_ENVIRONMENT_VARIABLES.vae}) does not exist; point it at a copy of ${VAE_URL}`,
    );
  }
  const destination = join(options.cacheDir, VAE_FILE_NAME);
  if (await isFile(destination)) return destination;
  const url = options.url ?? VAE_URL;
  try {
    await downloadFile(url, destination, {
      fetch: options.fetch,
      signal: options.signal,
      maxBytes: options.maxDownloadBytes ?? MAX_VAE_DOWNLOAD_BYTES,
      onProgress: options.onProgress,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new VaeUnavailableError(
      `could not download the segmentation mask decoder from ${url} into ${destination}: ${describeError(error)}. ` +
        `If this machine is offline, download ${VAE_URL} elsewhere and copy it to ${destination}, ` +
        `or set ${CORE_ENVIRONMENT_VARIABLES.vae}=<path> to a local copy.`,
      { cause: error },
    );
  }
  return destination;
}
