import { describe, expect, it } from 'vitest';
import { LabelSchema, labelProblem, promptTextProblem } from './text-rules.js';

describe('labelProblem', () => {
  it.each([
    ['cat', undefined],
    ['traffic light', undefined],
    ['chat noir é', undefined],
  ])('accepts %j', (label, expected) => {
    expect(labelProblem(label)).toBe(expected);
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['cat ; dog', /";"/],
    ['<loc0001>', /"<"/],
    ['cat\ndog', /newline/],
    ['cat\u0007', /control/],
    ['x'.repeat(201), /at most/],
  ])('rejects %j', (label, message) => {
    expect(labelProblem(label)).toMatch(message);
    expect(LabelSchema.safeParse(label).success).toBe(false);
  });
});

describe('promptTextProblem', () => {
  it('rejects newlines and blank text, accepts tabs and unicode', () => {
    expect(promptTextProblem('what is\nthis', 'question')).toMatch(/newline/);
    expect(promptTextProblem(' ', 'question')).toMatch(/empty/);
    expect(promptTextProblem('¿qué es\teso?', 'question')).toBeUndefined();
    expect(promptTextProblem('is 3 < 4 here?', 'question')).toBeUndefined();
  });

  it('rejects special-token text that would steer the model', () => {
    expect(promptTextProblem('where is <loc0123>?', 'question')).toMatch(/special-token/);
    expect(promptTextProblem('hi <image> there', 'prompt')).toMatch(/special-token/);
    expect(promptTextProblem('<EOS>', 'prompt')).toMatch(/special-token/);
  });
});
