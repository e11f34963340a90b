/** Downloads a URL to a file with progress, a byte cap and an atomic rename; shared by model and VAE downloads. */
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { byteCap } from './byte-cap.js';

/** A non-2xx answer, kept apart so callers can treat 404 differently from a failure. */
export class HttpStatusError extends Error {
  constructor(readonly url: string, readonly status: number, statusText: string) {
    super(`GET ${url} answered ${status} ${statusText}`);
    this.name = 'HttpStatusError';
  }
}

/** Progress of one file; `total` is unknown (0) when the server sends no length. */
export interface DownloadProgress {
  file: string;
  loaded: number;
  total: number;
}

export interface DownloadFileOptions {
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /** Refuse more bytes than this (announced or received). @default no limit */
  maxBytes?: number;
  /** The name progress reports carry. @default the destination's base name */
  file?: string;
  onProgress?: (progress: DownloadProgress) => void;
}

/**
 * Streams `url` into `destination` through a uniquely named partial file renamed when complete, so an interrupted
 * download is never mistaken for a finished one and two processes sharing a cache never write into each other.
 * @example await downloadFile('https://example.com/model.onnx', '/cache/model.onnx', { onProgress: ({ loaded, total }) => console.log(loaded, total) })
 */
export async function downloadFile(url: string, destination: string, options: DownloadFileOptions = {}): Promise<void> {
  const limit = options.maxBytes ?? Number.POSITIVE_INFINITY;
  const response = await (options.fetch ?? fetch)(url, { signal: options.signal, redirect: 'follow' });
  if (!response.ok || !response.body) throw new HttpStatusError(url, response.status, response.statusText);
  const total = Number(response.headers.get('content-length') ?? 0);
  if (total > limit) throw new Error(`the server announced ${total} bytes, more than the ${limit} accepted`);
  const file = options.file ?? basename(destination);
  options.onProgress?.({ file, loaded: 0, total });
  // Count what arrives rather than trusting Content-Length, which a chunked or compressed response may lack.
  const counter = byteCap(limit, () => new Error(`the download exceeded the ${limit} bytes accepted`), (loaded) => options.onProgress?.({ file, loaded, total }));
  await mkdir(dirname(destination), { recursive: true });
  const partial = `${destination}.${process.pid}.${Date.now()}.partial`;
  try {
    await pipeline(Readable.fromWeb(response.body.pipeThrough(counter) as never), createWriteStream(partial));
    await rename(partial, destination);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

/** True when `path` is an existing regular file. */
export async function isFile(path: string): Promise<boolean> {
  return stat(path).then((stats) => stats.isFile(), () => false);
}
