/** `paligemma segment <image> <label...>`: masks, polygons and boxes for each object matching one of the labels. */
import { formatObjects } from './format-objects.js';
import { defineTaskCommand } from './task-command.js';

/**
 * The segment subcommand; in-process it needs the VQ-VAE decoder (`--vae` / PALIGEMMA_VAE, or `vae-oid.npz` in the cache).
 * @example paligemma segment cat.jpg cat --annotate masks.png
 */
export const segmentCommand = defineTaskCommand({
  task: 'segment',
  arguments: '<label...>',
  annotates: true,
  input: (labels, flags) => ({ labels, maxNewTokens: flags.maxNewTokens }),
  format: (result) => formatObjects(result.objects),
});
