/**
 * The errors file of a `paligemma label` run: one JSON line per image that could not be labeled, with why, written
 * as each failure happens. Each run starts it afresh (failed images are tried again on resume); a run without
 * failures leaves none.
 */
import { rm } from 'node:fs/promises';
import { LineAppender } from './line-appender.js';

/**
 * @example
 * const errors = await ErrorsFile.start('labels.json.errors.jsonl');
 * await errors.record('broken.jpg', 'the data is not an image format we decode');
 * await errors.close(); // deletes the file when nothing was recorded
 */
export class ErrorsFile {
  private readonly lines: LineAppender;
  /** Images recorded so far. */
  count = 0;

  private constructor(readonly file: string) {
    this.lines = new LineAppender(file);
  }

  /** Removes the file an earlier run left; the file is created again on the first failure. */
  static async start(file: string): Promise<ErrorsFile> {
    await rm(file, { force: true });
    return new ErrorsFile(file);
  }

  /** Appends `{"file": name, "error": reason}`. */
  record(name: string, reason: string): Promise<void> {
    this.count += 1;
    return this.lines.append(`${JSON.stringify({ file: name, error: reason })}\n`);
  }

  close(): Promise<void> {
    return this.lines.close();
  }
}
