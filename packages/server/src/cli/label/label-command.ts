/**
 * `paligemma label <image files or folders…> --labels a,b --out <path>`: runs detect or segment over many images and
 * writes a dataset (COCO, YOLO or JSON Lines), with progress, a checkpoint to resume from and an errors file.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_MAX_BATCH_SIZE } from '@paligemma/core/settings';
import { type DetectResult, type SegmentResult, TASK_ROUTES, type TaskRoute } from '@paligemma/sdk/contract';
import { describeError } from '@paligemma/sdk/internal';
import type { CliCommand, CliIo } from '../cli-command.js';
import { CliUsageError, answerUsageError } from '../cli-usage-error.js';
import { checkRequestFields, parseNumberFlag } from '../check-request-fields.js';
import { type ProgressOutput, stderrProgressOutput } from '../download-progress.js';
import { FAILURE_EXIT_CODE, SOME_IMAGES_FAILED_EXIT_CODE, USAGE_EXIT_CODE, interruptedExitCode } from '../exit-codes.js';
import { type TaskRunner, openTaskRunner } from '../open-task-runner.js';
import { type FlagSpec, TARGET_FLAGS, type TaskTarget, parseArgsOptions, taskTargetFromFlags, usageLines } from '../target-flags.js';
import { type DroppedObjects, type LabelTask, annotationObjects } from './annotation-objects.js';
import { ErrorsFile } from './errors-file.js';
import { ImageFileError } from './image-problem.js';
import { CheckpointMismatchError, LabelCheckpoint } from './label-checkpoint.js';
import { type LabelCounts, countOf, labelProgress } from './label-progress.js';
import { IMAGE_EXTENSIONS, type ImageFile, type ImageListing, describeFileError, listImages } from './list-images.js';
import { type LabelFormat, OUTPUT_FORMATS } from './output-formats.js';
import { runLabeling } from './run-labeling.js';

/** Images in flight when `--concurrency` is not given: the engine's default batch size, so a batch is full. */
const DEFAULT_LABEL_CONCURRENCY = DEFAULT_MAX_BATCH_SIZE;
/**
 * Most images in flight: each holds its bytes, its decoded pixels and a batch row of keys and values; past a few
 * dozen rows a batch step costs as much as the rows it adds, so more only uses memory.
 */
const MAX_LABEL_CONCURRENCY = 64;
const TASKS: readonly LabelTask[] = ['detect', 'segment'];

const FLAGS = {
  labels: { type: 'string', multiple: true, usage: 'what to find, comma-separated, in class order (may be repeated)', value: '<a,b,…>' },
  out: { type: 'string', usage: 'the dataset: a file (coco, jsonl) or a folder (yolo)', value: '<path>' },
  task: { type: 'string', usage: 'detect (boxes) or segment (masks as polygons) (default detect)', value: '<task>' },
  format: { type: 'string', usage: 'coco, yolo or jsonl (default coco)', value: '<format>' },
  concurrency: { type: 'string', usage: `images in flight; the engine batches them (default ${DEFAULT_LABEL_CONCURRENCY}, at most ${MAX_LABEL_CONCURRENCY})`, value: '<n>' },
  'max-new-tokens': { type: 'string', usage: 'cap on generated tokens per image (default: the task\'s)', value: '<n>' },
  ...TARGET_FLAGS,
} satisfies Record<string, FlagSpec>;

/** A checked command line. */
interface LabelOptions {
  inputs: string[];
  labels: string[];
  task: LabelTask;
  format: LabelFormat;
  out: string;
  concurrency: number;
  maxNewTokens?: number;
  target: TaskTarget;
}

const usage = `Usage: paligemma label <image files or folders…> --labels <a,b,…> --out <path> [options]
Runs detect or segment on every image and writes a dataset. Folders are walked recursively for
${IMAGE_EXTENSIONS.join(' ')} files (names starting with "." are skipped), in name order.
Options:
${usageLines(FLAGS)}
Formats:
${Object.entries(OUTPUT_FORMATS).map(([name, format]) => `  ${name.padEnd(8)}${format.description}`).join('\n')}
Each labeled image is appended to <out>.checkpoint.jsonl as it finishes: run the same command again to resume
(finished images are skipped). Images that cannot be read or decoded are listed in <out>.errors.jsonl.
Ctrl-C stops admitting images and finishes those in flight; a second Ctrl-C abandons them.
Exit codes: 0 every image labeled, ${FAILURE_EXIT_CODE} the run failed, ${USAGE_EXIT_CODE} the command line is wrong,
${SOME_IMAGES_FAILED_EXIT_CODE} done but some images failed (see the errors file), ${interruptedExitCode('SIGINT')} interrupted (resume later).
`;

/**
 * The label subcommand.
 * @example paligemma label photos/ --labels cat,dog --out cats.json --concurrency 8
 */
export const labelCommand: CliCommand = {
  name: 'label',
  summary: 'Label a folder of images with detect or segment; write COCO, YOLO or JSON Lines (resumable)',
  usage,
  async run(args, io) {
    let options: LabelOptions;
    try {
      options = parseLabelCommandLine(args);
    } catch (error) {
      return answerUsageError(io, 'label', error);
    }
    return labelImages(options, io);
  },
};

/**
 * Checks the command line; throws {@link CliUsageError} (or the parser's error) with one line.
 * @example parseLabelCommandLine(['photos', '--labels', 'cat,dog', '--out', 'cats.json']).labels // ['cat', 'dog']
 */
function parseLabelCommandLine(args: string[]): LabelOptions {
  const { values, positionals } = parseArgs({ args, options: parseArgsOptions(FLAGS), strict: true, allowPositionals: true });
  if (positionals.length === 0) throw new CliUsageError('missing <image files or folders…>');
  if (values.labels === undefined) throw new CliUsageError('missing --labels');
  if (typeof values.out !== 'string') throw new CliUsageError('missing --out');
  const labels = (values.labels as string[]).flatMap((value) => value.split(',')).map((label) => label.trim());
  const task = (values.task ?? 'detect') as LabelTask;
  if (!TASKS.includes(task)) throw new CliUsageError(`--task: expected detect or segment, got ${JSON.stringify(values.task)}`);
  const format = (values.format ?? 'coco') as LabelFormat;
  if (!Object.hasOwn(OUTPUT_FORMATS, format)) throw new CliUsageError(`--format: expected ${Object.keys(OUTPUT_FORMATS).join(', ')}, got ${JSON.stringify(values.format)}`);
  const concurrency = parseNumberFlag('concurrency', values.concurrency as string | undefined) ?? DEFAULT_LABEL_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_LABEL_CONCURRENCY) {
    throw new CliUsageError(`--concurrency: expected a whole number from 1 to ${MAX_LABEL_CONCURRENCY}, got ${values.concurrency}`);
  }
  const request = checkRequestFields((TASK_ROUTES[task] as TaskRoute).request.omit({ image: true }), { labels, maxNewTokens: parseNumberFlag('max-new-tokens', values['max-new-tokens'] as string | undefined) });
  const seen = new Set<string>();
  for (const label of labels) {
    const key = label.toLowerCase();
    if (seen.has(key)) throw new CliUsageError(`--labels: ${JSON.stringify(label)} is listed twice (each label is one class)`);
    seen.add(key);
  }
  return { inputs: positionals, labels, task, format, out: values.out, concurrency, maxNewTokens: request.maxNewTokens as number | undefined, target: taskTargetFromFlags(values) };
}

/**
 * Runs a checked command line: lists the images, resumes from the checkpoint, labels the rest, writes the dataset;
 * resolves to the exit code.
 */
async function labelImages(options: LabelOptions, io: CliIo): Promise<number> {
  const fail = (message: string, code = FAILURE_EXIT_CODE) => {
    io.stderr(`paligemma label: ${message}\n`);
    return code;
  };
  const format = OUTPUT_FORMATS[options.format];
  const out = resolve(options.out);
  const { task, labels, concurrency } = options;
  try {
    await format.checkOut(out);
  } catch (error) {
    return fail(describeError(error), USAGE_EXIT_CODE);
  }
  let listing: ImageListing;
  try {
    listing = await listImages(options.inputs, { exclude: [out] });
  } catch (error) {
    return fail(describeError(error));
  }
  const { images } = listing;
  if (images.length === 0 && listing.unreadable.length === 0) {
    return fail(`no images in ${options.inputs.join(', ')} (looked for ${IMAGE_EXTENSIONS.join(' ')})`);
  }
  let checkpoint: LabelCheckpoint;
  try {
    await mkdir(dirname(out), { recursive: true });
    checkpoint = await LabelCheckpoint.open(`${out}.checkpoint.jsonl`, { task, labels, format: options.format });
  } catch (error) {
    return fail(describeError(error), error instanceof CheckpointMismatchError ? USAGE_EXIT_CODE : FAILURE_EXIT_CODE);
  }
  const errors = await ErrorsFile.start(`${out}.errors.jsonl`);
  const progressOutput = stderrProgressOutput(io);
  const conflicts = format.conflicts?.(images.map((image) => image.name)) ?? new Map<string, string>();
  const eligible = images.filter((image) => !conflicts.has(image.name));
  const todo = eligible.filter((image) => !checkpoint.results.has(image.path));
  const alreadyDone = eligible.length - todo.length;
  let labeledNow = 0;
  let seconds = 0;
  try {
    for (const { name, reason } of listing.unreadable) await errors.record(name, `cannot read the folder: ${reason}`);
    for (const [name, reason] of conflicts) await errors.record(name, reason);
    for (const line of [...listing.unreadable.map(({ name, reason }) => `skipped folder ${name}: ${reason}`), ...[...conflicts].map(([name, reason]) => `skipped ${name}: ${reason}`)]) {
      io.stderr(`${line}\n`);
    }
    if (alreadyDone > 0) io.stderr(`resuming from ${checkpoint.file}: ${alreadyDone} of ${images.length} images already labeled, skipping them\n`);
    if (todo.length > 0) {
      let runner: TaskRunner;
      try {
        runner = await openTaskRunner(options.target, { progress: progressOutput, concurrency });
      } catch (error) {
        return fail(describeError(error));
      }
      io.stderr(`labeling ${countOf(todo.length, 'image')} (${task}: ${labels.join(', ')}) on ${runner.where === 'local' ? 'the model in this process' : runner.where}, ${concurrency} at a time\n`);
      const started = performance.now();
      const outcome = await labelWithSignals(todo, options, runner, checkpoint, errors, progressOutput, { total: images.length, alreadyDone: alreadyDone + errors.count })
        .finally(() => runner.close().catch(() => {}));
      seconds = (performance.now() - started) / 1000;
      labeledNow = outcome.labeled;
      if (outcome.end !== 'done') {
        const kept = `${checkpoint.results.size} labeled images are kept in ${checkpoint.file}; run the same command to go on`;
        if (outcome.signal) return fail(`interrupted: ${kept}`, interruptedExitCode(outcome.signal));
        return fail(`stopped: ${describeError(outcome.error)}; ${kept}`);
      }
    }
  } finally {
    await Promise.all([checkpoint.close(), errors.close()]);
  }

  const labeled = eligible.filter((image) => checkpoint.results.has(image.path));
  let dropped: DroppedObjects | undefined;
  try {
    dropped = await format.write({
      task,
      labels,
      out,
      images: labeled.map((image) => ({ ...image, result: checkpoint.results.get(image.path) as DetectResult | SegmentResult })),
    });
  } catch (error) {
    return fail(`could not write ${out}: ${describeError(error)}; the results are kept in ${checkpoint.file}`);
  }
  const objects = labeled.reduce((sum, image) => sum + annotationObjects(checkpoint.results.get(image.path) as DetectResult, task, labels).objects.length, 0);
  const fromCheckpoint = labeled.length - labeledNow;
  const thisRun = labeledNow === 0 ? 'all from the checkpoint' : `${labeledNow} now in ${seconds.toFixed(1)} s, ${(labeledNow / seconds).toFixed(2)} images/s${fromCheckpoint > 0 ? `, ${fromCheckpoint} from the checkpoint` : ''}`;
  io.stdout(`labeled ${countOf(labeled.length, 'image')} (${thisRun}), ${countOf(objects, 'object')} → ${out}\n`);
  const droppedLine = dropped && describeDropped(dropped);
  if (droppedLine) io.stdout(`left out ${droppedLine}\n`);
  if (errors.count === 0) return 0;
  io.stderr(`paligemma label: ${countOf(errors.count, 'image')} could not be labeled: see ${errors.file}\n`);
  return SOME_IMAGES_FAILED_EXIT_CODE;
}

/**
 * The labeling loop with Ctrl-C (SIGINT) and SIGTERM handled: the first stops admitting images and lets those in
 * flight finish, the second abandons them. The checkpoint keeps everything recorded either way.
 */
async function labelWithSignals(
  todo: readonly ImageFile[], options: LabelOptions, runner: TaskRunner, checkpoint: LabelCheckpoint, errors: ErrorsFile,
  output: ProgressOutput, start: { total: number; alreadyDone: number },
) {
  const { task, labels, maxNewTokens } = options;
  const progress = labelProgress(output, start);
  const counts: LabelCounts = { done: start.alreadyDone, total: start.total, objects: 0, failed: errors.count };
  const stop = new AbortController();
  const abandon = new AbortController();
  let signal: 'SIGINT' | 'SIGTERM' | undefined;
  const onSignal = (received: 'SIGINT' | 'SIGTERM') => {
    if (signal === undefined) {
      signal = received;
      stop.abort();
      progress.note(`${received}: finishing the images in flight (their results are kept); press Ctrl-C again to abandon them`);
    } else if (!abandon.signal.aborted) {
      progress.note(`${received} again: abandoning the images in flight`);
      abandon.abort();
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const outcome = await runLabeling(todo, { concurrency: options.concurrency, stop: stop.signal, abandon: abandon.signal }, {
      async label(image, abort) {
        const bytes = await readFile(image.path).catch((error: NodeJS.ErrnoException) => {
          throw new ImageFileError(`cannot read the file: ${describeFileError(error)}`);
        });
        return (await runner.tasks.run(task, bytes, { labels, maxNewTokens, signal: abort })) as DetectResult | SegmentResult;
      },
      async onLabeled(image, result) {
        await checkpoint.append(image.path, result);
        counts.done += 1;
        counts.objects += annotationObjects(result, task, labels).objects.length;
        progress.update(counts);
      },
      async onFailed(image, reason) {
        await errors.record(image.name, reason);
        counts.done += 1;
        counts.failed = errors.count;
        progress.note(`skipped ${image.name}: ${reason}`);
        progress.update(counts);
      },
    });
    progress.finish();
    return { ...outcome, signal };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** `3 objects: 2 with a label not in --labels, 1 repeated`, or `undefined` when nothing was left out. */
function describeDropped(dropped: DroppedObjects): string | undefined {
  const reasons = [
    [dropped.otherLabel, 'with a label not in --labels'],
    [dropped.emptyBox, 'with an empty box'],
    [dropped.noOutline, 'with no mask outline of 3 points'],
    [dropped.repeated, 'repeated (same label and box)'],
  ] as const;
  const total = reasons.reduce((sum, [count]) => sum + count, 0);
  if (total === 0) return undefined;
  return `${countOf(total, 'object')}: ${reasons.filter(([count]) => count > 0).map(([count, why]) => `${count} ${why}`).join(', ')}`;
}
