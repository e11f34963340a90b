import { describe, expect, it } from 'vitest';
import { decodeImageData } from './image-data.js';

const PNG_HEADER = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const base64 = Buffer.from(PNG_HEADER).toString('base64');

describe('decodeImageData', () => {
  it.each([
    ['plain base64', base64],
    ['a data URI', `data:image/png;base64,${base64}`],
    ['a data URI with any declared type', `data:application/octet-stream;base64,${base64}`],
    ['base64 with line breaks', `${base64.slice(0, 4)}\n${base64.slice(4)}`],
    ['base64url', Buffer.from(PNG_HEADER).toString('base64url')],
  ])('decodes %s', (_name, data) => {
    expect([...decodeImageData(data, 1000)]).toEqual(PNG_HEADER);
  });

  it.each([
    ['a data URI without ;base64', 'data:image/png,abc', /base64-encoded/],
    ['text that is not base64', 'this is not base64!', /must be base64/],
  ])('refuses %s as invalid_request', (_name, data, message) => {
    expect(() => decodeImageData(data, 1000)).toThrow(expect.objectContaining({ code: 'invalid_request', message: expect.stringMatching(message) }));
  });

  it('refuses data over the byte limit before decoding it', () => {
    expect(() => decodeImageData('A'.repeat(4000), 2999)).toThrow(expect.objectContaining({ code: 'payload_too_large' }));
    expect(decodeImageData('A'.repeat(4000), 3000)).toHaveLength(3000);
  });
});
