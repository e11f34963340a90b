/** The checkpoint's tokenizer (via transformers.js) and PaliGemma's prompt layout around it. */
import { AutoTokenizer } from '@huggingface/transformers';
import type { ModelConfig } from '../model-files/model-config.js';

export interface PromptTokenizer {
  /** Text → ids, without adding `<bos>`/`<eos>`. */
  encode(text: string): number[];
  /** Ids → text; special tokens such as `<eos>` and `<image>` are dropped, `<loc…>`/`<seg…>` kept. */
  decode(ids: readonly number[]): string;
}

/**
 * Loads `tokenizer.json` from a local model directory (never from the network).
 * @example const tokenizer = await loadPromptTokenizer('/models/tiny-paligemma')
 */
export async function loadPromptTokenizer(directory: string): Promise<PromptTokenizer> {
  const tokenizer = await AutoTokenizer.from_pretrained(directory, { local_files_only: true });
  return {
    encode: (text) => tokenizer.encode(text, { add_special_tokens: false }),
    decode: (ids) => tokenizer.decode([...ids], { skip_special_tokens: true }),
  };
}

/**
 * PaliGemma's prompt: one `<image>` token per image feature, `<bos>`, the task text, and `\n` (which ends the
 * prefix the model attends to bidirectionally).
 * @example buildPromptIds(tokenizer, config, 'caption en') // [2752 ×256, 2, 446, 355, 260]
 */
export function buildPromptIds(tokenizer: PromptTokenizer, config: ModelConfig, prompt: string): number[] {
  return [...new Array<number>(config.numImageTokens).fill(config.imageTokenId), config.bosTokenId, ...tokenizer.encode(`${prompt}\n`)];
}
