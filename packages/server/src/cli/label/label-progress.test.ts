import { describe, expect, it } from 'vitest';
import { formatDuration, labelProgress, progressLine } from './label-progress.js';

describe('progressLine', () => {
  it.each([
    { name: 'a terminal bar', counts: { done: 12, total: 48, objects: 7, failed: 1 }, alreadyDone: 0, elapsed: 3.87, terminal: true, line: '[#####···············] 12/48  25%  3.1 img/s  ETA 12s  7 objects  1 failed' },
    { name: 'a plain line', counts: { done: 12, total: 48, objects: 7, failed: 1 }, alreadyDone: 0, elapsed: 3.87, terminal: false, line: 'labeled 12 of 48 images (25%), 3.1 images/s, ETA 12s, 7 objects, 1 failed' },
    { name: 'nothing done yet: no ETA', counts: { done: 0, total: 5, objects: 0, failed: 0 }, alreadyDone: 0, elapsed: 1, terminal: false, line: 'labeled 0 of 5 images (0%), 0.0 images/s, ETA ?, 0 objects' },
    { name: 'resumed: skipped images count as done but not in the rate', counts: { done: 110, total: 200, objects: 3, failed: 0 }, alreadyDone: 100, elapsed: 5, terminal: false, line: 'labeled 110 of 200 images (55%), 2.0 images/s, ETA 45s, 3 objects' },
    { name: 'fast: whole images per second', counts: { done: 300, total: 1000, objects: 0, failed: 0 }, alreadyDone: 0, elapsed: 12, terminal: true, line: '[######··············] 300/1000  30%  25 img/s  ETA 28s  0 objects' },
  ])('$name', ({ counts, alreadyDone, elapsed, terminal, line }) => {
    expect(progressLine(counts, alreadyDone, elapsed, terminal)).toBe(line);
  });
});

describe('formatDuration', () => {
  it.each([[0, '0s'], [42.4, '42s'], [258, '4m18s'], [3600, '1h00m'], [7500, '2h05m']])('%d s → %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe('labelProgress', () => {
  it('on a terminal: redraws in place at most every 100 ms, keeps notes on lines of their own, ends with a newline', () => {
    let output = '';
    let time = 0;
    const progress = labelProgress({ write: (text) => (output += text), isTTY: true }, { total: 4, alreadyDone: 0 }, () => time);
    time = 1000;
    progress.update({ done: 1, total: 4, objects: 2, failed: 0 });
    time = 1050;
    progress.update({ done: 2, total: 4, objects: 2, failed: 0 }); // within 100 ms: not drawn
    progress.note('skipped broken.jpg: the data is not an image');
    time = 2000;
    progress.update({ done: 4, total: 4, objects: 5, failed: 1 });
    progress.finish();
    expect(output.split('\r\u001b[2K')).toEqual([
      '',
      '[#####···············] 1/4  25%  1.0 img/s  ETA 3s  2 objects',
      'skipped broken.jpg: the data is not an image\n',
      '[##########··········] 2/4  50%  1.9 img/s  ETA 1s  2 objects',
      '[####################] 4/4 100%  2.0 img/s  ETA 0s  5 objects  1 failed',
      '[####################] 4/4 100%  2.0 img/s  ETA 0s  5 objects  1 failed\n',
    ]);
  });

  it('elsewhere: plain lines without control characters, at most every 10 s, and a last line at the end', () => {
    let output = '';
    let time = 0;
    const progress = labelProgress({ write: (text) => (output += text), isTTY: false }, { total: 3, alreadyDone: 1 }, () => time);
    time = 2000;
    progress.update({ done: 2, total: 3, objects: 1, failed: 0 });
    time = 3000;
    progress.note('skipped x.jpg: permission denied');
    progress.update({ done: 3, total: 3, objects: 1, failed: 1 }); // within 10 s of the last line
    progress.finish();
    expect(output).toBe(
      'labeled 2 of 3 images (66%), 0.5 images/s, ETA 2s, 1 object\n' +
        'skipped x.jpg: permission denied\n' +
        'labeled 3 of 3 images (100%), 0.7 images/s, ETA 0s, 1 object, 1 failed\n',
    );
  });
});
