import { describe, expect, it } from 'vitest';
import { parseSegments } from './parse-segments.js';

const image = { width: 640, height: 480 };
const box = '<loc0256><loc0128><loc0768><loc0896>';
const codes = Array.from({ length: 16 }, (_, index) => index * 8);
const seg = codes.map((code) => `<seg${String(code).padStart(3, '0')}>`).join('');

describe('parseSegments', () => {
  it('parses box, 16 codes and label', () => {
    expect(parseSegments(`${box}${seg} cat`, image)).toEqual([
      { label: 'cat', box: { xMin: 80, yMin: 120, xMax: 560, yMax: 360 }, codes },
    ]);
  });

  it.each([
    ['two objects', `${box}${seg} cat ; ${box}${seg} big dog`, ['cat', 'big dog']],
    ['fifteen codes', `${box}${seg.slice(8)} cat`, []],
    ['seg tokens without loc tokens', `${seg} cat ; ${box}${seg} dog`, ['dog']],
    ['box without codes', `${box} cat`, []],
    ['truncated codes at the end', `${box}${seg} cat ; ${box}${seg.slice(0, 40)}`, ['cat']],
    ['missing label', `${box}${seg}`, []],
    ['code outside the codebook', `${box}${seg.replace('<seg000>', '<seg999>')} cat`, []],
    ['non-ASCII label', `${box}${seg} 고양이`, ['고양이']],
    ['space before the codes (real output)', `${box} ${seg} cat`, ['cat']],
    ['whitespace between every token', `\n${box.replaceAll('><', '> <')}\t${seg.replaceAll('><', '>\n<')}\ncat\t;\n${box}${seg}dog`, ['cat', 'dog']],
    ['seventeen codes', `${box} ${seg}<seg001> cat`, []],
    ['five loc tokens', `<loc0001>${box} ${seg} cat`, []],
    ['five loc tokens with whitespace', `${box} <loc0001> ${seg} cat ; ${box}${seg} dog`, ['dog']],
  ])('%s', (_name, text, labels) => {
    expect(parseSegments(text, image).map((segment) => segment.label)).toEqual(labels);
  });
});
