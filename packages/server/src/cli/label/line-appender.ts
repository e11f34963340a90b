/** Appends text lines to a file in the order of the calls, opening it on the first line; for the label run's side files. */
import { type FileHandle, open } from 'node:fs/promises';

/**
 * @example
 * const appender = new LineAppender('out.errors.jsonl');
 * await appender.append('{"file":"a.jpg"}\n');
 * await appender.close();
 */
export class LineAppender {
  private handle: FileHandle | undefined;
  private writes: Promise<void> = Promise.resolve();

  constructor(readonly file: string) {}

  /** Appends `text` after every earlier call's text; resolves when it is written. */
  append(text: string): Promise<void> {
    this.writes = this.writes.then(async () => {
      this.handle ??= await open(this.file, 'a');
      await this.handle.write(text);
    });
    return this.writes;
  }

  /** Waits for the writes in progress (a failed one was already reported to its caller) and closes the file. */
  async close(): Promise<void> {
    await this.writes.catch(() => {});
    await this.handle?.close();
  }
}
