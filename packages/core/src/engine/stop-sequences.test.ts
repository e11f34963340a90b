import { describe, expect, it } from 'vitest';
import { cutAtStopSequence, findStopSequence } from './stop-sequences.js';

describe('findStopSequence', () => {
  it.each([
    ['a cat.\nThe', ['\n'], { stopAt: 6 }],
    ['one two three', ['three', 'two'], { stopAt: 4 }],
    ['<loc0001><loc0002> cat', ['<loc0002>'], { stopAt: 9 }],
    ['stop', ['stop'], { stopAt: 0 }],
    ['a cat', ['\n'], { holdBack: 0 }],
    ['a cat<', ['<end>'], { holdBack: 1 }],
    ['a cat<en', ['<end>', 'n'], { stopAt: 7 }],
    ['a cat<en', ['<end>', 'xyz'], { holdBack: 3 }],
    ['ab', ['abc', 'bcd'], { holdBack: 2 }],
    ['', ['x'], { holdBack: 0 }],
  ])('%j with %j', (text, stops, expected) => {
    expect(findStopSequence(text, stops)).toEqual(expected);
  });
});

describe('cutAtStopSequence', () => {
  it.each([
    ['yes. no.', ['.'], 'yes'],
    ['yes no', ['.'], 'yes no'],
    ['caption here END more', ['END', 'more'], 'caption here '],
    ['anything', [], 'anything'],
  ])('%j with %j', (text, stops, expected) => {
    expect(cutAtStopSequence(text, stops)).toBe(expected);
  });
});
