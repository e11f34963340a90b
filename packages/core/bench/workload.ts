/** The requests every benchmark scenario sends: fixture images with a mix of task prompts. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const IMAGES_DIR = fileURLToPath(new URL('../../../fixtures/images/', import.meta.url));
export const TINY_MODEL_DIR = fileURLToPath(new URL('../../../fixtures/tiny-paligemma/', import.meta.url));

const PROMPTS = ['caption en', 'answer en what is in the image?', 'detect cat ; dog', 'describe en', 'ocr', 'segment person'];

export interface BenchRequest {
  image: string;
  prompt: string;
}

/** `count` requests cycling over images and prompts, so neighbours differ in both. */
export function makeWorkload(count: number): BenchRequest[] {
  const images = readdirSync(IMAGES_DIR).filter((file) => /\.(jpe?g|png)$/i.test(file)).sort();
  return Array.from({ length: count }, (_, index) => ({
    image: join(IMAGES_DIR, images[index % images.length]),
    prompt: PROMPTS[(index * 7) % PROMPTS.length],
  }));
}
