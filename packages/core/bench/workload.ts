/** The requests every benchmark scenario sends: fixture images with a mix of task prompts. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

export const IMAGES_DIR = fileURLToPath(new URL('../../../fixtures/images/', import.meta.url));
export const TINY_MODEL_DIR = fileURLToPath(new URL('../../../fixtures/tiny-paligemma/', import.meta.url));

const PROMPTS = [
  'caption en', 'answer en what is in the image?', 'detect cat ; dog', 'describe en', 'ocr', 'segment person',
  'caption es', 'answer en how many people are there?', 'detect car', 'segment cat',
];

export interface BenchRequest {
  image: string;
  prompt: string;
}

/**
 * `count` requests cycling over images and prompts, so neighbours differ in both, and no (image, prompt) pair
 * repeats within the first images × prompts (50) requests: throughput is measured without prefix-cache hits.
 */
export function makeWorkload(count: number): BenchRequest[] {
  const images = readdirSync(IMAGES_DIR).filter((file) => /\.(jpe?g|png)$/i.test(file)).sort();
  return Array.from({ length: count }, (_, index) => {
    const round = Math.floor(index / images.length);
    return {
      image: join(IMAGES_DIR, images[index % images.length]),
      // Round by round an image's prompt moves on by images + 2 = 7, coprime with the 10 prompts, so it meets each
      // prompt once before any pair repeats.
      prompt: PROMPTS[(index + round * 2) % PROMPTS.length],
    };
  });
}

/** A random-noise PNG nobody has asked about yet, so the vision encoder must run. */
export async function noiseImage(seed: number): Promise<Uint8Array> {
  const pixels = new Uint8Array(256 * 256 * 3);
  let state = seed * 2654435761;
  for (let index = 0; index < pixels.length; index++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    pixels[index] = state >>> 24;
  }
  return new Uint8Array(await sharp(pixels, { raw: { width: 256, height: 256, channels: 3 } }).png().toBuffer());
}
