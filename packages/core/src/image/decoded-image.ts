/** The in-memory image every step after decoding works on. */

/**
 * An 8-bit RGB image, rows top to bottom, pixels interleaved (`r, g, b, r, g, b, …`), 3 bytes per pixel.
 * @example const image: DecodedImage = { width: 1, height: 1, data: new Uint8Array([255, 0, 0]) }
 */
export interface DecodedImage {
  width: number;
  height: number;
  data: Uint8Array;
}
