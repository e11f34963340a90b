/** The requests every benchmark scenario sends: fixture images with a mix of task prompts. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
