/** Encoded image bytes → upright 8-bit RGB pixels, as Pillow's `Image.open(…).convert('RGB')` gives them. */
import { type ImageFormat, UNSUPPORTED_IMAGE_MESSAGE, sniffImageFormat } from '@paligemma/sdk/internal';
import sharp from 'sharp';
import { InvalidInputError } from '../errors/index.js';
import { DEFAULT_MAX_IMAGE_PIXELS } from '../settings/defaults.js';
import type { DecodedImage } from './decoded-image.js';
import { ImageDecodeError } from './image-decode-error.js';

export interface DecodeImageOptions {
  /** Images whose header announces more pixels are refused before decoding. @default DEFAULT_MAX_IMAGE_PIXELS */
  maxPixels?: number;
  /**
   * Stops waiting for the decoder: the promise rejects with the signal's reason at once. libvips cannot be
   * interrupted, so a decode already running finishes in its thread pool and its pixels are dropped.
   */
  signal?: AbortSignal;
}

/** sharp's names for the formats our byte sniffing accepts (AVIF is a HEIF container with AV1 inside). */
const SHARP_FORMATS: Record<ImageFormat, string> = { jpeg: 'jpeg', png: 'png', gif: 'gif', webp: 'webp', tiff: 'tiff', avif: 'heif' };

/**
 * Decodes JPEG, PNG, WebP, GIF (first frame), TIFF (first page) or AVIF into RGB bytes the way Pillow does, so
 * the model sees what the PyTorch reference sees:
 * - the EXIF orientation is applied first, so pixels (and boxes found on them) are upright as a person sees them;
 * - alpha is dropped, not composited over a background (Pillow's `convert('RGB')` drops it too);
 * - greyscale becomes three equal channels and palettes are resolved;
 * - 16-bit samples keep their high byte (Pillow's reading of 16-bit RGB PNGs; for 16-bit greyscale Pillow
 *   instead clips to 255, turning most photos white, and we deliberately do not copy that);
 * - embedded ICC profiles are ignored, as Pillow ignores them; CMYK JPEGs go through libvips' CMYK → sRGB
 *   conversion, which differs from Pillow's arithmetic one.
 * On these rules sharp's decoders (libjpeg-turbo, libpng, …) give Pillow's bytes exactly.
 *
 * The format is recognised from the bytes, never from a name, and SVG is refused. Errors are
 * {@link ImageDecodeError}s: `unsupported_media_type`, `invalid_image` (corrupt or truncated) or `image_too_large`
 * (more than `maxPixels`, read from the header before any pixel is decoded).
 * @example
 * const image = await decodeImage(await readFile('cat.jpg'), { maxPixels: 25_000_000 })
 * image.data.length === image.width * image.height * 3 // true
 */
export async function decodeImage(input: Uint8Array | DecodedImage, options: DecodeImageOptions = {}): Promise<DecodedImage> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_IMAGE_PIXELS;
  if (!(Number.isInteger(maxPixels) && maxPixels > 0)) throw new RangeError(`maxPixels must be a positive integer, got ${maxPixels}`);
  const { signal } = options;
  signal?.throwIfAborted();
  if (!(input instanceof Uint8Array)) return checkDecodedImage(input, maxPixels);
  const bytes = input;
  const format = sniffImageFormat(bytes);
  if (!format) {
    throw new ImageDecodeError('unsupported_media_type', UNSUPPORTED_IMAGE_MESSAGE);
  }
  // Header only; our own limit below replaces sharp's, which would report a bomb as a generic failure.
  const header = await untilAborted(sharp(bytes, { limitInputPixels: false }).metadata(), signal).catch((error: unknown) => {
    if (signal?.aborted) throw signal.reason;
    throw new ImageDecodeError('invalid_image', `the ${format.toUpperCase()} header cannot be read`, { cause: error });
  });
  if (header.format !== SHARP_FORMATS[format] || (format === 'avif' && header.compression !== 'av1')) {
    throw new ImageDecodeError('unsupported_media_type', `the data starts like ${format.toUpperCase()} but holds ${header.format}${header.compression ? ` (${header.compression})` : ''}, which we do not decode`);
  }
  const pixels = header.width * (header.pageHeight ?? header.height);
  if (pixels > maxPixels) {
    throw new ImageDecodeError('image_too_large', `the image has ${header.width}×${header.pageHeight ?? header.height} = ${pixels} pixels; the limit is ${maxPixels}`);
  }
  signal?.throwIfAborted();
  const decoding = sharp(bytes, { failOn: 'error', limitInputPixels: maxPixels, ignoreIcc: true })
    .autoOrient()
    .removeAlpha()
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  const { data, info } = await untilAborted(decoding, signal).catch((error: unknown) => {
    if (signal?.aborted) throw signal.reason;
    throw new ImageDecodeError('invalid_image', `the ${format.toUpperCase()} data is corrupt or truncated`, { cause: error });
  });
  if (info.channels !== 3) throw new ImageDecodeError('invalid_image', `decoding gave ${info.channels} channels instead of 3`);
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

/** Pixels given directly are checked as strictly as decoded ones, so nothing downstream sees a short buffer. */
function checkDecodedImage(image: DecodedImage, maxPixels: number): DecodedImage {
  const { width, height, data } = image;
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0) || !(data instanceof Uint8Array)) {
    throw new InvalidInputError('a decoded image needs positive integer width and height and Uint8Array data');
  }
  if (width * height > maxPixels) throw new ImageDecodeError('image_too_large', `the image has ${width}×${height} = ${width * height} pixels; the limit is ${maxPixels}`);
  if (data.length !== width * height * 3) throw new InvalidInputError(`a ${width}×${height} RGB image needs ${width * height * 3} bytes, got ${data.length}`);
  return image;
}

/** `work`, or the signal's reason as soon as it aborts (a rejection of the abandoned work is swallowed). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  work.catch(() => undefined);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
