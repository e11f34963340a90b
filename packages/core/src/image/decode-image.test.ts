import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';
import sharp, { type Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors/index.js';
import { decodeImage } from './decode-image.js';
import { ImageDecodeError, type ImageDecodeErrorCode } from './image-decode-error.js';

const IMAGES_DIR = fileURLToPath(new URL('../../../../fixtures/images/', import.meta.url));

type Rgb = [number, number, number];
const RED: Rgb = [255, 0, 0];
const BLUE: Rgb = [0, 0, 255];

/** Raw pixels → sharp input, `channels` bytes per pixel. */
function raw(width: number, height: number, channels: 1 | 2 | 3 | 4, pixel: (x: number, y: number) => number[]) {
  const data = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(pixel(x, y), (y * width + x) * channels);
  return sharp(data, { raw: { width, height, channels } });
}

function pixelAt(image: { width: number; data: Uint8Array }, x: number, y: number): number[] {
  const offset = (y * image.width + x) * 3;
  return [...image.data.subarray(offset, offset + 3)];
}

async function expectDecodeError(promise: Promise<unknown>, code: ImageDecodeErrorCode): Promise<ImageDecodeError> {
  const error = await promise.then(() => undefined, (thrown: unknown) => thrown);
  expect(ImageDecodeError.isInstance(error), String(error)).toBe(true);
  expect((error as ImageDecodeError).code).toBe(code);
  return error as ImageDecodeError;
}

/** A PNG file from its header fields and its filtered scanlines (filter byte 0 = none before each row). */
function encodePng(width: number, height: number, bitDepth: number, colourType: number, scanlines: Buffer): Buffer {
  const chunk = (type: string, body: Buffer) => {
    const typeAndBody = Buffer.concat([Buffer.from(type, 'latin1'), body]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typeAndBody));
    return Buffer.concat([length, typeAndBody, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([bitDepth, colourType, 0, 0, 0], 8);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(scanlines)), chunk('IEND', Buffer.alloc(0))]);
}

/**
 * A PNG announcing `width`×`height` (8-bit RGB) whose pixel data is a few bytes: decoding it would fail, reading
 * its header (up to the first IDAT chunk) does not.
 */
function pngHeaderOnly(width: number, height: number): Uint8Array {
  return encodePng(width, height, 8, 2, Buffer.alloc(16));
}

/** A one-row 16-bit PNG of `samples` (big-endian, as PNG stores them). */
function png16(colourType: 0 | 2, samples: number[]): Buffer {
  const row = Buffer.alloc(1 + samples.length * 2);
  samples.forEach((sample, index) => row.writeUInt16BE(sample, 1 + index * 2));
  return encodePng(samples.length / (colourType === 2 ? 3 : 1), 1, 16, colourType, row);
}

describe('decodeImage', () => {
  let temporaryDir: string;
  beforeAll(async () => {
    temporaryDir = await mkdtemp(join(tmpdir(), 'decode-image-'));
  });
  afterAll(async () => {
    await rm(temporaryDir, { recursive: true, force: true });
  });

  it('decodes encoded bytes into RGB pixels', async () => {
    const decoded = await decodeImage(await readFile(join(IMAGES_DIR, 'coffee.jpg')));
    expect([decoded.width, decoded.height]).toEqual([600, 400]);
    expect(decoded.data.length).toBe(600 * 400 * 3);
  });

  it('applies the EXIF orientation first: orientation 6 is shown rotated 90° clockwise', async () => {
    // Stored 32×16: left half red, right half blue. Displayed: 16×32, red on top, blue below.
    const stored = await raw(32, 16, 3, (x) => (x < 16 ? RED : BLUE)).withMetadata({ orientation: 6 }).jpeg({ quality: 100 }).toBuffer();
    expect((await sharp(stored).metadata()).orientation).toBe(6);
    const image = await decodeImage(stored);
    expect([image.width, image.height]).toEqual([16, 32]);
    const near = (actual: number[], expected: Rgb) => actual.every((value, channel) => Math.abs(value - expected[channel]) <= 8);
    expect(near(pixelAt(image, 8, 4), RED), String(pixelAt(image, 8, 4))).toBe(true);
    expect(near(pixelAt(image, 8, 28), BLUE), String(pixelAt(image, 8, 28))).toBe(true);
  });

  it('drops alpha without compositing: fully transparent pixels keep their colour', async () => {
    const rgba = [[10, 20, 30, 0], [200, 100, 50, 128], [1, 2, 3, 255], [250, 251, 252, 7]];
    const png = await raw(2, 2, 4, (x, y) => rgba[y * 2 + x]).png().toBuffer();
    expect((await sharp(png).metadata()).channels).toBe(4);
    const image = await decodeImage(png);
    expect([...image.data]).toEqual(rgba.flatMap((pixel) => pixel.slice(0, 3)));
  });

  it('expands greyscale to three equal channels', async () => {
    const levels = [0, 1, 127, 128, 254, 255];
    const png = await raw(3, 2, 1, (x, y) => [levels[y * 3 + x]]).toColourspace('b-w').png().toBuffer();
    expect((await sharp(png).metadata()).channels).toBe(1);
    const image = await decodeImage(png);
    expect([...image.data]).toEqual(levels.flatMap((level) => [level, level, level]));
  });

  it('resolves a palette GIF to its colours', async () => {
    const palette: Rgb[] = [[255, 0, 0], [0, 128, 0], [0, 0, 255], [255, 255, 0]];
    const gif = await raw(4, 2, 3, (x) => palette[x]).gif({ colours: 4, dither: 0 }).toBuffer();
    expect((await sharp(gif).metadata()).format).toBe('gif');
    const image = await decodeImage(gif);
    expect([image.width, image.height]).toEqual([4, 2]);
    expect([0, 1, 2, 3].map((x) => pixelAt(image, x, 1))).toEqual(palette);
  });

  it('takes the first frame of an animated GIF', async () => {
    const frame = (rgb: Rgb) => Array.from({ length: 4 * 2 }, () => rgb).flat();
    const frames = Buffer.from([...frame(RED), ...frame(BLUE)]);
    const gif = await sharp(frames, { raw: { width: 4, height: 4, channels: 3, pageHeight: 2 } }).gif({ loop: 0 }).toBuffer();
    expect((await sharp(gif).metadata()).pages).toBe(2);
    const image = await decodeImage(gif);
    expect([image.width, image.height]).toEqual([4, 2]);
    expect([...image.data]).toEqual(frame(RED));
  });

  it.each([
    ['WebP', (image: Sharp) => image.webp({ lossless: true })],
    ['TIFF', (image: Sharp) => image.tiff({ compression: 'lzw' })],
    ['PNG', (image: Sharp) => image.png()],
  ])('decodes lossless %s exactly', async (_, encode) => {
    const pixel = (x: number, y: number) => [x * 40, y * 90, (x * y * 17) % 256];
    const encoded = await encode(raw(5, 3, 3, pixel)).toBuffer();
    const image = await decodeImage(encoded);
    expect([...image.data]).toEqual([0, 1, 2].flatMap((y) => [0, 1, 2, 3, 4].flatMap((x) => pixel(x, y))));
  });

  it('decodes AVIF', async () => {
    const avif = await raw(16, 8, 3, (x) => (x < 8 ? RED : BLUE)).avif({ quality: 90, chromaSubsampling: '4:4:4' }).toBuffer();
    const image = await decodeImage(avif);
    expect([image.width, image.height]).toEqual([16, 8]);
    const near = (actual: number[], expected: Rgb) => actual.every((value, channel) => Math.abs(value - expected[channel]) <= 12);
    expect(near(pixelAt(image, 2, 4), RED), String(pixelAt(image, 2, 4))).toBe(true);
    expect(near(pixelAt(image, 13, 4), BLUE), String(pixelAt(image, 13, 4))).toBe(true);
  });

  it('keeps the high byte of 16-bit samples, as Pillow does for 16-bit RGB', async () => {
    const samples = [0x0000, 0x00ff, 0x0100, 0x7fff, 0x8000, 0xffff];
    const highBytes = samples.map((sample) => sample >> 8);
    const rgb = await decodeImage(png16(2, samples));
    expect([rgb.width, rgb.height]).toEqual([2, 1]);
    expect([...rgb.data]).toEqual(highBytes);
    // Pillow clips 16-bit greyscale to 255 instead (most photos turn white); we keep the high byte here too.
    const grey = await decodeImage(png16(0, samples));
    expect([...grey.data]).toEqual(highBytes.flatMap((value) => [value, value, value]));
  });

  it('refuses an image over maxPixels from its header alone, before decoding', async () => {
    // The file has no pixel data: only a header read can produce `image_too_large` rather than `invalid_image`.
    const bomb = pngHeaderOnly(60_000, 60_000);
    const error = await expectDecodeError(decodeImage(bomb), 'image_too_large');
    expect(error.message).toContain('3600000000');
    await expectDecodeError(decodeImage(pngHeaderOnly(100, 100)), 'invalid_image');
    await expectDecodeError(decodeImage(await readFile(join(IMAGES_DIR, 'coffee.jpg')), { maxPixels: 600 * 400 - 1 }), 'image_too_large');
    await expect(decodeImage(await readFile(join(IMAGES_DIR, 'coffee.jpg')), { maxPixels: 600 * 400 })).resolves.toMatchObject({ width: 600 });
  });

  it.each([
    ['HTML', '<!doctype html><html><body>hello</body></html>'],
    ['SVG', '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'],
    ['SVG with an XML declaration', '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'],
    ['JSON', '{"image": "cat.jpg"}'],
    ['empty data', ''],
    ['BMP', 'BM\u0036\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0036\u0000\u0000\u0000'],
  ])('refuses %s as unsupported_media_type', async (_, text) => {
    const error = await expectDecodeError(decodeImage(Buffer.from(text, 'latin1')), 'unsupported_media_type');
    expect(error.message).toMatch(/JPEG, PNG, WebP, GIF, TIFF or AVIF/);
  });

  it('recognises content, not file names: an HTML file named .jpg is refused', async () => {
    const path = join(temporaryDir, 'photo.jpg');
    await writeFile(path, '<html>not a photo</html>');
    await expectDecodeError(decodeImage(await readFile(path)), 'unsupported_media_type');
  });

  it.each(['astronaut.jpg', 'camera.png'])('refuses truncated %s as invalid_image', async (file) => {
    const bytes = await readFile(join(IMAGES_DIR, file));
    const truncated = bytes.subarray(0, Math.floor(bytes.length * 0.6));
    await expectDecodeError(decodeImage(truncated), 'invalid_image');
  });

  it('passes decoded pixels through after checking them', async () => {
    const image = { width: 2, height: 1, data: new Uint8Array([1, 2, 3, 4, 5, 6]) };
    await expect(decodeImage(image)).resolves.toBe(image);
    await expect(decodeImage({ width: 2, height: 1, data: new Uint8Array(5) })).rejects.toBeInstanceOf(InvalidInputError);
    await expectDecodeError(decodeImage(image, { maxPixels: 1 }), 'image_too_large');
  });

  it('stops when the signal is already aborted', async () => {
    await expect(decodeImage(await readFile(join(IMAGES_DIR, 'coffee.jpg')), { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('stops waiting for a slow decode as soon as the signal aborts', async () => {
    // 24 megapixels of noise: PNG cannot compress it, so decoding takes hundreds of milliseconds.
    const noise = Buffer.alloc(6000 * 4000 * 3);
    for (let index = 0; index < noise.length; index += 4) noise.writeUInt32LE((Math.random() * 2 ** 32) >>> 0, index);
    const png = new Uint8Array(await sharp(noise, { raw: { width: 6000, height: 4000, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer());
    const fullStarted = performance.now();
    await decodeImage(png);
    const fullMs = performance.now() - fullStarted;
    const controller = new AbortController();
    const reason = new Error('the client went away');
    const started = performance.now();
    setTimeout(() => controller.abort(reason), 20);
    await expect(decodeImage(png, { signal: controller.signal })).rejects.toBe(reason);
    expect(performance.now() - started).toBeLessThan(Math.max(100, fullMs / 2));
  });
});
