/**
 * The labeling loop: keeps `concurrency` images in flight (the engine batches them), records each as it finishes,
 * goes on past images that fail, and stops admitting images when asked to or when the run itself fails.
 */
import { imageProblem } from './image-problem.js';

export interface LabelingSteps<Image, Result> {
  /** Labels one image; `signal` fires when in-flight images are abandoned. */
  label(image: Image, signal: AbortSignal): Promise<Result>;
  /** Records a result (the checkpoint); awaited before the image counts as done. */
  onLabeled(image: Image, result: Result): Promise<void>;
  /** Records an image that failed, with why. */
  onFailed(image: Image, reason: string): Promise<void>;
}

export interface LabelingOptions {
  /** Images in flight at once. */
  concurrency: number;
  /** No new image is admitted once this fires; those in flight finish and are recorded. */
  stop?: AbortSignal;
  /** In-flight images are abandoned once this fires: their calls are aborted and not recorded. */
  abandon?: AbortSignal;
}

export interface LabelingOutcome {
  labeled: number;
  failed: number;
  /** `done`: every image was tried; `stopped`: `stop` or `abandon` fired first; `failed`: see `error`. */
  end: 'done' | 'stopped' | 'failed';
  /** What stopped the run when `end` is `failed` (a failure not about one image). */
  error?: unknown;
}

/**
 * Runs `steps.label` over `images` in order with up to `concurrency` in flight. A failure that {@link imageProblem}
 * blames on the image is recorded with `onFailed` and the run goes on; any other failure stops admission, lets the
 * images in flight finish, and ends the run as `failed`.
 * @example
 * const outcome = await runLabeling(images, { concurrency: 8, stop: interrupt.signal }, {
 *   label: async (image, signal) => model.run('detect', await readFile(image.path), { labels, signal }),
 *   onLabeled: (image, result) => checkpoint.append(image.path, result),
 *   onFailed: (image, reason) => errors.record(image.name, reason),
 * });
 */
export async function runLabeling<Image, Result>(images: readonly Image[], options: LabelingOptions, steps: LabelingSteps<Image, Result>): Promise<LabelingOutcome> {
  const abandon = options.abandon ?? new AbortController().signal;
  let next = 0;
  let labeled = 0;
  let failed = 0;
  let runError: { error: unknown } | undefined;
  const admitting = () => next < images.length && !options.stop?.aborted && !abandon.aborted && !runError;
  const worker = async () => {
    while (admitting()) {
      const image = images[next];
      next += 1;
      let result: Result;
      try {
        result = await steps.label(image, abandon);
      } catch (error) {
        if (abandon.aborted) return;
        const problem = imageProblem(error);
        if (problem === undefined) {
          runError ??= { error };
          return;
        }
        failed += 1;
        await steps.onFailed(image, problem);
        continue;
      }
      // Recorded even when abandoning: the work is done, and the checkpoint keeps it.
      await steps.onLabeled(image, result);
      labeled += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, images.length)) }, worker));
  if (runError) return { labeled, failed, end: 'failed', error: runError.error };
  return { labeled, failed, end: next < images.length || abandon.aborted ? 'stopped' : 'done' };
}
