import { ImageDecodeError } from '@paligemma/core/image';
import { describe, expect, it } from 'vitest';
import { ImageFileError } from './image-problem.js';
import { runLabeling } from './run-labeling.js';

/** A label step whose calls finish when the test says so, to control what is in flight. */
function controlledSteps() {
  const calls = new Map<number, { resolve: (value: string) => void; reject: (error: unknown) => void }>();
  const events: string[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  return {
    events,
    mostInFlight: () => mostInFlight,
    started: () => [...calls.keys()],
    finish: (image: number) => calls.get(image)?.resolve(`result ${image}`),
    fail: (image: number, error: unknown) => calls.get(image)?.reject(error),
    steps: {
      label: (image: number, signal: AbortSignal) =>
        new Promise<string>((resolve, reject) => {
          inFlight += 1;
          mostInFlight = Math.max(mostInFlight, inFlight);
          const done = () => (inFlight -= 1);
          calls.set(image, { resolve: (value) => (done(), resolve(value)), reject: (error) => (done(), reject(error)) });
          signal.addEventListener('abort', () => (done(), reject(signal.reason)), { once: true });
        }),
      onLabeled: async (image: number, result: string) => void events.push(`labeled ${image}: ${result}`),
      onFailed: async (image: number, reason: string) => void events.push(`failed ${image}: ${reason}`),
    },
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('runLabeling', () => {
  it('keeps `concurrency` images in flight, admits them in order, and records each as it finishes', async () => {
    const control = controlledSteps();
    const run = runLabeling([1, 2, 3, 4, 5], { concurrency: 2 }, control.steps);
    await tick();
    expect(control.started()).toEqual([1, 2]);
    control.finish(2);
    await tick();
    expect(control.started()).toEqual([1, 2, 3]);
    for (const image of [1, 3, 4, 5]) {
      control.finish(image);
      await tick();
    }
    expect(await run).toEqual({ labeled: 5, failed: 0, end: 'done' });
    expect(control.mostInFlight()).toBe(2);
    expect(control.events).toEqual(['labeled 2: result 2', 'labeled 1: result 1', 'labeled 3: result 3', 'labeled 4: result 4', 'labeled 5: result 5']);
  });

  it('records an image that cannot be read or decoded and goes on', async () => {
    const control = controlledSteps();
    const run = runLabeling([1, 2, 3], { concurrency: 1 }, control.steps);
    await tick();
    control.fail(1, new ImageFileError('permission denied'));
    await tick();
    control.fail(2, new ImageDecodeError('invalid_image', 'corrupt JPEG'));
    await tick();
    control.finish(3);
    expect(await run).toEqual({ labeled: 1, failed: 2, end: 'done' });
    expect(control.events).toEqual(['failed 1: permission denied', 'failed 2: corrupt JPEG', 'labeled 3: result 3']);
  });

  it('stops admitting on a failure that is not about an image; the images in flight still finish and are recorded', async () => {
    const control = controlledSteps();
    const run = runLabeling([1, 2, 3, 4], { concurrency: 2 }, control.steps);
    await tick();
    const down = new Error('connect ECONNREFUSED');
    control.fail(1, down);
    await tick();
    control.finish(2);
    expect(await run).toEqual({ labeled: 1, failed: 0, end: 'failed', error: down });
    expect(control.started()).toEqual([1, 2]);
    expect(control.events).toEqual(['labeled 2: result 2']);
  });

  it('on stop: admits nothing more and lets the images in flight finish', async () => {
    const control = controlledSteps();
    const stop = new AbortController();
    const run = runLabeling([1, 2, 3, 4], { concurrency: 2, stop: stop.signal }, control.steps);
    await tick();
    stop.abort();
    control.finish(1);
    control.finish(2);
    expect(await run).toEqual({ labeled: 2, failed: 0, end: 'stopped' });
    expect(control.started()).toEqual([1, 2]);
  });

  it('on abandon: aborts the images in flight and records none of them', async () => {
    const control = controlledSteps();
    const abandon = new AbortController();
    const run = runLabeling([1, 2, 3], { concurrency: 2, abandon: abandon.signal }, control.steps);
    await tick();
    control.finish(1);
    await tick();
    abandon.abort();
    expect(await run).toEqual({ labeled: 1, failed: 0, end: 'stopped' });
    expect(control.events).toEqual(['labeled 1: result 1']);
  });
});
