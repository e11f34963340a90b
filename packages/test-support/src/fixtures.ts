/** Paths of the repo's test fixtures (tiny model, PyTorch references, images) and a typed reference reader. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../fixtures/', import.meta.url));

export const TINY_MODEL_DIR = `${root}tiny-paligemma`;
export const REFERENCE_DIR = `${root}reference`;
export const IMAGES_DIR = `${root}images`;

export interface ReferenceCase {
  image: string;
  prompt: string;
  input_ids: number[];
  greedy_new_ids: number[];
  greedy_text: string;
  /** The text with special tokens (this tokenizer counts byte tokens among them) dropped, as we decode. */
  greedy_text_skip_special: string;
  last_logits_top5: Array<[number, number]>;
}

export function readReference(): { max_new_tokens: number; cases: ReferenceCase[] } {
  return JSON.parse(readFileSync(`${REFERENCE_DIR}/reference.json`, 'utf8'));
}

/** `<name>.pixel_values.f32`: float32 little-endian `[1,3,224,224]`. */
export function readReferencePixels(name: string): Float32Array {
  const bytes = readFileSync(`${REFERENCE_DIR}/${name}.pixel_values.f32`);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/**
 * Bytes of a fixture image from fixtures/images.
 * @example const coffee = fixtureImage('coffee.jpg')
 */
export function fixtureImage(name: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(readFileSync(`${IMAGES_DIR}/${name}`));
}
