import { describe, expect, it } from 'vitest';
import { downloadProgressBar, formatBytes, progressLine } from './download-progress.js';

describe('progressLine', () => {
  it.each([
    { file: 'config.json', loaded: 0, total: 100, line: 'config.json [························]   0% 0 B/100 B' },
    { file: 'config.json', loaded: 50, total: 100, line: 'config.json [############············]  50% 50 B/100 B' },
    { file: 'onnx/decoder.onnx', loaded: 2_900_000_000, total: 2_900_000_000, line: 'onnx/decoder.onnx [########################] 100% 2.9 GB/2.9 GB' },
    { file: 'unknown-size.bin', loaded: 1_500_000, total: 0, line: 'unknown-size.bin 1.5 MB' },
    { file: 'onnx/decoder_model_merged_q4f16_extra_long.onnx', loaded: 1, total: 4, line: '…el_merged_q4f16_extra_long.onnx [######··················]  25% 1 B/4 B' },
  ])('$file at $loaded of $total', ({ file, loaded, total, line }) => {
    expect(progressLine(file, loaded, total)).toBe(line);
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1.0 kB'],
    [1_234_567, '1.2 MB'],
    [2_900_000_000, '2.9 GB'],
  ])('%d → %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));
});

describe('downloadProgressBar', () => {
  it('on a terminal: redraws one line in place, at most every 100 ms, and ends each file with a newline', () => {
    let output = '';
    let time = 0;
    const report = downloadProgressBar({ write: (text) => (output += text), isTTY: true }, () => time);
    report({ file: 'a.onnx', loaded: 10, total: 100 });
    time += 50;
    report({ file: 'a.onnx', loaded: 20, total: 100 }); // too soon: skipped
    time += 60;
    report({ file: 'a.onnx', loaded: 60, total: 100 });
    report({ file: 'a.onnx', loaded: 100, total: 100 }); // completion is always drawn
    report({ file: 'a.onnx', loaded: 100, total: 100 }); // already finished: nothing more
    const draws = output.split('\r\u001b[2K').slice(1);
    expect(draws.map((draw) => draw.match(/\d+%/)?.[0])).toEqual(['10%', '60%', '100%']);
    expect(output.endsWith('\n')).toBe(true);
    expect(output.split('\n')).toHaveLength(2);
  });

  it('elsewhere: a line when each file starts and one when it completes, without control characters', () => {
    const lines: string[] = [];
    const report = downloadProgressBar({ write: (text) => lines.push(text), isTTY: false });
    for (const loaded of [0, 500, 1000]) report({ file: 'a.onnx', loaded, total: 1000 });
    report({ file: 'b.json', loaded: 10, total: 10 });
    expect(lines).toEqual(['downloading a.onnx (1.0 kB)\n', 'downloaded a.onnx\n', 'downloading b.json (10 B)\n', 'downloaded b.json\n']);
  });
});
