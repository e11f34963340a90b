/** PaliGemma's task prompts, built from typed input and refusing text that would corrupt the prompt. */
import { LANGUAGE_CODES, isLanguageCode, labelProblem, promptTextProblem } from '@paligemma/sdk/contract';
import { InvalidInputError } from '../errors/index.js';

/**
 * `caption <lang>` (short) or `describe <lang>` (long).
 * @example captionPrompt({ lang: 'de', length: 'long' }) // 'describe de'
 */
export function captionPrompt({ lang, length }: { lang?: string; length?: 'short' | 'long' }): string {
  return `${length === 'long' ? 'describe' : 'caption'} ${language(lang)}`;
}

/**
 * `answer <lang> <question>`.
 * @example askPrompt({ question: 'how many? ' }) // 'answer en how many?'
 */
export function askPrompt({ question, lang }: { question: string; lang?: string }): string {
  return `answer ${language(lang)} ${text(question, 'question')}`;
}

/**
 * `detect a ; b`.
 * @example detectPrompt({ labels: ['cat', 'dog'] }) // 'detect cat ; dog'
 */
export function detectPrompt({ labels }: { labels: readonly string[] }): string {
  return `detect ${labelList(labels)}`;
}

/**
 * `segment a ; b`.
 * @example segmentPrompt({ labels: ['person'] }) // 'segment person'
 */
export function segmentPrompt({ labels }: { labels: readonly string[] }): string {
  return `segment ${labelList(labels)}`;
}

/**
 * A raw prompt of the caller's (`ocr`, `caption es`, …), checked like a question.
 * @example generatePrompt({ prompt: ' ocr' }) // 'ocr'
 */
export function generatePrompt({ prompt }: { prompt: string }): string {
  return text(prompt, 'prompt');
}

/**
 * The caption input a `caption <lang>` / `describe <lang>` prompt was built from, if it is one.
 * @example readCaptionPrompt('describe de') // { lang: 'de', length: 'long' }
 */
export function readCaptionPrompt(prompt: string): { lang: string; length?: 'long' } | undefined {
  const match = /^(caption|describe) (\S+)$/.exec(prompt);
  if (!match) return undefined;
  return match[1] === 'describe' ? { lang: match[2], length: 'long' } : { lang: match[2] };
}

/**
 * The question input an `answer <lang> <question>` prompt was built from, if it is one.
 * @example readAskPrompt('answer en how many?') // { lang: 'en', question: 'how many?' }
 */
export function readAskPrompt(prompt: string): { lang: string; question: string } | undefined {
  const match = /^answer (\S+) (.+)$/.exec(prompt);
  return match ? { lang: match[1], question: match[2] } : undefined;
}

/**
 * The labels a `<keyword> a ; b` prompt (`detect`, `segment`) was built from, if it is one.
 * @example readLabelsPrompt('detect', 'detect cat ; dog') // { labels: ['cat', 'dog'] }
 */
export function readLabelsPrompt(keyword: 'detect' | 'segment', prompt: string): { labels: string[] } | undefined {
  if (!prompt.startsWith(`${keyword} `)) return undefined;
  return { labels: prompt.slice(keyword.length + 1).split(';').map((label) => label.trim()) };
}

function language(lang: string | undefined): string {
  const code = lang ?? 'en';
  if (!isLanguageCode(code)) {
    throw new InvalidInputError(`unknown language code ${JSON.stringify(code)}; expected one of ${LANGUAGE_CODES.join(', ')}`);
  }
  return code;
}

function labelList(labels: readonly string[]): string {
  if (labels.length === 0) throw new InvalidInputError('at least one label is required');
  for (const label of labels) {
    const problem = labelProblem(label);
    if (problem) throw new InvalidInputError(problem);
  }
  return labels.map((label) => label.trim()).join(' ; ');
}

function text(value: string, what: string): string {
  const problem = promptTextProblem(value, what);
  if (problem) throw new InvalidInputError(problem);
  return value.trim();
}
