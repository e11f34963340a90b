import { describe, expect, it } from 'vitest';
import { argmax } from './argmax.js';
import { sampleToken, type SamplingParameters } from './sample-token.js';
import { seededRandom } from './seeded-random.js';

/** Logits whose softmax (at temperature 1) is `probabilities`. */
const logitsOf = (probabilities: number[]) => Float32Array.from(probabilities, (probability) => Math.log(probability));

/** How often each token is drawn in `count` draws. */
function frequencies(logits: Float32Array, sampling: SamplingParameters, count = 20_000, seed = 1): Map<number, number> {
  const random = seededRandom(seed);
  const counts = new Map<number, number>();
  for (let draw = 0; draw < count; draw++) {
    const token = sampleToken(logits, sampling, random);
    counts.set(token, (counts.get(token) ?? 0) + 1);
  }
  return new Map([...counts].map(([token, seen]) => [token, seen / count]));
}

describe('sampleToken', () => {
  it('is argmax without a temperature or at temperature 0, and never draws a random number then', () => {
    const random = () => {
      throw new Error('greedy choices draw nothing');
    };
    const logits = Float32Array.from({ length: 1_000 }, (_, index) => Math.sin(index * 12.9898) * 10);
    for (const sampling of [{}, { temperature: 0 }, { temperature: 0, topP: 0.1, topK: 3 }]) {
      expect(sampleToken(logits, sampling, random)).toBe(argmax(logits));
    }
  });

  it('draws by probability at temperature 1, and flattens or sharpens with the temperature', () => {
    const logits = logitsOf([0.25, 0.75]);
    expect(frequencies(logits, { temperature: 1 }).get(0)).toBeCloseTo(0.25, 1);
    // T = 2: weights 0.5 : 0.866 → 0.366; T = 0.5: 0.0625 : 0.5625 → 0.1.
    expect(frequencies(logits, { temperature: 2 }).get(0)).toBeCloseTo(0.366, 1);
    expect(frequencies(logits, { temperature: 0.5 }).get(0)).toBeCloseTo(0.1, 1);
  });

  it('keeps the smallest set of tokens whose probability reaches topP', () => {
    const logits = logitsOf([0.5, 0.3, 0.15, 0.05]);
    expect([...frequencies(logits, { temperature: 1, topP: 0.5 }).keys()]).toEqual([0]);
    const top2 = frequencies(logits, { temperature: 1, topP: 0.7 });
    expect([...top2.keys()].sort()).toEqual([0, 1]);
    expect(top2.get(0)).toBeCloseTo(0.5 / 0.8, 1);
    expect([...frequencies(logits, { temperature: 1, topP: 0.9 }).keys()].sort()).toEqual([0, 1, 2]);
  });

  it('keeps topK tokens, then topP of what topK kept', () => {
    const logits = logitsOf([0.4, 0.3, 0.2, 0.1]);
    expect([...frequencies(logits, { temperature: 1, topK: 1 }).keys()]).toEqual([0]);
    expect([...frequencies(logits, { temperature: 1, topK: 3 }).keys()].sort()).toEqual([0, 1, 2]);
    // Top 2 carry 0.4 and 0.3: 0.5 of that is reached by token 0 alone.
    expect([...frequencies(logits, { temperature: 1, topK: 2, topP: 0.5 }).keys()]).toEqual([0]);
  });

  it('cuts exactly inside a bucket of similar weights, on a long tail', () => {
    // Token i has weight e^(-i/20) at temperature 10 (80 tokens per bucket): the top 40 carry 86 % of the mass.
    const logits = Float32Array.from({ length: 5_000 }, (_, index) => -index * 0.5);
    const withTopK = frequencies(logits, { temperature: 10, topK: 40 }, 3_000);
    expect(Math.max(...withTopK.keys())).toBeLessThan(40);
    expect([...withTopK.keys()].some((token) => token >= 30)).toBe(true);
    const withoutTopK = frequencies(logits, { temperature: 10 }, 3_000);
    expect(Math.max(...withoutTopK.keys())).toBeGreaterThanOrEqual(40);
    const withTopP = frequencies(logits, { temperature: 10, topP: 0.5 }, 3_000);
    // Mass 0.5 is reached after 14 tokens (1 - e^(-14/20) ≈ 0.503).
    expect(Math.max(...withTopP.keys())).toBe(13);
  });

  it('never draws a masked token, and leaves the logits as they were', () => {
    const logits = Float32Array.of(1, -Infinity, 1, -Infinity);
    const before = logits.slice();
    for (const sampling of [{ temperature: 1 }, { temperature: 1, topK: 3 }, { temperature: 5, topP: 0.99 }]) {
      const drawn = frequencies(logits, sampling, 2_000);
      expect([...drawn.keys()].sort()).toEqual([0, 2]);
    }
    expect(logits).toEqual(before);
  });

  it('gives the same tokens for the same seed', () => {
    const logits = Float32Array.from({ length: 2_753 }, (_, index) => Math.cos(index) * 3);
    const run = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 50 }, () => sampleToken(logits, { temperature: 1, topP: 0.9, topK: 50 }, random));
    };
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
  });
});
