/** Base64 encoding that needs no `Buffer`, so the client runs the same in Node, browsers and workerd. */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const ALPHABET_CODES = Uint8Array.from(ALPHABET, (character) => character.charCodeAt(0));
const PADDING_CODE = '='.charCodeAt(0);

/**
 * Bytes encoded per step: a multiple of 3 so only the last chunk needs padding, and small enough (3 MiB in,
 * 4 MiB of ASCII out) that a large photo never needs one giant temporary array.
 */
export const BASE64_CHUNK_BYTES = 3 * 1024 * 1024;

/** ASCII bytes → string; base64 is pure ASCII, so UTF-8 decoding is exact and runs natively everywhere. */
const asciiDecoder = new TextDecoder();

/**
 * Standard base64 (RFC 4648 §4, with padding) of `bytes`.
 *
 * @example
 * encodeBase64(new Uint8Array([104, 105])); // 'aGk='
 */
export function encodeBase64(bytes: Uint8Array, chunkBytes: number = BASE64_CHUNK_BYTES): string {
  const parts: string[] = [];
  for (let start = 0; start < bytes.length; start += chunkBytes) {
    parts.push(encodeChunk(bytes.subarray(start, Math.min(start + chunkBytes, bytes.length))));
  }
  return parts.join('');
}

function encodeChunk(bytes: Uint8Array): string {
  const output = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  const wholeTriples = bytes.length - (bytes.length % 3);
  let out = 0;
  for (let index = 0; index < wholeTriples; index += 3) {
    const triple = (bytes[index] << 16) | (bytes[index + 1] << 8) | bytes[index + 2];
    output[out++] = ALPHABET_CODES[triple >> 18];
    output[out++] = ALPHABET_CODES[(triple >> 12) & 63];
    output[out++] = ALPHABET_CODES[(triple >> 6) & 63];
    output[out++] = ALPHABET_CODES[triple & 63];
  }
  const remaining = bytes.length - wholeTriples;
  if (remaining > 0) {
    const first = bytes[wholeTriples];
    const second = remaining === 2 ? bytes[wholeTriples + 1] : 0;
    output[out++] = ALPHABET_CODES[first >> 2];
    output[out++] = ALPHABET_CODES[((first & 3) << 4) | (second >> 4)];
    output[out++] = remaining === 2 ? ALPHABET_CODES[(second & 15) << 2] : PADDING_CODE;
    output[out++] = PADDING_CODE;
  }
  return asciiDecoder.decode(output);
}
