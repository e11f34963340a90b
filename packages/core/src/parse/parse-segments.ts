/** Parses `segment` answers: four `<loc>` tokens, sixteen `<seg>` codes, then the label. */
import type { Box, ImageSize } from '@paligemma/sdk';
import { locationsToBox } from './loc-box.js';

/** Codes per object: a 4×4 grid of VQ-VAE codebook indices. */
export const SEGMENT_CODES_PER_OBJECT = 16;

/** A segmented object as the model states it, before its codes are decoded into a mask. */
export interface ParsedSegment {
  label: string;
  box: Box;
  /** 16 VQ-VAE codes (0..127), row-major over a 4×4 grid. */
  codes: number[];
}

const SEGMENT_PATTERN = new RegExp(
  `<loc(\\d{4})><loc(\\d{4})><loc(\\d{4})><loc(\\d{4})>((?:<seg\\d{3}>){${SEGMENT_CODES_PER_OBJECT}})([^;<]*)`,
  'g',
);
const CODE_PATTERN = /<seg(\d{3})>/g;
const CODEBOOK_SIZE = 128;

/**
 * Model text → objects with pixel boxes and their 16 codes. Never throws: an object without four location tokens,
 * with fewer than 16 codes, with a code outside the codebook, or without a label is skipped.
 * @example
 * parseSegments('<loc0000><loc0000><loc1023><loc1023>' + '<seg001>'.repeat(16) + ' cat', { width: 64, height: 64 })
 * // [{ label: 'cat', box: {…}, codes: [1, 1, …] }]
 */
export function parseSegments(text: string, image: ImageSize): ParsedSegment[] {
  const segments: ParsedSegment[] = [];
  for (const match of text.matchAll(SEGMENT_PATTERN)) {
    const label = match[6].trim();
    if (label.length === 0) continue;
    const codes = [...match[5].matchAll(CODE_PATTERN)].map((code) => Number(code[1]));
    if (codes.some((code) => code >= CODEBOOK_SIZE)) continue;
    const locations = [match[1], match[2], match[3], match[4]].map(Number) as [number, number, number, number];
    segments.push({ label, box: locationsToBox(locations, image), codes });
  }
  return segments;
}
