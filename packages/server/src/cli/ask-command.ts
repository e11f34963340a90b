/** `paligemma ask <image> <question>`: an answer to a question about the image. */
import { type AskOptions, type AskResult, AskRequestSchema } from '@paligemma/sdk/contract';
import { defineTaskCommand } from './task-command.js';

/**
 * The ask subcommand; the words after the image form the question, so it needs no quotes.
 * @example paligemma ask cat.jpg how many cats are there?
 */
export const askCommand = defineTaskCommand<AskOptions & { question: string }, AskResult>({
  name: 'ask',
  summary: 'Answer a question about an image',
  arguments: '<question>',
  flags: { lang: { type: 'string', usage: 'answer language, e.g. en, de, fr (default en)' } },
  annotates: false,
  input: (rest, flags) => ({ question: rest.join(' '), lang: flags.lang, maxNewTokens: flags.maxNewTokens }),
  schema: AskRequestSchema.omit({ image: true }),
  run: (tasks, image, { question, ...options }) => tasks.ask(image, question, options),
  format: (result) => `${result.answer}\n`,
});
