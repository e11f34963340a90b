/** `paligemma detect <image> <label...>`: boxes for each object matching one of the labels. */
import { type DetectOptions, type DetectResult, DetectRequestSchema } from '@paligemma/sdk/contract';
import { formatObjects } from './format-objects.js';
import { defineTaskCommand } from './task-command.js';

/**
 * The detect subcommand; each argument after the image is one label (quote labels with spaces).
 * @example paligemma detect street.jpg car "traffic light" --annotate boxes.png
 */
export const detectCommand = defineTaskCommand<DetectOptions & { labels: string[] }, DetectResult>({
  name: 'detect',
  summary: 'Find objects and their boxes',
  arguments: '<label...>',
  annotates: true,
  input: (labels, flags) => ({ labels, maxNewTokens: flags.maxNewTokens }),
  schema: DetectRequestSchema.omit({ image: true }),
  run: (tasks, image, { labels, ...options }) => tasks.detect(image, labels, options),
  format: (result) => formatObjects(result.objects),
});
