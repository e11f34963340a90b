import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { TINY_MODEL_DIR, readReference } from '@paligemma/test-support';
import { readModelConfig } from '../model-files/model-config.js';
import { type PromptTokenizer, buildPromptIds, loadPromptTokenizer } from './prompt-tokenizer.js';

const config = readModelConfig(JSON.parse(readFileSync(`${TINY_MODEL_DIR}/config.json`, 'utf8')));
let tokenizer: PromptTokenizer;
beforeAll(async () => {
  tokenizer = await loadPromptTokenizer(TINY_MODEL_DIR);
});

describe('buildPromptIds', () => {
  it.each(readReference().cases.map((testCase) => [testCase.prompt, testCase.input_ids] as const))('%j matches the reference prompt ids', (prompt, ids) => {
    expect(buildPromptIds(tokenizer, config, prompt)).toEqual(ids);
  });

  it('decodes location tokens but drops control tokens', () => {
    expect(tokenizer.decode([2, 1604, 1])).toBe('<loc0004>');
  });
});
