import { describe, expect, it } from 'vitest';
import { encodeBase64 } from './base64.js';

/** Deterministic pseudo-random bytes, so failures reproduce. */
function bytesOfLength(length: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed;
  for (let index = 0; index < length; index++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[index] = state >>> 24;
  }
  return bytes;
}

describe('encodeBase64', () => {
  it.each([
    ['', ''],
    ['f', 'Zg=='],
    ['fo', 'Zm8='],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg=='],
    ['fooba', 'Zm9vYmE='],
    ['foobar', 'Zm9vYmFy'],
  ])('RFC 4648 test vector %j → %j', (text, expected) => {
    expect(encodeBase64(new TextEncoder().encode(text))).toBe(expected);
  });

  it('matches Buffer for every byte value and for lengths around chunk edges', () => {
    const allBytes = Uint8Array.from({ length: 256 }, (_, index) => index);
    expect(encodeBase64(allBytes)).toBe(Buffer.from(allBytes).toString('base64'));
    for (const length of [1, 2, 3, 4, 5, 6, 7, 97, 98, 99, 100]) {
      const bytes = bytesOfLength(length, length);
      // A chunk size of 6 forces many chunk joins; only the last may carry padding.
      expect(encodeBase64(bytes, 6)).toBe(Buffer.from(bytes).toString('base64'));
    }
  });

  it('encodes a subarray view, not its whole backing buffer', () => {
    const backing = bytesOfLength(64);
    const view = backing.subarray(10, 21);
    expect(encodeBase64(view)).toBe(Buffer.from(view).toString('base64'));
  });

  it('encodes a 10 MiB input across default-sized chunks like Buffer', () => {
    const bytes = bytesOfLength(10 * 1024 * 1024 + 1);
    expect(encodeBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
  });
});
