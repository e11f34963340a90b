/** Checks image bytes before the model sees them: format by magic bytes, pixel count from the header, then a decode. */
import sharp from 'sharp';
import { ServiceError } from '../errors/service-error.js';
import { type ImageType, assertSupportedImage } from './sniff-image-type.js';

export interface InspectedImage {
  type: ImageType;
  width: number;
  height: number;
}

/** Side of the thumbnail the decode check renders: small, so JPEG shrink-on-load keeps the check cheap. */
const DECODE_CHECK_SIZE = 64;

/**
 * 415 `unsupported_media_type` for unknown formats, 413 `image_too_large` above `maxPixels` (read from the header,
 * before any pixel is decoded), 422 `invalid_image` when the bytes do not decode to the end (truncated, corrupt).
 * @example const { width, height } = await inspectImage(bytes, { maxPixels: 50_000_000 })
 */
export async function inspectImage(bytes: Uint8Array, options: { maxPixels: number }): Promise<InspectedImage> {
  const type = assertSupportedImage(bytes);
  let width: number | undefined;
  let height: number | undefined;
  try {
    const metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
    width = metadata.width;
    height = metadata.height;
  } catch (error) {
    throw new ServiceError('invalid_image', `image could not be read as ${type.toUpperCase()}: the header is damaged`, { cause: error });
  }
  if (!width || !height) throw new ServiceError('invalid_image', `image has no size in its ${type.toUpperCase()} header`);
  if (width * height > options.maxPixels) {
    throw new ServiceError(
      'image_too_large',
      `image is ${width}×${height} = ${width * height} pixels; the limit is ${options.maxPixels} pixels`,
    );
  }
  try {
    await sharp(bytes, { failOn: 'truncated', limitInputPixels: options.maxPixels })
      .resize(DECODE_CHECK_SIZE, DECODE_CHECK_SIZE, { fit: 'inside' })
      .raw()
      .toBuffer();
  } catch (error) {
    throw new ServiceError('invalid_image', `image could not be decoded as ${type.toUpperCase()} (truncated or corrupt)`, { cause: error });
  }
  return { type, width, height };
}
