import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { inspectImage } from './inspect-image.js';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../../../fixtures/images/${name}`, import.meta.url)));

describe('inspectImage', () => {
  it.each([
    ['coffee.jpg', 'jpeg', 600, 400],
    ['camera.png', 'png', 512, 512],
  ])('reads %s', async (name, type, width, height) => {
    expect(await inspectImage(fixture(name), { maxPixels: 50_000_000 })).toEqual({ type, width, height });
  });

  it.each(['webp', 'gif', 'tiff', 'avif'] as const)('accepts %s made by sharp', async (format) => {
    const bytes = await sharp(fixture('coffee.jpg')).resize(64, 48).toFormat(format).toBuffer();
    expect(await inspectImage(new Uint8Array(bytes), { maxPixels: 50_000_000 })).toMatchObject({ width: 64, height: 48 });
  });

  it('refuses bytes that are no image format we decode with 415, whatever they claim', async () => {
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
    await expect(inspectImage(svg, { maxPixels: 1e6 })).rejects.toMatchObject({ status: 415, code: 'unsupported_media_type' });
  });

  it('refuses too many pixels from the header with 413 image_too_large', async () => {
    await expect(inspectImage(fixture('coffee.jpg'), { maxPixels: 600 * 400 - 1 })).rejects.toMatchObject({
      status: 413,
      code: 'image_too_large',
      message: expect.stringMatching(/600×400 = 240000 pixels; the limit is 239999/),
    });
  });

  it('refuses a pixel bomb (huge declared size, tiny file) without decoding it', async () => {
    // A 90-byte PNG whose header declares 100000×100000 pixels (10 G pixels, ~30 GB decoded).
    const bomb = Buffer.from(await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } }).png().toBuffer());
    bomb.writeUInt32BE(100_000, 16);
    bomb.writeUInt32BE(100_000, 20);
    bomb.writeUInt32BE(crc32(bomb.subarray(12, 29)), 29); // IHDR's CRC, so the header itself is valid
    const started = performance.now();
    await expect(inspectImage(new Uint8Array(bomb), { maxPixels: 50_000_000 })).rejects.toMatchObject({ code: 'image_too_large' });
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it.each([
    ['a truncated JPEG', () => fixture('coffee.jpg').subarray(0, 5_000)],
    ['a truncated PNG', () => fixture('camera.png').subarray(0, 2_000)],
    ['a JPEG signature followed by garbage', () => new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...new Array(64).fill(7)])],
  ])('refuses %s with 422 invalid_image', async (_name, bytes) => {
    await expect(inspectImage(bytes(), { maxPixels: 50_000_000 })).rejects.toMatchObject({ status: 422, code: 'invalid_image' });
  });
});
