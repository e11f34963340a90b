import { describe, expect, it } from 'vitest';
import { GenerationQueue } from './generation-queue.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('GenerationQueue', () => {
  it('admits up to maxInFlight at once and the rest in arrival order', async () => {
    const queue = new GenerationQueue({ maxInFlight: 2, maxQueue: 5, queueTimeoutMs: 1_000 });
    const order: number[] = [];
    const releases = await Promise.all([queue.acquire(), queue.acquire()]);
    const waiting = [3, 4, 5].map((id) => queue.acquire().then((release) => (order.push(id), release)));
    await tick();
    expect({ inFlight: queue.inFlight, waiting: queue.waiting }).toEqual({ inFlight: 2, waiting: 3 });
    releases[0]();
    releases[0](); // a second call is ignored
    const third = await waiting[0];
    expect({ inFlight: queue.inFlight, waiting: queue.waiting }).toEqual({ inFlight: 2, waiting: 2 });
    releases[1]();
    third();
    for (const release of await Promise.all(waiting.slice(1))) release();
    expect(order).toEqual([3, 4, 5]);
    expect({ inFlight: queue.inFlight, waiting: queue.waiting }).toEqual({ inFlight: 0, waiting: 0 });
  });

  it('refuses with 429 and Retry-After when the line is full', async () => {
    const queue = new GenerationQueue({ maxInFlight: 1, maxQueue: 1, queueTimeoutMs: 1_000 });
    const release = await queue.acquire();
    const waiter = queue.acquire();
    await expect(queue.acquire()).rejects.toMatchObject({ status: 429, code: 'rate_limited', headers: { 'Retry-After': expect.stringMatching(/^\d+$/) } });
    release();
    (await waiter)();
  });

  it('refuses with 429 after waiting queueTimeoutMs, and leaves the line', async () => {
    const queue = new GenerationQueue({ maxInFlight: 1, maxQueue: 1, queueTimeoutMs: 50 });
    const release = await queue.acquire();
    await expect(queue.acquire()).rejects.toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/within 50 ms/) });
    expect(queue.waiting).toBe(0);
    release();
    expect(queue.inFlight).toBe(0);
  });

  it('lets an aborted waiter leave with the signal’s reason', async () => {
    const queue = new GenerationQueue({ maxInFlight: 1, maxQueue: 1, queueTimeoutMs: 1_000 });
    const release = await queue.acquire();
    const controller = new AbortController();
    const waiter = queue.acquire(controller.signal);
    controller.abort(new Error('gone'));
    await expect(waiter).rejects.toThrow('gone');
    expect(queue.waiting).toBe(0);
    release();
    expect(queue.inFlight).toBe(0);
  });

  it('reports changes for the gauges', async () => {
    const states: string[] = [];
    const queue = new GenerationQueue({ maxInFlight: 1, maxQueue: 1, queueTimeoutMs: 1_000, onChange: (state) => states.push(`${state.inFlight}/${state.waiting}`) });
    const release = await queue.acquire();
    const waiter = queue.acquire();
    release();
    (await waiter)();
    expect(states).toEqual(['1/0', '1/1', '1/0', '0/0']);
  });
});
