/** `paligemma detect <image> <label...>`: boxes for each object matching one of the labels. */
import { formatObjects } from './format-objects.js';
import { defineTaskCommand } from './task-command.js';

/**
 * The detect subcommand; each argument after the image is one label (quote labels with spaces).
 * @example paligemma detect street.jpg car "traffic light" --annotate boxes.png
 */
export const detectCommand = defineTaskCommand({
  task: 'detect',
  arguments: '<label...>',
  annotates: true,
  input: (labels, flags) => ({ labels, maxNewTokens: flags.maxNewTokens }),
  format: (result) => formatObjects(result.objects),
});
