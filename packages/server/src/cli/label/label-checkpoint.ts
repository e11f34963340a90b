/**
 * The checkpoint of a `paligemma label` run: a JSON Lines file beside the output with one line per labeled image,
 * appended as each image finishes, so a crash or Ctrl-C loses at most the images in flight and the next run with
 * the same options skips what is done.
 */
import { readFile, truncate, writeFile } from 'node:fs/promises';
import type { DetectResult, SegmentResult } from '@paligemma/sdk/contract';
import type { LabelTask } from './annotation-objects.js';
import { LineAppender } from './line-appender.js';

/** Bumped when the lines change meaning; an older checkpoint is then refused rather than misread. */
const CHECKPOINT_VERSION = 1;
/** The first line's marker, so a stray JSON Lines file is not taken for a checkpoint. */
const CHECKPOINT_KIND = 'paligemma label checkpoint';

/** What a checkpoint's results depend on: resuming with other options would mix two different datasets. */
export interface CheckpointOptions {
  task: LabelTask;
  labels: readonly string[];
  format: string;
}

/** The checkpoint exists but was written for other options; the message says which and what to do. */
export class CheckpointMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointMismatchError';
  }
}

/**
 * An open checkpoint: the results already in it, by absolute image path, and `append` for each new one.
 * @example
 * const checkpoint = await LabelCheckpoint.open('out.json.checkpoint.jsonl', { task: 'detect', labels: ['cat'], format: 'coco' });
 * if (!checkpoint.results.has(path)) await checkpoint.append(path, await model.detect(bytes, ['cat']));
 * await checkpoint.close();
 */
export class LabelCheckpoint {
  private readonly lines: LineAppender;

  private constructor(
    readonly file: string,
    /** Results already labeled, by absolute path; `append` adds to it. */
    readonly results: Map<string, DetectResult | SegmentResult>,
  ) {
    this.lines = new LineAppender(file);
  }

  /**
   * Opens `file`, creating it with a header line for `options`, or reading the results of an earlier run with the
   * same options. A last line cut short by a crash is dropped (its image is labeled again). Throws
   * {@link CheckpointMismatchError} for a checkpoint written with other options.
   */
  static async open(file: string, options: CheckpointOptions): Promise<LabelCheckpoint> {
    const header = { kind: CHECKPOINT_KIND, version: CHECKPOINT_VERSION, task: options.task, labels: [...options.labels], format: options.format };
    const results = new Map<string, DetectResult | SegmentResult>();
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (text === undefined || text.length === 0) {
      await writeFile(file, `${JSON.stringify(header)}\n`);
      return new LabelCheckpoint(file, results);
    }
    const complete = text.slice(0, text.lastIndexOf('\n') + 1);
    const lines = complete.split('\n').slice(0, -1);
    checkHeader(file, lines[0], header);
    lines.slice(1).forEach((line, index) => {
      const entry = parseLine(line);
      if (!entry) throw new Error(`line ${index + 2} of ${file} is not a checkpoint entry; delete the file to start over`);
      results.set(entry.path, entry.result);
    });
    // Drop the tail a crash left half-written, so the next line starts on a line of its own.
    if (Buffer.byteLength(complete) !== Buffer.byteLength(text)) await truncate(file, Buffer.byteLength(complete));
    return new LabelCheckpoint(file, results);
  }

  /** Records a labeled image; lines are written one at a time, in the order of the calls. */
  append(path: string, result: DetectResult | SegmentResult): Promise<void> {
    this.results.set(path, result);
    return this.lines.append(`${JSON.stringify({ path, result })}\n`);
  }

  close(): Promise<void> {
    return this.lines.close();
  }
}

function checkHeader(file: string, line: string | undefined, expected: CheckpointOptions & { kind: string; version: number }): void {
  let header: Partial<typeof expected> | undefined;
  try {
    header = JSON.parse(line ?? '');
  } catch {
    header = undefined;
  }
  if (header?.kind !== CHECKPOINT_KIND) throw new CheckpointMismatchError(`${file} is not a paligemma label checkpoint; move it away or choose another --out`);
  if (header.version !== CHECKPOINT_VERSION) throw new CheckpointMismatchError(`${file} was written by another version of paligemma label; delete it to start over`);
  const written = describeOptions(header as CheckpointOptions);
  const wanted = describeOptions(expected);
  if (written !== wanted) {
    throw new CheckpointMismatchError(`${file} holds results for "${written}", not "${wanted}": run with those options to resume it, or delete it to start over`);
  }
}

/** The options as the command line spells them, e.g. `--task detect --labels cat,dog --format coco`. */
function describeOptions(options: CheckpointOptions): string {
  return `--task ${options.task} --labels ${(options.labels ?? []).join(',')} --format ${options.format}`;
}

function parseLine(line: string): { path: string; result: DetectResult | SegmentResult } | undefined {
  try {
    const entry = JSON.parse(line);
    if (typeof entry?.path === 'string' && Array.isArray(entry?.result?.objects) && typeof entry.result.image?.width === 'number') return entry;
  } catch {
    // not JSON: reported by the caller
  }
  return undefined;
}
