import { describe, expect, it } from 'vitest';
import { sniffImageType } from './sniff-image-type.js';

const bytes = (...parts: Array<string | number[]>) =>
  new Uint8Array(parts.flatMap((part) => (typeof part === 'string' ? [...part].map((char) => char.charCodeAt(0)) : part)));
const ftyp = (brand: string) => bytes([0, 0, 0, 28], 'ftyp', brand, [0, 0, 0, 0]);

describe('sniffImageType', () => {
  it.each([
    ['jpeg', bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF\0\0\0\0\0\0')],
    ['png', bytes('\x89PNG\r\n\x1a\n', [0, 0, 0, 13])],
    ['gif', bytes('GIF89a', [1, 0, 1, 0, 0, 0])],
    ['gif', bytes('GIF87a', [1, 0, 1, 0, 0, 0])],
    ['webp', bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 ')],
    ['tiff', bytes('II*\0', [8, 0, 0, 0, 0, 0, 0, 0])],
    ['tiff', bytes('MM\0*', [0, 0, 0, 8, 0, 0, 0, 0])],
    ['avif', ftyp('avif')],
    ['heif', ftyp('heic')],
    ['heif', ftyp('mif1')],
  ])('recognises %s', (type, data) => {
    expect(sniffImageType(data)).toBe(type);
  });

  it.each([
    ['text', bytes('hello, world, not an image')],
    ['svg', bytes('<svg xmlns="http://www.w3.org/2000/svg"/>')],
    ['mp4', ftyp('isom')],
    ['pdf', bytes('%PDF-1.7\n%\xe2\xe3\xcf\xd3')],
    ['empty', bytes()],
    ['riff wav', bytes('RIFF', [0, 0, 0, 0], 'WAVEfmt ')],
  ])('refuses %s', (_name, data) => {
    expect(sniffImageType(data)).toBeUndefined();
  });
});
