import { describe, expect, it } from 'vitest';
import { UpstreamPool } from './upstream-pool.js';

describe('UpstreamPool', () => {
  it('rotates the first upstream on every request and tries each once', () => {
    const pool = new UpstreamPool(['a', 'b', 'c']);
    expect([pool.attemptOrder(), pool.attemptOrder(), pool.attemptOrder(), pool.attemptOrder()]).toEqual([
      ['a', 'b', 'c'],
      ['b', 'c', 'a'],
      ['c', 'a', 'b'],
      ['a', 'b', 'c'],
    ]);
  });

  it('tries a failed upstream last until its cool-down is over, and at once when it answers again', () => {
    let time = 0;
    const pool = new UpstreamPool(['a', 'b', 'c'], 1000, () => time);
    pool.markFailed('a');
    expect(pool.attemptOrder()).toEqual(['b', 'c', 'a']);
    expect(pool.attemptOrder()).toEqual(['b', 'c', 'a']);
    time = 1001;
    expect(pool.attemptOrder()).toEqual(['c', 'a', 'b']);
    pool.markFailed('c');
    pool.markHealthy('c');
    expect(pool.attemptOrder()).toEqual(['a', 'b', 'c']);
  });
});
