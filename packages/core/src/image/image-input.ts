/**
 * Turns an image argument into bytes (or already decoded pixels), with the same meaning as the HTTP client gives it:
 * a string is an `http(s)://` URL (fetched here) or a `data:` URI, never a file path — files go through `fromFile`.
 */
import { readFile } from 'node:fs/promises';
import {
  type ImageInput as WireImageInput, ImageDataError, classifyImageInput, decodeImageData,
} from '@paligemma/sdk/internal';
import { InvalidInputError } from '../errors/index.js';
import { byteCap } from '../internal/byte-cap.js';
import type { DecodedImage } from './decoded-image.js';
import { ImageDecodeError } from './image-decode-error.js';

/**
 * An image for the in-process model: everything the HTTP client accepts (an `http(s)` URL or `data:` URI string,
 * a `Blob`, an `ArrayBuffer`, a `Uint8Array`/`Buffer`, `{url}` or `{data}`), or pixels already decoded.
 */
export type ImageInput = WireImageInput | DecodedImage;

export interface ReadImageOptions {
  /** Largest encoded image accepted, in bytes (checked while a URL downloads, and before base64 is decoded). */
  maxBytes: number;
  signal?: AbortSignal;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
}

/**
 * The encoded bytes of `image`, or its pixels when it is a {@link DecodedImage}. Throws `TypeError` for what is no
 * image argument (a file path, for example), {@link InvalidInputError} for bad base64 or a URL that cannot be
 * fetched, and {@link ImageDecodeError} (`payload_too_large`) above `maxBytes`.
 * @example const bytes = await readImageInput('https://example.com/cat.jpg', { maxBytes: 10_000_000 })
 */
export async function readImageInput(image: ImageInput, options: ReadImageOptions): Promise<Uint8Array | DecodedImage> {
  options.signal?.throwIfAborted();
  if (isDecodedImage(image)) return image;
  const input = classifyImageInput(image);
  switch (input.kind) {
    case 'bytes':
      return checkSize(input.bytes, options.maxBytes);
    case 'blob':
      if (input.blob.size > options.maxBytes) throw tooLarge(input.blob.size, options.maxBytes);
      return new Uint8Array(await input.blob.arrayBuffer());
    case 'data':
      try {
        return decodeImageData(input.data, options.maxBytes);
      } catch (error) {
        if (!(error instanceof ImageDataError)) throw error;
        throw error.code === 'payload_too_large' ? new ImageDecodeError('payload_too_large', error.message) : new InvalidInputError(error.message);
      }
    case 'url':
      return fetchImage(input.url, options);
  }
}

/**
 * Reads an image file into bytes, which every method of both transports accepts.
 * @example const { caption } = await model.caption(await fromFile('cat.jpg'))
 */
export async function fromFile(path: string | URL, options: { signal?: AbortSignal } = {}): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await readFile(path, { signal: options.signal }));
}

/** True for `{ width, height, data }` pixels; the wire forms `{url}` / `{data: string}` are told apart by `data`'s type. */
function isDecodedImage(image: unknown): image is DecodedImage {
  return typeof image === 'object' && image !== null && 'width' in image && 'height' in image && (image as DecodedImage).data instanceof Uint8Array;
}

/** In-process callers are trusted, so any address may be fetched; the server fetches through its SSRF guard instead. */
async function fetchImage(url: string, options: ReadImageOptions): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, { signal: options.signal, redirect: 'follow' });
  } catch (error) {
    options.signal?.throwIfAborted();
    throw new InvalidInputError(`could not fetch the image at ${url}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new InvalidInputError(`the image URL ${url} answered HTTP ${response.status}`);
  }
  const announced = Number(response.headers.get('content-length') ?? 0);
  if (announced > options.maxBytes) {
    await response.body.cancel();
    throw tooLarge(announced, options.maxBytes);
  }
  // Count what arrives: a chunked or compressed response announces no (or the wrong) length.
  const counted = response.body.pipeThrough(byteCap(options.maxBytes, (loaded) => tooLarge(loaded, options.maxBytes)));
  return new Uint8Array(await new Response(counted).arrayBuffer());
}

function checkSize(bytes: Uint8Array, maxBytes: number): Uint8Array {
  if (bytes.byteLength > maxBytes) throw tooLarge(bytes.byteLength, maxBytes);
  return bytes;
}

function tooLarge(size: number, maxBytes: number): ImageDecodeError {
  return new ImageDecodeError('payload_too_large', `image is ${size} bytes; the limit is ${maxBytes} bytes`);
}
