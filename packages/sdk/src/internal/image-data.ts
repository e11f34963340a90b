/** Turns the `{data}` form of an image (base64, or a `data:` URI) into bytes, refusing oversized images before decoding. */

const DATA_URI = /^data:([^,]*?)(;base64)?,/i;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** Why image data was refused: not base64 (`invalid_request`), or more bytes than allowed (`payload_too_large`). */
export class ImageDataError extends Error {
  constructor(readonly code: 'invalid_request' | 'payload_too_large', message: string) {
    super(message);
    this.name = 'ImageDataError';
  }
}

/**
 * Bytes of `data`; throws {@link ImageDataError} above `maxBytes` (counted from the text, before decoding) or for
 * text that is not base64 / a base64 data URI. The server answers 413 and 400 with the error's code.
 * @example decodeImageData('data:image/png;base64,iVBORw0KGgo=', 10_000_000)
 */
export function decodeImageData(data: string, maxBytes: number): Uint8Array {
  let payload = data;
  const uri = DATA_URI.exec(data);
  if (uri) {
    if (!uri[2]) throw new ImageDataError('invalid_request', 'image.data: a data URI must be base64-encoded (";base64,")');
    payload = data.slice(uri[0].length);
  }
  payload = payload.replace(/\s+/g, '');
  // Check the size from the text length first, so a huge string is refused before it is decoded.
  const estimatedBytes = Math.floor((payload.length * 3) / 4) - (payload.endsWith('==') ? 2 : payload.endsWith('=') ? 1 : 0);
  if (estimatedBytes > maxBytes) {
    throw new ImageDataError('payload_too_large', `image is ${estimatedBytes} bytes; the limit is ${maxBytes} bytes`);
  }
  if (payload.length === 0 || !BASE64.test(payload)) throw new ImageDataError('invalid_request', 'image.data must be base64 or a base64 data URI');
  return base64ToBytes(payload.replace(/-/g, '+').replace(/_/g, '/'));
}

/** Node's Buffer where there is one (fast), else `atob` (browsers, edge runtimes). */
function base64ToBytes(base64: string): Uint8Array {
  const buffer = (globalThis as { Buffer?: { from(text: string, encoding: 'base64'): Uint8Array } }).Buffer;
  if (buffer) return new Uint8Array(buffer.from(base64, 'base64'));
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}
