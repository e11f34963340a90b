import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors/index.js';
import { buildTaskPrompt, recognizeTaskPrompt } from './task-registry.js';

describe('buildTaskPrompt', () => {
  it.each([
    [buildTaskPrompt('caption', {}), 'caption en'],
    [buildTaskPrompt('caption', { lang: 'de' }), 'caption de'],
    [buildTaskPrompt('caption', { lang: 'es', length: 'long' }), 'describe es'],
    [buildTaskPrompt('ask', { question: 'what is in the image?' }), 'answer en what is in the image?'],
    [buildTaskPrompt('ask', { question: ' how many? ', lang: 'fr' }), 'answer fr how many?'],
    [buildTaskPrompt('detect', { labels: ['cat', 'dog'] }), 'detect cat ; dog'],
    [buildTaskPrompt('detect', { labels: ['traffic light'] }), 'detect traffic light'],
    [buildTaskPrompt('segment', { labels: ['person'] }), 'segment person'],
    [buildTaskPrompt('ocr', {}), 'ocr'],
    [buildTaskPrompt('generate', { prompt: 'question fr' }), 'question fr'],
  ])('%j', (prompt, expected) => {
    expect(prompt).toBe(expected);
  });

  it.each([
    ['unknown language', () => buildTaskPrompt('caption', { lang: 'xx' as 'en' }), /unknown language code "xx"/],
    ['no labels', () => buildTaskPrompt('detect', { labels: [] }), /at least one label/],
    ['empty label', () => buildTaskPrompt('detect', { labels: ['cat', ''] }), /empty/],
    ['label with ;', () => buildTaskPrompt('segment', { labels: ['cat ; dog'] }), /";"/],
    ['label with <', () => buildTaskPrompt('detect', { labels: ['<loc0001>'] }), /"<"/],
    ['label with newline', () => buildTaskPrompt('detect', { labels: ['cat\ndetect dog'] }), /newline/],
    ['question with newline', () => buildTaskPrompt('ask', { question: 'a\nb' }), /newline/],
    ['empty question', () => buildTaskPrompt('ask', { question: '  ' }), /empty/],
    ['unknown task', () => buildTaskPrompt('dance' as 'ocr', {}), /unknown task/],
  ])('rejects %s', (_name, build, message) => {
    expect(build).toThrow(InvalidInputError);
    expect(build).toThrow(message);
  });
});

describe('recognizeTaskPrompt', () => {
  it.each([
    ['detect cat ; dog', { task: 'detect', input: { labels: ['cat', 'dog'] } }],
    ['  detect traffic light  ', { task: 'detect', input: { labels: ['traffic light'] } }],
    ['segment person', { task: 'segment', input: { labels: ['person'] } }],
    ['segment cat ; dog ; bird', { task: 'segment', input: { labels: ['cat', 'dog', 'bird'] } }],
    ['caption en', { task: 'caption', input: { lang: 'en' } }],
    ['describe es', { task: 'caption', input: { lang: 'es', length: 'long' } }],
    ['answer fr how many?', { task: 'ask', input: { lang: 'fr', question: 'how many?' } }],
    ['ocr', { task: 'ocr', input: {} }],
  ])('%j is %j', (text, expected) => {
    expect(recognizeTaskPrompt(text)).toEqual(expected);
  });

  it.each([
    // Other spellings of a task prompt would send other tokens than the task builds: free text.
    'detect cat;dog',
    'detect cat ;dog',
    'detect  cat',
    'detect cat ; ',
    'detect ',
    'detect',
    'segment cat <loc0001>',
    'Detect cat',
    'caption xx',
    'caption en please',
    'answer en  how many?',
    'answer en',
    'ocr en',
    'what is in the image?',
    '',
  ])('%j is free text', (text) => {
    expect(recognizeTaskPrompt(text)).toBeUndefined();
  });

  it('is the inverse of buildTaskPrompt for every task with a built prompt', () => {
    const inputs = [
      ['caption', { lang: 'de', length: 'long' }], ['ask', { question: 'why?', lang: 'it' }], ['detect', { labels: ['a b', 'c'] }],
      ['segment', { labels: ['x'] }], ['ocr', {}],
    ] as const;
    for (const [task, input] of inputs) {
      const recognized = recognizeTaskPrompt(buildTaskPrompt(task, input as never));
      expect(recognized?.task).toBe(task);
      expect(buildTaskPrompt(task, recognized?.input as never)).toBe(buildTaskPrompt(task, input as never));
    }
  });
});
