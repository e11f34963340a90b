/**
 * Recognises image formats by their magic bytes; the declared Content-Type or file name is never trusted.
 * The accepted formats are core's (what its decoder reads), so intake and decoding cannot disagree.
 */
export { type ImageFormat as ImageType, sniffImageFormat as sniffImageType } from '@paligemma/core/image-format';
