/** The conversion of an image argument to the request's `{url}` / `{data}` field. */
import type { ImageSource } from '../contract/image.js';
import { encodeBase64 } from '../internal/base64.js';
import { type ImageInput, classifyImageInput } from '../internal/image-input-kind.js';

export type { ImageInput } from '../internal/image-input-kind.js';

/**
 * Converts an {@link ImageInput} to the request's `image` field; bytes become base64 `{ data }`.
 * Throws a `TypeError` for anything else (a file path, for example, which only `fromFile` can read).
 *
 * @example
 * await toImageSource('https://example.com/cat.jpg'); // { url: 'https://example.com/cat.jpg' }
 * await toImageSource(new Uint8Array([0xff, 0xd8, 0xff])); // { data: '/9j/' }
 */
export async function toImageSource(image: ImageInput): Promise<ImageSource> {
  const input = classifyImageInput(image);
  switch (input.kind) {
    case 'url':
      return { url: input.url };
    case 'data':
      return { data: input.data };
    case 'blob':
      return { data: encodeBase64(new Uint8Array(await input.blob.arrayBuffer())) };
    case 'bytes':
      return { data: encodeBase64(input.bytes) };
  }
}
