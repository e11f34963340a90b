/** Rules for user text that is spliced into a task prompt; shared by the core prompt builder and request schemas. */
import * as z from 'zod';

/** Longest label accepted; labels are object names, not prose. */
export const MAX_LABEL_LENGTH = 200;

/**
 * Why a detection/segmentation label is unusable, or `undefined` when it is fine.
 * `;` separates labels in the prompt, `<` starts special tokens such as `<loc0123>`, and a newline ends the prompt.
 */
export function labelProblem(label: string): string | undefined {
  if (label.trim().length === 0) return 'a label must not be empty';
  if (label.length > MAX_LABEL_LENGTH) return `a label must be at most ${MAX_LABEL_LENGTH} characters`;
  if (label.includes(';')) return `label ${JSON.stringify(label)} must not contain ";" (it separates labels)`;
  if (label.includes('<')) return `label ${JSON.stringify(label)} must not contain "<" (it starts special tokens)`;
  if (/[\r\n]/.test(label)) return `label ${JSON.stringify(label)} must not contain a newline (it ends the prompt)`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(label)) return `label ${JSON.stringify(label)} must not contain control characters`;
  return undefined;
}

/** Text that the tokenizer would turn into a control token (`<loc0123>`, `<seg045>`, `<image>`, `<eos>`, …). */
const SPECIAL_TOKEN_TEXT = /<(?:loc\d{4}|seg\d{3}|image|bos|eos|pad|unk|start_of_turn|end_of_turn)>/i;

/**
 * Why free text (a question or prompt) is unusable, or `undefined`. Newlines would end the prompt early, and
 * special-token text would be read as model control tokens rather than words.
 */
export function promptTextProblem(text: string, what: string): string | undefined {
  if (text.trim().length === 0) return `${what} must not be empty`;
  if (/[\r\n]/.test(text)) return `${what} must not contain a newline (it ends the prompt)`;
  if (SPECIAL_TOKEN_TEXT.test(text)) return `${what} must not contain special-token text such as <loc0000> or <image>`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(text)) return `${what} must not contain control characters`;
  return undefined;
}

/** A label as accepted in `detect` / `segment` requests. */
export const LabelSchema = z.string().superRefine((label, context) => {
  const problem = labelProblem(label);
  if (problem) context.addIssue({ code: 'custom', message: problem });
});
