/** Compares our preprocessing with reference pixel values (`<name>.pixel_values.f32`) computed by PyTorch / PIL. */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeImage } from '../image/decode-image.js';
import type { ImageProcessorConfig } from '../image/image-processor-config.js';
import { preprocessImage } from '../image/preprocess-image.js';

export interface ComparePixelsOptions {
  /** Folder of the images (`<name>.jpg`, `.png`, …). */
  imagesDir: string;
  /** Folder of `<name>.pixel_values.f32`: float32 little-endian `[1, 3, height, width]`. */
  referenceDir: string;
  config: ImageProcessorConfig;
}

/** Absolute differences between our pixel values and a reference, on the normalised ([−1, 1]) scale. */
export interface PixelDifference {
  name: string;
  mean: number;
  max: number;
}

const REFERENCE_SUFFIX = '.pixel_values.f32';

/**
 * For every reference file, preprocesses the image of the same name and measures mean and max |Δ|, sorted by
 * name. Throws when a reference has no image or the wrong size for `config`.
 * @example
 * const rows = await comparePixels({ imagesDir: 'fixtures/images', referenceDir: 'fixtures/reference', config })
 * rows[0] // { name: 'astronaut', mean: 0, max: 0 }
 */
export async function comparePixels(options: ComparePixelsOptions): Promise<PixelDifference[]> {
  const [referenceFiles, imageFiles] = await Promise.all([listFolder(options.referenceDir), listFolder(options.imagesDir)]);
  const names = referenceFiles.filter((file) => file.endsWith(REFERENCE_SUFFIX)).map((file) => file.slice(0, -REFERENCE_SUFFIX.length)).sort();
  const rows: PixelDifference[] = [];
  for (const name of names) {
    const imageFile = imageFiles.find((file) => file.replace(/\.[^.]+$/, '') === name);
    if (!imageFile) throw new Error(`no image named ${name}.* in ${options.imagesDir}`);
    const ours = preprocessImage(await decodeImage(await readFile(join(options.imagesDir, imageFile))), options.config);
    const reference = await readReference(join(options.referenceDir, name + REFERENCE_SUFFIX), ours.length);
    rows.push({ name, ...absoluteDifference(ours, reference) });
  }
  return rows;
}

function absoluteDifference(ours: Float32Array, reference: Float32Array): { mean: number; max: number } {
  let total = 0;
  let max = 0;
  for (let index = 0; index < ours.length; index++) {
    const difference = Math.abs(ours[index] - reference[index]);
    total += difference;
    if (difference > max) max = difference;
  }
  return { mean: total / ours.length, max };
}

async function readReference(path: string, length: number): Promise<Float32Array> {
  const bytes = await readFile(path);
  if (bytes.byteLength !== length * Float32Array.BYTES_PER_ELEMENT) {
    throw new Error(`${path} has ${bytes.byteLength} bytes; expected ${length * Float32Array.BYTES_PER_ELEMENT} (${length} float32 values)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Float32Array.from({ length }, (_, index) => view.getFloat32(index * Float32Array.BYTES_PER_ELEMENT, true));
}

async function listFolder(path: string): Promise<string[]> {
  return readdir(path).catch((error: unknown) => {
    throw new Error(`folder ${path} cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  });
}
