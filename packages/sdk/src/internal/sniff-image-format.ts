/** Recognises the image formats we decode by their first bytes, whatever a file name or Content-Type claims. */

/** Formats we accept. SVG is deliberately absent: a server never rasterises SVG (scripts, external references). */
export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'webp' | 'tiff' | 'avif';

/** A format and a test of the bytes it starts with. */
const SIGNATURES: ReadonlyArray<readonly [ImageFormat, (bytes: Uint8Array) => boolean]> = [
  ['jpeg', (bytes) => startsWith(bytes, [0xff, 0xd8, 0xff])],
  ['png', (bytes) => startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
  ['gif', (bytes) => ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a'],
  ['webp', (bytes) => ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP'],
  // Little- and big-endian TIFF, classic (42) and BigTIFF (43).
  ['tiff', (bytes) => ['II*\0', 'II+\0', 'MM\0*', 'MM\0+'].includes(ascii(bytes, 0, 4))],
  ['avif', isAvif],
];

/** What a refusal says, the same from core's decoder, the Node server and the edge gateway (HTTP 415). */
export const UNSUPPORTED_IMAGE_MESSAGE = 'the data is not an image format we decode (JPEG, PNG, WebP, GIF, TIFF or AVIF; SVG is not accepted)';

/**
 * The format of encoded image bytes, or `undefined` when they are none we decode (HTML, SVG, HEIC, BMP, …).
 * @example sniffImageFormat(new Uint8Array([0xff, 0xd8, 0xff, 0xe0])) // 'jpeg'
 */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  return SIGNATURES.find(([, matches]) => matches(bytes))?.[0];
}

/** Longest `ftyp` box we read: a major brand, a version and a few dozen compatible brands. */
const MAX_FTYP_BOX_BYTES = 256;

/**
 * An ISO-BMFF `ftyp` box whose major or compatible brands name AVIF (`avif` still, `avis` sequence). HEIC files
 * share the container but carry HEVC, which our decoder lacks, so they are not AVIF.
 */
function isAvif(bytes: Uint8Array): boolean {
  if (bytes.length < 16 || ascii(bytes, 4, 8) !== 'ftyp') return false;
  const boxSize = Math.min(((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0, bytes.length, MAX_FTYP_BOX_BYTES);
  const brands = [ascii(bytes, 8, 12)];
  for (let offset = 16; offset + 4 <= boxSize; offset += 4) brands.push(ascii(bytes, offset, offset + 4));
  return brands.includes('avif') || brands.includes('avis');
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, index) => bytes[index] === byte);
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return end <= bytes.length ? String.fromCharCode(...bytes.subarray(start, end)) : '';
}
