import { describe, expect, it } from 'vitest';
import { IncrementalDetokenizer } from './incremental-detokenizer.js';

/** A stand-in vocabulary: each id is one piece of text; 9 is half of a two-byte character. */
const PIECES: Record<number, string> = { 1: 'a ', 2: 'cat', 3: '<', 4: 'end>', 5: ' sat', 6: '.', 7: '<e', 9: '\uFFFD' };
const decode = (ids: number[]) => ids.map((id) => PIECES[id]).join('');

function run(ids: number[], stops: string[] = []) {
  const detokenizer = new IncrementalDetokenizer(decode, stops);
  const pieces = ids.map((id) => detokenizer.push(id));
  return { pieces, text: detokenizer.text, stopped: detokenizer.stopped, tokenCount: detokenizer.tokenCount };
}

describe('IncrementalDetokenizer', () => {
  it('gives each token the text it completes', () => {
    expect(run([1, 2, 5])).toEqual({ pieces: ['a ', 'cat', ' sat'], text: 'a cat sat', stopped: false, tokenCount: 3 });
  });

  it('holds back an incomplete character', () => {
    expect(run([1, 9]).pieces).toEqual(['a ', '']);
  });

  it('holds back text that may begin a stop sequence, and shows it when it does not', () => {
    expect(run([1, 3, 2], ['<end>']).pieces).toEqual(['a ', '', '<cat']);
    expect(run([1, 7, 5], ['<end>']).pieces).toEqual(['a ', '', '<e sat']);
  });

  it('ends the text before a stop sequence and takes no tokens after it', () => {
    expect(run([1, 2, 3, 4, 5, 6], ['<end>'])).toEqual({ pieces: ['a ', 'cat', '', '', '', ''], text: 'a cat', stopped: true, tokenCount: 4 });
    expect(run([1, 2, 6, 5], ['.', 'sat'])).toEqual({ pieces: ['a ', 'cat', '', ''], text: 'a cat', stopped: true, tokenCount: 3 });
  });
});
