/** `paligemma segment <image> <label...>`: masks, polygons and boxes for each object matching one of the labels. */
import { type SegmentOptions, type SegmentResult, SegmentRequestSchema } from '@paligemma/sdk/contract';
import { formatObjects } from './format-objects.js';
import { defineTaskCommand } from './task-command.js';

/**
 * The segment subcommand; in-process it needs the VQ-VAE decoder (`--vae` / PALIGEMMA_VAE, or `vae-oid.npz` in the cache).
 * @example paligemma segment cat.jpg cat --annotate masks.png
 */
export const segmentCommand = defineTaskCommand<SegmentOptions & { labels: string[] }, SegmentResult>({
  name: 'segment',
  summary: 'Find objects and their masks',
  arguments: '<label...>',
  annotates: true,
  input: (labels, flags) => ({ labels, maxNewTokens: flags.maxNewTokens }),
  schema: SegmentRequestSchema.omit({ image: true }),
  run: (tasks, image, { labels, ...options }) => tasks.segment(image, labels, options),
  format: (result) => formatObjects(result.objects),
});
