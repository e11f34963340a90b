import { describe, expect, it } from 'vitest';
import { randomSeed, seededRandom } from './seeded-random.js';

const draws = (seed: number, count: number) => {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => random());
};

describe('seededRandom', () => {
  it('gives the same numbers for the same seed, and other numbers for another seed', () => {
    expect(draws(42, 100)).toEqual(draws(42, 100));
    for (const [left, right] of [[42, 43], [0, 1], [1, 2 ** 32 + 1], [-1, 2 ** 32 - 1], [2 ** 40, 2 ** 40 + 2 ** 32]]) {
      expect(draws(left, 8), `${left} vs ${right}`).not.toEqual(draws(right, 8));
    }
  });

  it('draws in [0, 1), spread evenly', () => {
    const values = draws(7, 20_000);
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(mean).toBeGreaterThan(0.49);
    expect(mean).toBeLessThan(0.51);
    const tenths = new Array(10).fill(0);
    for (const value of values) tenths[Math.floor(value * 10)]++;
    for (const count of tenths) expect(Math.abs(count - 2_000)).toBeLessThan(200);
  });

  it('makes fresh seeds that are safe integers and differ', () => {
    const seeds = Array.from({ length: 20 }, randomSeed);
    expect(seeds.every(Number.isSafeInteger)).toBe(true);
    expect(new Set(seeds).size).toBe(20);
  });
});
