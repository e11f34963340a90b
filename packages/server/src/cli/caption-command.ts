/** `paligemma caption <image>`: a short or long description of the image. */
import { type CaptionOptions, type CaptionResult, CaptionRequestSchema } from '@paligemma/sdk/contract';
import { CliUsageError, defineTaskCommand } from './task-command.js';

/**
 * The caption subcommand.
 * @example paligemma caption cat.jpg --length long --lang de
 */
export const captionCommand = defineTaskCommand<CaptionOptions, CaptionResult>({
  name: 'caption',
  summary: 'Describe an image',
  arguments: '',
  flags: {
    lang: { type: 'string', usage: 'answer language, e.g. en, de, fr (default en)' },
    length: { type: 'string', usage: 'short or long (default short)' },
  },
  annotates: false,
  input(rest, flags) {
    if (rest.length > 0) throw new CliUsageError(`unexpected argument "${rest[0]}"`);
    return { lang: flags.lang, length: flags.length, maxNewTokens: flags.maxNewTokens };
  },
  schema: CaptionRequestSchema.omit({ image: true }),
  run: (tasks, image, options) => tasks.caption(image, options),
  format: (result) => `${result.caption}\n`,
});
