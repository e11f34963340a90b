/**
 * The errors file of a `paligemma label` run: one JSON line per image that could not be labeled, with why, written
 * as each failure happens. Each run starts it afresh (failed images are tried again on resume); a run without
 * failures leaves none.
 */
import { type FileHandle, open, rm } from 'node:fs/promises';

/**
 * @example
 * const errors = await ErrorsFile.start('labels.json.errors.jsonl');
 * await errors.record('broken.jpg', 'the data is not an image format we decode');
 * await errors.close(); // deletes the file when nothing was recorded
 */
export class ErrorsFile {
  private handle: FileHandle | undefined;
  private writes: Promise<void> = Promise.resolve();
  /** Images recorded so far. */
  count = 0;

  private constructor(readonly file: string) {}

  /** Removes the file an earlier run left; the file is created again on the first failure. */
  static async start(file: string): Promise<ErrorsFile> {
    await rm(file, { force: true });
    return new ErrorsFile(file);
  }

  /** Appends `{"file": name, "error": reason}`. */
  record(name: string, reason: string): Promise<void> {
    this.count += 1;
    const line = `${JSON.stringify({ file: name, error: reason })}\n`;
    this.writes = this.writes.then(async () => {
      this.handle ??= await open(this.file, 'a');
      await this.handle.write(line);
    });
    return this.writes;
  }

  async close(): Promise<void> {
    await this.writes.catch(() => {});
    await this.handle?.close();
  }
}
