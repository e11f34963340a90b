/** A text progress bar on stderr for model downloads (`onProgress` of `PaliGemma.load`), with no dependencies. */
import type { DownloadProgress } from '@paligemma/core';
import type { CliIo } from './cli-command.js';

/** Where the bar is drawn: a terminal is redrawn in place, anything else (a log file, CI) gets plain lines. */
export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** A command's stderr as a {@link ProgressOutput}: redrawn in place only when it is a terminal. */
export function stderrProgressOutput(io: CliIo): ProgressOutput {
  return { write: (text) => io.stderr(text), isTTY: io.stderrIsTTY === true };
}

/** A terminal is redrawn at most this often: a multi-GB download reports thousands of chunks a second. */
export const PROGRESS_REDRAW_INTERVAL_MS = 100;
/** Bar width in characters; the line also carries the file name and sizes, so it fits an 80-column terminal. */
const BAR_WIDTH = 24;
/** Longest file name shown; longer names keep their end (the part that tells `decoder_model_merged_q4` apart). */
const MAX_NAME_LENGTH = 32;

/**
 * Returns an `onProgress` callback that draws one bar per file. On a TTY the line is redrawn in place and ends with a
 * newline when the file completes; elsewhere a line is written when a file starts and when it completes, so logs
 * get no control characters. `now` is injectable for tests.
 * @example
 * const model = await PaliGemma.load({ model, onProgress: downloadProgressBar(process.stderr) });
 */
export function downloadProgressBar(output: ProgressOutput, now: () => number = () => performance.now()): (progress: DownloadProgress) => void {
  const started = new Set<string>();
  const finished = new Set<string>();
  let lastDraw = -Infinity;
  return ({ file, loaded, total }) => {
    if (finished.has(file)) return;
    const done = total > 0 && loaded >= total;
    if (!output.isTTY) {
      if (!started.has(file)) output.write(`downloading ${file} (${formatBytes(total)})\n`);
      started.add(file);
      if (done) {
        finished.add(file);
        output.write(`downloaded ${file}\n`);
      }
      return;
    }
    started.add(file);
    const time = now();
    if (!done && time - lastDraw < PROGRESS_REDRAW_INTERVAL_MS) return;
    lastDraw = time;
    // \r + erase-line (ESC[2K) so a shorter line does not leave the tail of a longer one behind.
    output.write(`\r\u001b[2K${progressLine(file, loaded, total)}${done ? '\n' : ''}`);
    if (done) finished.add(file);
  };
}

/**
 * One bar: `name [#######·········]  42% 1.2 GB/2.9 GB`; an unknown total shows only the bytes so far.
 * @example progressLine('onnx/decoder.onnx', 50, 100) // 'onnx/decoder.onnx [############············]  50% 50 B/100 B'
 */
export function progressLine(file: string, loaded: number, total: number): string {
  const name = file.length > MAX_NAME_LENGTH ? `…${file.slice(-(MAX_NAME_LENGTH - 1))}` : file;
  if (!(total > 0)) return `${name} ${formatBytes(loaded)}`;
  const fraction = Math.min(1, Math.max(0, loaded / total));
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = `${'#'.repeat(filled)}${'·'.repeat(BAR_WIDTH - filled)}`;
  return `${name} [${bar}] ${String(Math.floor(fraction * 100)).padStart(3)}% ${formatBytes(loaded)}/${formatBytes(total)}`;
}

/**
 * Bytes in decimal units, as download tools show them.
 * @example formatBytes(2_900_000_000) // '2.9 GB'
 */
export function formatBytes(bytes: number): string {
  if (!(bytes > 0)) return '0 B';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  const exponent = Math.min(units.length - 1, Math.floor(Math.log10(bytes) / 3));
  const value = bytes / 1000 ** exponent;
  return `${exponent === 0 ? value : value.toFixed(1)} ${units[exponent]}`;
}
