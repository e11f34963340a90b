import { describe, expect, it } from 'vitest';
import { ExclusiveRunner } from './exclusive-runner.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('ExclusiveRunner', () => {
  it('runs jobs one at a time in order', async () => {
    const runner = new ExclusiveRunner();
    const events: string[] = [];
    const job = (name: string) => async () => {
      events.push(`start ${name}`);
      await sleep(5);
      events.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all([runner.run(job('a')), runner.run(job('b')), runner.run(job('c'))]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('keeps going after a job fails', async () => {
    const runner = new ExclusiveRunner();
    await expect(runner.run(async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    await expect(runner.run(async () => 'ok')).resolves.toBe('ok');
  });

  it('lets a waiting job leave when its signal aborts, without running it', async () => {
    const runner = new ExclusiveRunner();
    let ran = false;
    const first = runner.run(() => sleep(50));
    const controller = new AbortController();
    const second = runner.run(async () => { ran = true; }, controller.signal);
    expect(runner.waiting).toBe(1);
    controller.abort(new Error('gone'));
    await expect(second).rejects.toThrow('gone');
    expect(runner.waiting).toBe(0);
    await first;
    await runner.run(async () => undefined);
    expect(ran).toBe(false);
  });
});
