/** `paligemma caption <image>`: a short or long description of the image. */
import { CliUsageError } from './cli-usage-error.js';
import { defineTaskCommand } from './task-command.js';

/**
 * The caption subcommand.
 * @example paligemma caption cat.jpg --length long --lang de
 */
export const captionCommand = defineTaskCommand({
  task: 'caption',
  arguments: '',
  flags: {
    lang: { type: 'string', usage: 'answer language, e.g. en, de, fr (default en)', value: '<code>' },
    length: { type: 'string', usage: 'short or long (default short)', value: '<short|long>' },
  },
  annotates: false,
  input(rest, flags) {
    if (rest.length > 0) throw new CliUsageError(`unexpected argument "${rest[0]}"`);
    return { lang: flags.lang, length: flags.length, maxNewTokens: flags.maxNewTokens };
  },
  format: (result) => `${result.caption}\n`,
});
