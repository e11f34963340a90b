import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors/index.js';
import { buildTaskPrompt } from './task-registry.js';

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
