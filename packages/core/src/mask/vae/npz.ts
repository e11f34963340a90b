/** Reads NumPy `.npz` archives (a zip of `.npy` files) into float32 arrays. */
import { unzipSync } from 'fflate';
import { VaeFormatError } from './vae-errors.js';

/** One array: C-order `shape` and its values widened or narrowed to float32. */
export interface NpyArray {
  shape: number[];
  data: Float32Array;
}

const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
/** The header length field is 2 bytes in format 1.0 and 4 bytes in 2.0 and 3.0 (3.0 only changes the text encoding). */
const HEADER_LENGTH_BYTES: Record<number, number> = { 1: 2, 2: 4, 3: 4 };
/** Element types we can turn into float32, keyed by NumPy's `descr` (little-endian only: every real file is). */
const ELEMENT_BYTES: Record<string, number> = { '<f2': 2, '<f4': 4, '<f8': 8 };

const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export interface ReadNpzOptions {
  /** Which arrays to read (by key, without `.npy`); the others are skipped unread. @default every array */
  keys?: (key: string) => boolean;
}

/**
 * Parses the bytes of a `.npz` file. Entries may be stored or deflated; keys drop the `.npy` suffix.
 * @example const arrays = readNpz(await readFile('vae-oid.npz')); arrays.get('_vq_vae._embedding')?.shape // [128, 512]
 */
export function readNpz(bytes: Uint8Array, name = 'npz file', options: ReadNpzOptions = {}): Map<string, NpyArray> {
  let entries: Record<string, Uint8Array>;
  const wanted = options.keys;
  try {
    // Entries that are not wanted are neither inflated nor parsed (the real file also holds the encoder's weights).
    entries = unzipSync(bytes, wanted ? { filter: (file) => !file.name.endsWith('.npy') || wanted(file.name.slice(0, -'.npy'.length)) } : {});
  } catch (error) {
    throw new VaeFormatError(`${name} is not a readable .npz (zip) archive: ${(error as Error).message}`, { cause: error });
  }
  const arrays = new Map<string, NpyArray>();
  for (const [entryName, entryBytes] of Object.entries(entries)) {
    if (!entryName.endsWith('.npy')) continue;
    const key = entryName.slice(0, -'.npy'.length);
    arrays.set(key, readNpy(entryBytes, `${name}: ${entryName}`));
  }
  if (arrays.size === 0) throw new VaeFormatError(`${name} holds no .npy arrays`);
  return arrays;
}

/**
 * Parses one `.npy` file (format 1.0, 2.0 or 3.0; `<f2`, `<f4` or `<f8`; C order).
 * @example readNpy(bytes).shape // [128, 512]
 */
export function readNpy(bytes: Uint8Array, name = 'npy file'): NpyArray {
  if (bytes.length < 10 || NPY_MAGIC.some((value, index) => bytes[index] !== value)) {
    throw new VaeFormatError(`${name} is not a .npy array (bad magic bytes)`);
  }
  const major = bytes[6];
  const lengthBytes = HEADER_LENGTH_BYTES[major];
  if (lengthBytes === undefined) throw new VaeFormatError(`${name} uses .npy format version ${major}.${bytes[7]}, which is not supported`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = lengthBytes === 2 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = 8 + lengthBytes;
  const dataStart = headerStart + headerLength;
  if (dataStart > bytes.length) throw new VaeFormatError(`${name} is truncated inside its header`);
  const header = parseHeader(new TextDecoder().decode(bytes.subarray(headerStart, dataStart)), name);
  const count = header.shape.reduce((product, size) => product * size, 1);
  const elementBytes = ELEMENT_BYTES[header.descr];
  if (elementBytes === undefined) {
    throw new VaeFormatError(`${name} has element type ${header.descr}; only little-endian float16/32/64 (<f2, <f4, <f8) are supported`);
  }
  if (header.fortranOrder) throw new VaeFormatError(`${name} is stored in Fortran order; save it in C order (numpy.ascontiguousarray)`);
  if (dataStart + count * elementBytes > bytes.length) {
    throw new VaeFormatError(`${name} is truncated: shape [${header.shape}] needs ${count * elementBytes} bytes of data`);
  }
  return { shape: header.shape, data: toFloat32(bytes, dataStart, count, header.descr) };
}

interface NpyHeader {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
}

/** The header is a Python dict literal, e.g. `{'descr': '<f4', 'fortran_order': False, 'shape': (128, 512), }`. */
function parseHeader(text: string, name: string): NpyHeader {
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text)?.[1];
  const fortranOrder = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1];
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortranOrder === undefined || shape === undefined) {
    throw new VaeFormatError(`${name} has an unreadable .npy header: ${JSON.stringify(text.trim())}`);
  }
  const sizes = shape.split(',').map((part) => part.trim()).filter((part) => part.length > 0).map(Number);
  if (sizes.some((size) => !Number.isInteger(size) || size < 0)) throw new VaeFormatError(`${name} has a bad shape (${shape})`);
  return { descr, fortranOrder: fortranOrder === 'True', shape: sizes };
}

function toFloat32(bytes: Uint8Array, start: number, count: number, descr: string): Float32Array {
  const end = start + count * ELEMENT_BYTES[descr];
  // Copy into a fresh, aligned buffer: entries start at arbitrary offsets inside the unzipped archive.
  const aligned = bytes.slice(start, end).buffer;
  if (descr === '<f4' && littleEndianHost) return new Float32Array(aligned);
  const view = new DataView(aligned);
  const result = new Float32Array(count);
  for (let index = 0; index < count; index += 1) {
    if (descr === '<f4') result[index] = view.getFloat32(index * 4, true);
    else if (descr === '<f8') result[index] = view.getFloat64(index * 8, true);
    else result[index] = halfToFloat(view.getUint16(index * 2, true));
  }
  return result;
}

/** IEEE 754 binary16 → number (subnormals, infinities and NaN included). */
function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : Number.NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}
