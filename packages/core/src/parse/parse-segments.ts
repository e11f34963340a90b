/** Parses `segment` answers: four `<loc>` tokens, sixteen `<seg>` codes, then the label. */
import type { Box, ImageSize } from '@paligemma/sdk';
import { VAE_CODEBOOK_SIZE, VAE_CODES_PER_MASK } from '../mask/vae/vae-shape.js';
import { SEG_CODE_PATTERN, objectPattern, readObject } from './object-pattern.js';

/** Codes per object: a 4×4 grid of VQ-VAE codebook indices (the VAE's input, defined with its shape). */
export const SEGMENT_CODES_PER_OBJECT = VAE_CODES_PER_MASK;

/** A segmented object as the model states it, before its codes are decoded into a mask. */
export interface ParsedSegment {
  label: string;
  box: Box;
  /** 16 VQ-VAE codes (0..127), row-major over a 4×4 grid. */
  codes: number[];
}

const SEGMENT_PATTERN = objectPattern(SEGMENT_CODES_PER_OBJECT);

/**
 * Model text → objects with pixel boxes and their 16 codes. Whitespace between tokens and around `;` is allowed (real
 * output has a space before the first `<seg>`) and labels are trimmed. Never throws: an object without exactly four
 * location tokens, with other than 16 codes, with a code outside the codebook, or without a label is skipped.
 * @example
 * parseSegments('<loc0000><loc0000><loc1023><loc1023> ' + '<seg001>'.repeat(16) + ' cat', { width: 64, height: 64 })
 * // [{ label: 'cat', box: {…}, codes: [1, 1, …] }]
 */
export function parseSegments(text: string, image: ImageSize): ParsedSegment[] {
  const segments: ParsedSegment[] = [];
  for (const match of text.matchAll(SEGMENT_PATTERN)) {
    const object = readObject(match, image);
    if (!object) continue;
    const codes = [...(match.groups?.codes ?? '').matchAll(SEG_CODE_PATTERN)].map((code) => Number(code[1]));
    if (codes.some((code) => code >= VAE_CODEBOOK_SIZE)) continue;
    segments.push({ label: object.label, box: object.box, codes });
  }
  return segments;
}
