/**
 * Detect and segment results made the way the model makes them: a known model answer (`<loc…>`/`<seg…>` text) run
 * through core's task registry (the real parsers, and for segment the real VQ-VAE decoder with random weights, since
 * the published `vae-oid.npz` is not available here). The random tiny model rarely names a requested label, so the
 * dataset writers are also tested on these.
 */
import { TASKS } from '@paligemma/core/tasks';
import { createVaeDecoder, vaeWeightsFromArrays } from '@paligemma/core/mask';
import type { DetectResult, SegmentResult } from '@paligemma/sdk/contract';
import { randomVaeArrays } from '@paligemma/test-support';

const usage = { promptTokens: 260, completionTokens: 24, durationMs: 1 };

/** The image the known answers are about. */
export const KNOWN_IMAGE = { width: 640, height: 480 };

/**
 * A detect answer for `detect cat ; dog`: a cat, a dog over the whole image, the cat repeated, an empty box and a
 * label that was not asked for (PaliGemma produces all of these).
 */
export const KNOWN_DETECT_TEXT =
  '<loc0256><loc0128><loc0768><loc0896> cat ; <loc0000><loc0000><loc1023><loc1023> dog ; <loc0256><loc0128><loc0768><loc0896> cat ; ' +
  '<loc0100><loc0300><loc0100><loc0400> cat ; <loc0512><loc0512><loc0600><loc0700> bird';

/** Two objects for `segment cat ; dog`, each a box and 16 VQ-VAE codes. */
export const KNOWN_SEGMENT_TEXT =
  '<loc0100><loc0200><loc0700><loc0800> <seg003><seg014><seg015><seg092><seg065><seg035><seg089><seg079><seg032><seg038><seg046><seg026><seg043><seg038><seg032><seg079> cat ; ' +
  '<loc0500><loc0050><loc1000><loc0400> <seg120><seg007><seg063><seg001><seg099><seg012><seg045><seg078><seg003><seg110><seg027><seg064><seg090><seg018><seg051><seg005> dog';

/**
 * {@link KNOWN_DETECT_TEXT} as `PaliGemma.run('detect', …)` returns it.
 * @example knownDetectResult().objects[0] // { label: 'cat', box: { xMin: 80, yMin: 120, xMax: 560, yMax: 360 } }
 */
export function knownDetectResult(): DetectResult {
  return { ...TASKS.detect.result(KNOWN_DETECT_TEXT, { image: KNOWN_IMAGE }), usage };
}

/**
 * {@link KNOWN_SEGMENT_TEXT} as `PaliGemma.run('segment', …)` returns it, masks decoded by a random-weight VAE.
 * @example knownSegmentResult().objects[0].mask.size // [480, 640]
 */
export function knownSegmentResult(): SegmentResult {
  const maskDecoder = createVaeDecoder(vaeWeightsFromArrays(randomVaeArrays({ seed: 11 })));
  return { ...TASKS.segment.result(KNOWN_SEGMENT_TEXT, { image: KNOWN_IMAGE, maskDecoder }), usage };
}
