/** PaliGemma's task-prompt language codes (the XM3600 languages the mix checkpoints were trained on). */
import * as z from 'zod';

export const LANGUAGE_CODES = [
  'ar', 'bn', 'cs', 'da', 'de', 'el', 'en', 'es', 'fa', 'fi', 'fil', 'fr', 'he', 'hi', 'hr', 'hu', 'id', 'it',
  'iw', 'ja', 'ko', 'mi', 'nl', 'no', 'pl', 'pt', 'quz', 'ro', 'ru', 'sv', 'sw', 'te', 'th', 'tr', 'uk', 'vi', 'zh',
] as const;

export type LanguageCode = (typeof LANGUAGE_CODES)[number];

/**
 * A language code PaliGemma understands in `caption <lang>`, `answer <lang> …`.
 * @example LanguageCodeSchema.parse('de') // 'de'
 */
export const LanguageCodeSchema = z.enum(LANGUAGE_CODES, {
  error: (issue) => `unknown language code ${JSON.stringify(issue.input)}; expected one of ${LANGUAGE_CODES.join(', ')}`,
});

/** True when `code` is a PaliGemma language code. */
export function isLanguageCode(code: unknown): code is LanguageCode {
  return typeof code === 'string' && (LANGUAGE_CODES as readonly string[]).includes(code);
}
