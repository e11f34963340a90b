/**
 * What an image argument means, decided in one place for both transports: the HTTP client sends it as `{url}` or
 * `{data}`, the in-process model (`@paligemma/core`) fetches or decodes it. A string is always an `http(s)://` URL
 * or a `data:` URI, never a file path (read files with `fromFile`).
 */
import type { ImageDataSource, ImageUrlSource } from '../contract/image.js';

/**
 * An image for any method of either transport:
 * - an `http(s)://` URL string or a `data:` URI string;
 * - bytes: `Blob` / `File`, `ArrayBuffer`, `Uint8Array` / `Buffer` or any other `ArrayBufferView`;
 * - the wire form itself: `{ url }` or `{ data }` (base64 or a data URI).
 * Files are read with `fromFile(path)` (`@paligemma/sdk/node`, or `@paligemma/core`).
 */
export type ImageInput = string | Blob | ArrayBuffer | ArrayBufferView | ImageUrlSource | ImageDataSource;

export type ImageInputKind =
  | { kind: 'url'; url: string }
  | { kind: 'data'; data: string }
  | { kind: 'blob'; blob: Blob }
  | { kind: 'bytes'; bytes: Uint8Array };

const URL_PATTERN = /^https?:\/\//i;
const DATA_URI_PATTERN = /^data:/i;

/** The sentence every refusal ends with. */
export const SUPPORTED_IMAGE_INPUTS =
  'pass an http(s) URL, a data: URI, a Blob, an ArrayBuffer, a Uint8Array, {url} or {data}' +
  ' (read files with fromFile: from @paligemma/sdk/node, or from @paligemma/core)';

/**
 * Sorts an image argument into URL, data, Blob or bytes; throws a `TypeError` for anything else (a file path, for
 * example).
 * @example classifyImageInput('https://example.com/cat.jpg') // { kind: 'url', url: 'https://example.com/cat.jpg' }
 */
export function classifyImageInput(image: ImageInput): ImageInputKind {
  if (typeof image === 'string') {
    if (URL_PATTERN.test(image)) return { kind: 'url', url: image };
    if (DATA_URI_PATTERN.test(image)) return { kind: 'data', data: image };
    throw new TypeError(`unsupported image string ${JSON.stringify(image.slice(0, 80))}; ${SUPPORTED_IMAGE_INPUTS}`);
  }
  if (isBlob(image)) return { kind: 'blob', blob: image };
  if (isArrayBuffer(image)) return { kind: 'bytes', bytes: new Uint8Array(image) };
  if (ArrayBuffer.isView(image)) return { kind: 'bytes', bytes: new Uint8Array(image.buffer, image.byteOffset, image.byteLength) };
  if (typeof image === 'object' && image !== null) {
    if ('url' in image && typeof image.url === 'string') return { kind: 'url', url: image.url };
    if ('data' in image && typeof image.data === 'string' && image.data.length > 0) return { kind: 'data', data: image.data };
  }
  throw new TypeError(`unsupported image: ${describe(image)}; ${SUPPORTED_IMAGE_INPUTS}`);
}

/** Duck-typed so Blobs from another realm (an iframe, a polyfill, undici's) are accepted too. */
function isBlob(value: unknown): value is Blob {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Blob).arrayBuffer === 'function' &&
    typeof (value as Blob).size === 'number' &&
    typeof (value as Blob).type === 'string'
  );
}

function isArrayBuffer(value: unknown): value is ArrayBuffer {
  return value instanceof ArrayBuffer || Object.prototype.toString.call(value) === '[object ArrayBuffer]';
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return Object.prototype.toString.call(value);
}
