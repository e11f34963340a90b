/**
 * Benchmark of segmentation mask post-processing per object on a 640×480 image: VQ-VAE decode (SIMD and scalar
 * kernels), paste into the box, RLE and polygons. Run: `pnpm exec tsx packages/core/bench/mask.ts`.
 * Prints `name: value` lines and writes them to `packages/core/bench/MASK_RESULTS.md`.
 */
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { encodeRle } from '@paligemma/sdk';
import { randomVaeArrays } from '@paligemma/test-support';
import {
  createVaeDecoder, encodeWindowRle, maskInBox, maskToPolygons, masksForSegments, pasteMask, vaeWeightsFromArrays,
} from '../src/mask/index.js';

/** Timed repetitions per measurement (after as many warm-up runs); the median is reported. */
const RUNS = 60;
const COMMAND = 'pnpm exec tsx packages/core/bench/mask.ts';
const image = { width: 640, height: 480 };
const boxes = {
  /** A typical object: about half the image in each direction. */
  half: { xMin: 160.6, yMin: 120.2, xMax: 480.9, yMax: 360.4 },
  /** The worst case: the whole image. */
  full: { xMin: 0, yMin: 0, xMax: 640, yMax: 480 },
};

const weights = vaeWeightsFromArrays(randomVaeArrays({ seed: 1 }));
const simd = createVaeDecoder(weights, { kernels: 'simd' });
const scalar = createVaeDecoder(weights, { kernels: 'scalar' });
let seed = 7;
const randomCodes = () => Array.from({ length: 16 }, () => (seed = (seed * 1103515245 + 12345) % 2147483648) % 128);

/** Median and fastest of RUNS timed runs: on a shared machine the fastest shows what the code costs undisturbed. */
function measure(run: () => void): { median: number; fastest: number } {
  for (let index = 0; index < RUNS; index += 1) run();
  const times: number[] = [];
  for (let index = 0; index < RUNS; index += 1) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], fastest: times[0] };
}

const logits = simd.decode(randomCodes());
const results: Array<[string, string]> = [];
const record = (name: string, timing: { median: number; fastest: number }) => {
  results.push([name, `${timing.median.toFixed(3)} ms`]);
  if (name.startsWith('decode') || name.startsWith('total')) results.push([name.replace(/_ms$/, '_fastest_ms'), `${timing.fastest.toFixed(3)} ms`]);
};
record('decode_simd_ms', measure(() => simd.decode(randomCodes())));
record('decode_scalar_ms', measure(() => scalar.decode(randomCodes())));
for (const [name, box] of Object.entries(boxes)) {
  const mask = pasteMask(logits, box, image);
  record(`paste_${name}_box_ms`, measure(() => pasteMask(logits, box, image)));
  record(`rle_${name}_box_ms`, measure(() => encodeRle(mask, image.width, image.height)));
  const inBox = maskInBox(logits, box, image);
  record(`rle_from_window_${name}_box_ms`, measure(() => encodeWindowRle(inBox, image)));
  record(`polygons_${name}_box_ms`, measure(() => maskToPolygons(mask, image.width, image.height)));
  record(`total_per_object_${name}_box_ms`, measure(() => masksForSegments([{ label: 'x', box, codes: randomCodes() }], simd, image)));
}
// Random weights give speckled masks (many small blobs and holes); a real object's mask is a few smooth blobs.
const ellipse = new Uint8Array(image.width * image.height);
for (let y = 0; y < image.height; y += 1) {
  for (let x = 0; x < image.width; x += 1) ellipse[y * image.width + x] = ((x - 320) / 160) ** 2 + ((y - 240) / 120) ** 2 <= 1 ? 1 : 0;
}
const speckled = pasteMask(logits, boxes.half, image);
results.push(['random_mask_half_box_polygons', String(maskToPolygons(speckled, image.width, image.height).length)]);
record('polygons_smooth_ellipse_half_box_ms', measure(() => maskToPolygons(ellipse, image.width, image.height)));
record('rle_smooth_ellipse_half_box_ms', measure(() => encodeRle(ellipse, image.width, image.height)));
const value = (name: string) => Number.parseFloat(results.find(([key]) => key === name)?.[1] ?? 'NaN');
const speedup = value('decode_scalar_ms') / value('decode_simd_ms');
results.push(['decode_simd_speedup_vs_scalar', `${speedup.toFixed(2)}x`]);

for (const [name, value] of results) console.log(`${name}: ${value}`);
const markdown = [
  '# Segmentation mask benchmark',
  '',
  `Command: \`${COMMAND}\` — median (and for decode and totals also the fastest) of ${RUNS} runs after ${RUNS}`,
  'warm-up runs, one object on a 640×480 image,',
  'random weights in the real `vae-oid.npz` layout (same architecture and sizes; the SIMD decoder skips zero',
  'activations, so real weights with a different ReLU sparsity may time somewhat differently).',
  `Machine: ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores, shared with other work: load average`,
  `${loadavg()[0].toFixed(1)} when the run ended), Node ${process.version}.`,
  '',
  '| measure | value |',
  '| --- | --- |',
  ...results.map(([name, value]) => `| ${name} | ${value} |`),
  '',
  '`half` box: 320×240 pixels; `full` box: the whole image. `total_per_object` = decode + paste + RLE + polygons',
  '(`masksForSegments` for one object, which works on the box window: `rle_from_window`, polygons of the window). The random weights make speckled masks (`random_mask_half_box_polygons`',
  'polygons), a worst case for polygons; `smooth_ellipse` times one real-looking blob filling the half box.',
  '',
].join('\n');
await writeFile(fileURLToPath(new URL('./MASK_RESULTS.md', import.meta.url)), markdown);
