/** `paligemma ask <image> <question>`: an answer to a question about the image. */
import { defineTaskCommand } from './task-command.js';

/**
 * The ask subcommand; the words after the image form the question, so it needs no quotes.
 * @example paligemma ask cat.jpg how many cats are there?
 */
export const askCommand = defineTaskCommand({
  task: 'ask',
  arguments: '<question>',
  flags: { lang: { type: 'string', usage: 'answer language, e.g. en, de, fr (default en)', value: '<code>' } },
  annotates: false,
  input: (rest, flags) => ({ question: rest.join(' '), lang: flags.lang, maxNewTokens: flags.maxNewTokens }),
  format: (result) => `${result.answer}\n`,
});
