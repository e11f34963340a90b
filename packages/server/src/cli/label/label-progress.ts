/**
 * Progress of a `paligemma label` run on stderr: a bar redrawn in place on a terminal (done/total, images per
 * second, ETA, objects found, failures), plain lines every few seconds otherwise, so logs stay readable.
 */
import { PROGRESS_REDRAW_INTERVAL_MS, type ProgressOutput } from '../download-progress.js';

/** Off a terminal, a progress line at most this often: enough to see a long run move, few enough for a log. */
export const PLAIN_PROGRESS_INTERVAL_MS = 10_000;
const BAR_WIDTH = 20;

/** Counts since the start of the run; `done` includes images skipped because an earlier run labeled them. */
export interface LabelCounts {
  done: number;
  total: number;
  /** Objects with one of the requested labels, in the images labeled by this run. */
  objects: number;
  failed: number;
}

export interface LabelProgress {
  /** New counts; drawn now or at the next redraw. */
  update(counts: LabelCounts): void;
  /** A line of its own (an image that failed, a notice) that must not be overwritten by the bar. */
  note(line: string): void;
  /** Draws the final counts and ends the bar's line. */
  finish(): void;
}

/**
 * Starts the display. `alreadyDone` images (from the checkpoint) count as done but not towards the rate, so the
 * ETA of a resumed run is right. `now` is injectable for tests.
 * @example
 * const progress = labelProgress({ write: (text) => process.stderr.write(text), isTTY: true }, { total: 10, alreadyDone: 0 });
 * progress.update({ done: 1, total: 10, objects: 3, failed: 0 });
 */
export function labelProgress(
  output: ProgressOutput, { total, alreadyDone }: { total: number; alreadyDone: number }, now: () => number = () => performance.now(),
): LabelProgress {
  const started = now();
  let counts: LabelCounts = { done: alreadyDone, total, objects: 0, failed: 0 };
  let lastDraw = -Infinity;
  let drawn = false;
  let lastLine = '';
  const line = () => progressLine(counts, alreadyDone, (now() - started) / 1000, output.isTTY === true);
  const draw = (force: boolean) => {
    const time = now();
    const interval = output.isTTY ? PROGRESS_REDRAW_INTERVAL_MS : PLAIN_PROGRESS_INTERVAL_MS;
    if (!force && time - lastDraw < interval) return;
    const text = line();
    // A log gets no line that repeats the one before it (the last update and the end often coincide).
    if (!output.isTTY && text === lastLine) return;
    lastDraw = time;
    lastLine = text;
    // \r + erase-line so a shorter line does not leave the tail of a longer one behind.
    output.write(output.isTTY ? `\r\u001b[2K${text}` : `${text}\n`);
    drawn = true;
  };
  return {
    update(next) {
      counts = next;
      draw(false);
    },
    note(text) {
      if (output.isTTY && drawn) {
        output.write(`\r\u001b[2K${text}\n`);
        draw(true);
      } else output.write(`${text}\n`);
    },
    finish() {
      draw(true);
      if (output.isTTY) output.write('\n');
    },
  };
}

/**
 * One progress line. On a terminal: `[#####···············] 12/48  25%  3.1 img/s  ETA 12s  7 objects  1 failed`;
 * elsewhere a sentence: `labeled 12 of 48 images (25%), 3.1 images/s, ETA 12s, 7 objects, 1 failed`.
 * @example progressLine({ done: 12, total: 48, objects: 7, failed: 1 }, 0, 3.87, false)
 * // 'labeled 12 of 48 images (25%), 3.1 images/s, ETA 12s, 7 objects, 1 failed'
 */
export function progressLine(counts: LabelCounts, alreadyDone: number, elapsedSeconds: number, terminal: boolean): string {
  const { done, total, objects, failed } = counts;
  const fraction = total > 0 ? done / total : 1;
  const percent = `${Math.floor(fraction * 100)}%`;
  const thisRun = done - alreadyDone;
  const rate = elapsedSeconds > 0 ? thisRun / elapsedSeconds : 0;
  const eta = thisRun > 0 && rate > 0 ? formatDuration((total - done) / rate) : '?';
  const rateText = rate.toFixed(rate >= 10 ? 0 : 1);
  const failedText = failed > 0 ? `, ${failed} failed` : '';
  const objectsText = countOf(objects, 'object');
  if (!terminal) return `labeled ${done} of ${total} images (${percent}), ${rateText} images/s, ETA ${eta}, ${objectsText}${failedText}`;
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = `[${'#'.repeat(filled)}${'·'.repeat(BAR_WIDTH - filled)}]`;
  return `${bar} ${done}/${total} ${percent.padStart(4)}  ${rateText} img/s  ETA ${eta}  ${objectsText}${failed > 0 ? `  ${failed} failed` : ''}`;
}

/**
 * Seconds as a short duration: `42s`, `4m18s`, `2h05m`.
 * @example formatDuration(258) // '4m18s'
 */
export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return `${whole}s`;
  if (whole < 3600) return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
  return `${Math.floor(whole / 3600)}h${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * A count with its noun, plural when it is not 1.
 * @example countOf(1, 'image') // '1 image'
 */
export function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
