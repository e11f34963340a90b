/** Crafted image bytes for the hostile-input corpus: pixel floods, decompression bombs, truncations and polyglots. */
import { crc32, deflateSync } from 'node:zlib';

const PNG_SIGNATURE = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** One PNG chunk: length, type, data, CRC over type and data (libpng checks it, so forged headers need it). */
function pngChunk(type: string, data: Uint8Array): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(typeAndData) >>> 0);
  return Buffer.concat([length, typeAndData, checksum]);
}

function ihdr(width: number, height: number, colorType: number): Buffer {
  const data = Buffer.alloc(13);
  data.writeUInt32BE(width, 0);
  data.writeUInt32BE(height, 4);
  data.writeUInt8(8, 8); // bit depth
  data.writeUInt8(colorType, 9); // 0 grey, 2 RGB
  return pngChunk('IHDR', data);
}

/**
 * A PNG whose header declares `width × height` RGB pixels but whose data is a few bytes: a pixel flood that is tiny
 * on the wire. Decoding it would allocate width × height × 3 bytes.
 * @example pixelFloodPng(100_000, 100_000) // ~60 bytes declaring 10 gigapixels
 */
export function pixelFloodPng(width: number, height: number): Uint8Array {
  return Buffer.concat([PNG_SIGNATURE, ihdr(width, height, 2), pngChunk('IDAT', deflateSync(Buffer.alloc(16))), pngChunk('IEND', new Uint8Array(0))]);
}

/**
 * A real, complete greyscale PNG of `side × side` black pixels: zlib squeezes the side² bytes ~1000:1, so a 64 MP
 * image is ~60 KB on the wire (a decompression bomb within every byte limit).
 */
export function decompressionBombPng(side: number): Uint8Array {
  const raw = Buffer.alloc((side + 1) * side); // each row: filter byte 0, then `side` zero pixels
  return Buffer.concat([PNG_SIGNATURE, ihdr(side, side, 0), pngChunk('IDAT', deflateSync(raw, { level: 9 })), pngChunk('IEND', new Uint8Array(0))]);
}

/** A PNG with its IHDR size replaced (and its CRC fixed), keeping the real pixel data. */
export function withPngSize(png: Uint8Array, width: number, height: number): Uint8Array {
  const bytes = Buffer.from(png);
  const header = Buffer.from(bytes.subarray(16, 29));
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  return Buffer.concat([bytes.subarray(0, 8), pngChunk('IHDR', header), bytes.subarray(33)]);
}

/**
 * A JPEG whose start-of-frame declares `width × height` (the real scan data is left as it is).
 * @example withJpegSize(photo, 65_000, 65_000) // 4.2 gigapixels declared
 */
export function withJpegSize(jpeg: Uint8Array, width: number, height: number): Uint8Array {
  const bytes = Buffer.from(jpeg);
  for (let offset = 2; offset + 9 < bytes.length; ) {
    if (bytes[offset] !== 0xff) throw new Error(`not a JPEG marker at ${offset}`);
    const marker = bytes[offset + 1];
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      bytes.writeUInt16BE(height, offset + 5);
      bytes.writeUInt16BE(width, offset + 7);
      return bytes;
    }
    offset += 2 + bytes.readUInt16BE(offset + 2);
  }
  throw new Error('no start-of-frame marker');
}

/**
 * A 1×1 GIF whose image descriptor declares `width × height` (libvips sizes a GIF by its frames, not its screen).
 * Built by hand: header, 2-colour table, descriptor, a minimal LZW stream, trailer.
 */
export function pixelFloodGif(width: number, height: number): Uint8Array {
  const bytes = Buffer.from([
    ...Buffer.from('GIF89a', 'latin1'), 1, 0, 1, 0, 0x80, 0, 0, // screen 1×1, global colour table of 2
    0, 0, 0, 255, 255, 255,
    0x2c, 0, 0, 0, 0, 0, 0, 0, 0, 0, // image descriptor (size patched below)
    2, 2, 0x44, 0x01, 0, // LZW: minimum code size 2; clear, pixel 0, end-of-information; end of data
    0x3b,
  ]);
  bytes.writeUInt16LE(width, 23);
  bytes.writeUInt16LE(height, 25);
  return bytes;
}

/**
 * A valid 1×1 GIF that is also a JavaScript program (the classic GIF/JS polyglot: `GIF89a=…` parses as an
 * assignment, the rest sits in a comment). Served back with a script type it would run; decoded as an image it is
 * just an image.
 */
export function gifJavascriptPolyglot(): Uint8Array {
  const gif = Buffer.from(pixelFloodGif(1, 1));
  // Logical screen 0x2F2A × 0x0A2A: the bytes "*/" and "*\n" once the header reads `GIF89a/*…`.
  gif.writeUInt16LE(0x2a2f, 6);
  gif.writeUInt16LE(0x2a2f, 8);
  return Buffer.concat([gif, Buffer.from('*/=1;alert(document.domain);//', 'latin1')]);
}

/** Bytes followed by more bytes (e.g. an image with HTML or a ZIP appended after its end marker). */
export function concatBytes(...parts: Array<Uint8Array | string>): Uint8Array {
  return Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : part)));
}

/** A JPEG with a comment (COM) segment right after SOI: a place for script or PHP text inside a valid image. */
export function jpegWithComment(jpeg: Uint8Array, comment: string): Uint8Array {
  const text = Buffer.from(comment, 'latin1');
  const segment = Buffer.alloc(4);
  segment.writeUInt16BE(0xfffe, 0);
  segment.writeUInt16BE(text.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), segment, text, jpeg.subarray(2)]);
}
