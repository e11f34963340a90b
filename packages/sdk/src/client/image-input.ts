/** Everything the client accepts as an image, and its conversion to the request's `{url}` / `{data}` field. */
import type { ImageDataSource, ImageSource, ImageUrlSource } from '../contract/image.js';
import { encodeBase64 } from '../internal/base64.js';

/**
 * An image for any client method:
 * - an `http(s)://` URL string (the server fetches it) or a `data:` URI string;
 * - bytes: `Blob` / `File`, `ArrayBuffer`, `Uint8Array` / `Buffer` or any other `ArrayBufferView`;
 * - the wire form itself: `{ url }` or `{ data }` (base64 or a data URI).
 * In Node, `fromFile(path)` from `@paligemma/sdk/node` reads a file into this form.
 */
export type ImageInput = string | Blob | ArrayBuffer | ArrayBufferView | ImageUrlSource | ImageDataSource;

const URL_PATTERN = /^https?:\/\//i;
const DATA_URI_PATTERN = /^data:/i;

/**
 * Converts an {@link ImageInput} to the request's `image` field; bytes become base64 `{ data }`.
 * Throws a `TypeError` for anything else (a file path, for example, which only `fromFile` can read).
 *
 * @example
 * await toImageSource('https://example.com/cat.jpg'); // { url: 'https://example.com/cat.jpg' }
 * await toImageSource(new Uint8Array([0xff, 0xd8, 0xff])); // { data: '/9j/' }
 */
export async function toImageSource(image: ImageInput): Promise<ImageSource> {
  if (typeof image === 'string') return sourceFromString(image);
  if (isBlob(image)) return { data: encodeBase64(new Uint8Array(await image.arrayBuffer())) };
  if (isArrayBuffer(image)) return { data: encodeBase64(new Uint8Array(image)) };
  if (ArrayBuffer.isView(image)) {
    return { data: encodeBase64(new Uint8Array(image.buffer, image.byteOffset, image.byteLength)) };
  }
  if (typeof image === 'object' && image !== null) {
    if ('url' in image && typeof image.url === 'string') return { url: image.url };
    if ('data' in image && typeof image.data === 'string' && image.data.length > 0) return { data: image.data };
  }
  throw new TypeError(`unsupported image: ${describe(image)}; ${SUPPORTED_INPUTS}`);
}

const SUPPORTED_INPUTS =
  'pass an http(s) URL, a data: URI, a Blob, an ArrayBuffer, a Uint8Array, {url} or {data}' +
  " (read files in Node with fromFile from '@paligemma/sdk/node')";

function sourceFromString(image: string): ImageSource {
  if (URL_PATTERN.test(image)) return { url: image };
  if (DATA_URI_PATTERN.test(image)) return { data: image };
  throw new TypeError(`unsupported image string ${JSON.stringify(image.slice(0, 80))}; ${SUPPORTED_INPUTS}`);
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
