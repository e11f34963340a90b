/** The one grammar both parsers read: four `<locNNNN>` tokens, optional `<segNNN>` tokens, then a label up to `;`. */
import type { Box, ImageSize } from '@paligemma/sdk';
import { locationsToBox } from './loc-box.js';

/*
 * Why whitespace is allowed between tokens: the training format is tight (`<loc…>×4<seg…>×16`), but real detokenised
 * output is not. Google's own parser (`_SEGMENT_DETECT_RE` in the big-vision/paligemma HF Space, paligemma_parse.py)
 * reads `\s*` after the locations and around the codes, and its example answer has a space between the fourth `<loc>`
 * and the first `<seg>`; answers may also start with a newline. So `\s*` may stand between any two tokens, before the
 * label and around `;` (the label stops at `;` or `<` and is trimmed).
 *
 * Why a run of location tokens must be exactly four long (the look-behind and look-ahead below): with a fifth `<loc>`
 * nothing tells which four are the box, and a plausible wrong box is worse than a dropped one (`raw` keeps the text).
 */
const GAP = String.raw`\s*`;
const LOC = String.raw`<loc\d{4}>`;
const LOC_VALUE = String.raw`<loc(\d{4})>`;
const SEG = String.raw`<seg\d{3}>`;
const SEG_VALUE = String.raw`<seg(\d{3})>`;

/** Captures each `<segNNN>` code; run it over the `codes` group of an {@link objectPattern} match. */
export const SEG_CODE_PATTERN = new RegExp(SEG_VALUE, 'g');

/**
 * A global regex for one object. Groups 1..4: `y1, x1, y2, x2`; `codes`: exactly `segCodes` seg tokens (when a number);
 * `label`: the untrimmed label. With `'skip'`, any number of seg tokens is skipped and `codes` is undefined.
 * @example
 * [...'<loc0000> <loc0000><loc1023><loc1023> <seg001> cat'.matchAll(objectPattern('skip'))][0].groups.label // 'cat' (whitespace after a token is part of the gap)
 */
export function objectPattern(segCodes: number | 'skip'): RegExp {
  const seg = `${SEG}${GAP}`;
  const codes = segCodes === 'skip' ? `(?:${seg})*` : `(?<codes>(?:${seg}){${segCodes}})`;
  // `(?=<loc)` first, so the look-behind (which scans back over whitespace) runs only where a token starts.
  const locations = `(?=<loc)(?<!${LOC}${GAP})${Array(4).fill(LOC_VALUE).join(GAP)}(?!${GAP}${LOC})`;
  return new RegExp(`${locations}${GAP}${codes}(?<label>[^;<]*)`, 'g');
}

/**
 * A match of {@link objectPattern} → trimmed label and pixel box, or `undefined` when the label is empty (typically an
 * answer cut off after the tokens), which the parsers drop.
 * @example readObject(match, { width: 640, height: 480 }) // { label: 'cat', box: { xMin: 0, … } }
 */
export function readObject(match: RegExpMatchArray, image: ImageSize): { label: string; box: Box } | undefined {
  const label = match.groups?.label.trim() ?? '';
  if (label.length === 0) return undefined;
  const locations = [match[1], match[2], match[3], match[4]].map(Number) as [number, number, number, number];
  return { label, box: locationsToBox(locations, image) };
}
