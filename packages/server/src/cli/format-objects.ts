/** Human output of detect and segment: one object per line, tab-separated so `cut` and `awk` can take it apart. */
import type { Box, RleMask } from '@paligemma/sdk/contract';

/**
 * `label<TAB>xMin yMin xMax yMax` per object (pixels, one decimal), plus `<TAB>N px` of mask area when there is a
 * mask; `(no objects found)` when there are none, so an empty answer is not mistaken for a hang.
 * @example formatObjects([{ label: 'cat', box: { xMin: 1, yMin: 2, xMax: 30.25, yMax: 40 } }]) // 'cat\t1 2 30.3 40\n'
 */
export function formatObjects(objects: Array<{ label: string; box: Box; mask?: RleMask }>): string {
  if (objects.length === 0) return '(no objects found)\n';
  return objects
    .map(({ label, box, mask }) => {
      const corners = [box.xMin, box.yMin, box.xMax, box.yMax].map((value) => Math.round(value * 10) / 10).join(' ');
      return mask ? `${label}\t${corners}\t${maskArea(mask)} px\n` : `${label}\t${corners}\n`;
    })
    .join('');
}

/** Pixels set in a COCO RLE mask: the odd-numbered runs are the ones. */
function maskArea(mask: RleMask): number {
  let area = 0;
  for (let run = 1; run < mask.counts.length; run += 2) area += mask.counts[run];
  return area;
}
