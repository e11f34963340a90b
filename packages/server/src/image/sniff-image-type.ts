/** Recognises image formats by their magic bytes; the declared Content-Type or file name is never trusted. */

export type ImageType = 'jpeg' | 'png' | 'gif' | 'webp' | 'tiff' | 'avif' | 'heif';

const ascii = (bytes: Uint8Array, start: number, end: number) => String.fromCharCode(...bytes.subarray(start, end));

/** ISO-BMFF brands (the `ftyp` box) of the AVIF and HEIF image families sharp/libheif decode. */
const BRANDS: Record<string, ImageType> = {
  avif: 'avif', avis: 'avif',
  heic: 'heif', heix: 'heif', heim: 'heif', heis: 'heif', hevc: 'heif', hevx: 'heif', mif1: 'heif', msf1: 'heif',
};

/** Signature tests in the order they are tried. */
const SIGNATURES: Array<[ImageType | ((bytes: Uint8Array) => ImageType | undefined), (bytes: Uint8Array) => boolean]> = [
  ['jpeg', (bytes) => bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff],
  ['png', (bytes) => ascii(bytes, 0, 8) === '\x89PNG\r\n\x1a\n'],
  ['gif', (bytes) => ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a'],
  ['webp', (bytes) => ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP'],
  ['tiff', (bytes) => ascii(bytes, 0, 4) === 'II*\x00' || ascii(bytes, 0, 4) === 'MM\x00*'],
  [(bytes) => BRANDS[ascii(bytes, 8, 12)], (bytes) => ascii(bytes, 4, 8) === 'ftyp'],
];

/**
 * The image format of `bytes`, or `undefined` when it is none we decode.
 * @example sniffImageType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0])) // 'jpeg'
 */
export function sniffImageType(bytes: Uint8Array): ImageType | undefined {
  if (bytes.length < 12) return bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff ? 'jpeg' : undefined;
  for (const [type, matches] of SIGNATURES) {
    if (!matches(bytes)) continue;
    const found = typeof type === 'function' ? type(bytes) : type;
    if (found) return found;
  }
  return undefined;
}
