import { describe, expect, it } from 'vitest';
import { parseDetections } from './parse-detections.js';

const image = { width: 640, height: 480 };
const whole = { xMin: 0, yMin: 0, xMax: (1023 / 1024) * 640, yMax: (1023 / 1024) * 480 };

describe('parseDetections', () => {
  it('parses the issue example: cat in the middle, dog covering the image', () => {
    const objects = parseDetections(
      '<loc0256><loc0128><loc0768><loc0896> cat ; <loc0000><loc0000><loc1023><loc1023> dog',
      image,
    );
    expect(objects).toEqual([
      { label: 'cat', box: { xMin: 80, yMin: 120, xMax: 560, yMax: 360 } },
      { label: 'dog', box: whole },
    ]);
  });

  it.each([
    ['empty text', '', []],
    ['plain text answer', 'no objects here', []],
    ['three loc tokens only', '<loc0256><loc0128><loc0768> cat', []],
    ['truncated after the boxes', '<loc0000><loc0000><loc1023><loc1023>', []],
    ['truncated second object', '<loc0000><loc0000><loc1023><loc1023> dog ; <loc0256><loc01', ['dog']],
    ['label with spaces', '<loc0000><loc0000><loc1023><loc1023> traffic light', ['traffic light']],
    ['non-ASCII label', '<loc0000><loc0000><loc1023><loc1023> chat noir — été', ['chat noir — été']],
    ['objects without separators', '<loc0000><loc0000><loc0512><loc0512> a<loc0512><loc0512><loc1023><loc1023> b', ['a', 'b']],
    ['doubled separators', '<loc0000><loc0000><loc0512><loc0512> a ; ; <loc0512><loc0512><loc1023><loc1023> b', ['a', 'b']],
    ['seg tokens are skipped', '<loc0000><loc0000><loc0512><loc0512><seg001><seg002> a', ['a']],
    ['seg tokens without loc tokens', '<seg001><seg002> a ; <loc0000><loc0000><loc0512><loc0512> b', ['b']],
    ['malformed loc token', '<loc12><loc0000><loc0512><loc0512> a', []],
    ['space before the seg tokens (real output)', '<loc0000><loc0000><loc0512><loc0512> <seg001> <seg002> a', ['a']],
    ['leading newline, newline separators', '\n<loc0000><loc0000><loc0512><loc0512> a\n;\n<loc0512><loc0512><loc1023><loc1023> b\n', ['a', 'b']],
    ['whitespace between loc tokens', '<loc0000> <loc0000>\t<loc0512>\n<loc0512>\tb c \t', ['b c']],
    ['label-less object before a labelled one', '<loc0000><loc0000><loc0512><loc0512> ; <loc0512><loc0512><loc1023><loc1023> b', ['b']],
    ['five loc tokens', '<loc0001><loc0002><loc0003><loc0004><loc0005> a', []],
    ['five loc tokens with whitespace', '<loc0001> <loc0002>\n<loc0003><loc0004> <loc0005> a ; <loc0000><loc0000><loc0512><loc0512> b', ['b']],
    ['eight loc tokens in a row', '<loc0001><loc0002><loc0003><loc0004><loc0005><loc0006><loc0007><loc0008> a', []],
  ])('%s', (_name, text, labels) => {
    expect(parseDetections(text, image).map((object) => object.label)).toEqual(labels);
  });

  it('orders reversed corners', () => {
    const [object] = parseDetections('<loc0768><loc0896><loc0256><loc0128> cat', image);
    expect(object.box).toEqual({ xMin: 80, yMin: 120, xMax: 560, yMax: 360 });
  });

  it('clamps out-of-range locations to the image', () => {
    const [object] = parseDetections('<loc0512><loc0512><loc9999><loc2048> cat', image);
    expect(object.box).toEqual({ xMin: 320, yMin: 240, xMax: 640, yMax: 480 });
  });

  it('reads a long run of whitespace in linear time', () => {
    // The look-behind that refuses a fifth <loc> scans back over whitespace; it must run only where a token starts.
    const text = `<loc0000><loc0000><loc0512><loc0512>${' '.repeat(200_000)}a${' \n'.repeat(100_000)};`;
    expect(parseDetections(text, image).map((object) => object.label)).toEqual(['a']);
  });

  it('keeps every box inside the image with min ≤ max', () => {
    const text = Array.from({ length: 50 }, (_, index) => {
      const loc = (value: number) => `<loc${String(value % 10000).padStart(4, '0')}>`;
      return `${loc(index * 997)}${loc(index * 31)}${loc(index * 7919)}${loc(index * 13)} o${index}`;
    }).join(' ; ');
    for (const { box } of parseDetections(text, image)) {
      expect(box.xMin).toBeGreaterThanOrEqual(0);
      expect(box.yMin).toBeGreaterThanOrEqual(0);
      expect(box.xMax).toBeLessThanOrEqual(image.width);
      expect(box.yMax).toBeLessThanOrEqual(image.height);
      expect(box.xMin).toBeLessThanOrEqual(box.xMax);
      expect(box.yMin).toBeLessThanOrEqual(box.yMax);
    }
  });
});
