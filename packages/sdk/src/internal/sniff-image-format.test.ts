import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { type ImageFormat, sniffImageFormat } from './sniff-image-format.js';

const bytes = (...parts: Array<string | number[]>) =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part))));
/** An ISO-BMFF `ftyp` box: size, 'ftyp', major brand, version 0, compatible brands. */
const ftyp = (major: string, ...compatible: string[]) => bytes([0, 0, 0, 16 + 4 * compatible.length], 'ftyp', major, [0, 0, 0, 0], ...compatible);

describe('sniffImageFormat', () => {
  it.each<[string, Uint8Array, ImageFormat | undefined]>([
    ['JPEG (JFIF)', bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), 'jpeg'],
    ['JPEG (EXIF)', bytes([0xff, 0xd8, 0xff, 0xe1]), 'jpeg'],
    ['PNG', bytes([0x89], 'PNG\r\n\x1a\n', [0, 0, 0, 13]), 'png'],
    ['GIF87a', bytes('GIF87a', [1, 0]), 'gif'],
    ['GIF89a', bytes('GIF89a', [1, 0]), 'gif'],
    ['WebP', bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 '), 'webp'],
    ['TIFF little-endian', bytes('II*\0', [8, 0, 0, 0]), 'tiff'],
    ['TIFF big-endian', bytes('MM\0*', [0, 0, 0, 8]), 'tiff'],
    ['BigTIFF', bytes('II+\0', [8, 0, 0, 0]), 'tiff'],
    ['AVIF', ftyp('avif', 'mif1', 'miaf'), 'avif'],
    ['AVIF sequence', ftyp('avis', 'avif', 'msf1'), 'avif'],
    ['AVIF as a compatible brand', ftyp('mif1', 'avif', 'miaf'), 'avif'],
    ['HEIC', ftyp('heic', 'mif1', 'heic'), undefined],
    ['MP4 video', ftyp('isom', 'iso2', 'mp41'), undefined],
    ['WAV (RIFF, not WebP)', bytes('RIFF', [0x24, 0, 0, 0], 'WAVEfmt '), undefined],
    ['PNG signature cut short', bytes([0x89], 'PNG'), undefined],
    ['SVG', bytes('<svg xmlns="http://www.w3.org/2000/svg"/>'), undefined],
    ['HTML', bytes('<!DOCTYPE html>'), undefined],
    ['BMP', bytes('BM', [0x36, 0, 0, 0]), undefined],
    ['PDF', bytes('%PDF-1.7'), undefined],
    ['empty', new Uint8Array(), undefined],
  ])('%s → %s', (_, input, expected) => {
    expect(sniffImageFormat(input)).toBe(expected);
  });

  it.each(['jpeg', 'png', 'gif', 'webp', 'tiff', 'avif'] as const)('recognises what sharp writes as %s', async (format) => {
    const encoded = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#336699' } }).toFormat(format).toBuffer();
    expect(sniffImageFormat(encoded)).toBe(format);
  });
});
