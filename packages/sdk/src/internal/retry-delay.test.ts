import { describe, expect, it } from 'vitest';
import { MAX_RETRY_DELAY_MS, retryDelayMs } from './retry-delay.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');

describe('retryDelayMs', () => {
  it.each([
    [{ 'retry-after-ms': '250' }, 250],
    [{ 'retry-after-ms': '1500.5', 'retry-after': '9' }, 1500.5],
    [{ 'retry-after': '2' }, 2000],
    [{ 'retry-after': '0' }, 0],
    [{ 'retry-after': '0.5' }, 500],
    [{ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }, 30_000],
    [{ 'retry-after': '60' }, 60_000],
  ])('honours %j → %d ms', (headers, expected) => {
    expect(retryDelayMs(new Headers(headers), 0, NOW)).toBe(expected);
  });

  it.each([
    [{ 'retry-after': '61' }],
    [{ 'retry-after': '-1' }],
    [{ 'retry-after': 'soon' }],
    [{ 'retry-after': 'Thu, 01 Jan 2026 00:05:00 GMT' }],
    [{ 'retry-after-ms': '600000' }],
    [{}],
  ])('falls back to backoff for %j', (headers) => {
    const delay = retryDelayMs(new Headers(headers), 0, NOW);
    expect(delay).toBeGreaterThan(500 * 0.75 - 1e-9);
    expect(delay).toBeLessThanOrEqual(500);
  });

  it.each([
    [0, 500],
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [4, 8000],
    [10, MAX_RETRY_DELAY_MS],
  ])('backoff after %d retries is %d ms minus up to 25 %% jitter', (retries, step) => {
    for (let sample = 0; sample < 50; sample++) {
      const delay = retryDelayMs(undefined, retries, NOW);
      expect(delay).toBeGreaterThan(step * 0.75 - 1e-9);
      expect(delay).toBeLessThanOrEqual(step);
    }
  });
});
