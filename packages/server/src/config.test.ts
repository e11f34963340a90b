import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL } from '@paligemma/core/settings';
import { ConfigError, DEFAULT_HOST, DEFAULT_MAX_QUEUE, DEFAULT_PORT, resolveServerConfig } from './config.js';

describe('resolveServerConfig', () => {
  it('uses the named defaults when nothing is set', () => {
    const config = resolveServerConfig({}, {});
    expect(config).toMatchObject({ model: DEFAULT_MODEL, host: DEFAULT_HOST, port: DEFAULT_PORT, maxQueue: DEFAULT_MAX_QUEUE });
    expect(config.apiKeys).toEqual([]);
    expect(config.allowPrivateUrls).toBe(false);
  });

  it('prefers an option over the environment over the default', () => {
    const environment = { PORT: '9000', PALIGEMMA_MAX_QUEUE: '3', PALIGEMMA_API_KEYS: ' a, b ,,c ' };
    const config = resolveServerConfig({ port: 0 }, environment);
    expect(config.port).toBe(0);
    expect(config.maxQueue).toBe(3);
    expect(config.apiKeys).toEqual(['a', 'b', 'c']);
  });

  it('reads PALIGEMMA_Q4_ACCURACY_LEVEL as a level or keep, and leaves the choice to core when unset', () => {
    expect(resolveServerConfig({}, { PALIGEMMA_Q4_ACCURACY_LEVEL: '0' }).q4AccuracyLevel).toBe(0);
    expect(resolveServerConfig({}, { PALIGEMMA_Q4_ACCURACY_LEVEL: 'keep' }).q4AccuracyLevel).toBe('keep');
    expect(resolveServerConfig({}, {}).q4AccuracyLevel).toBeUndefined();
  });

  it.each([
    ['yes', true],
    ['1', true],
    ['false', false],
    ['0', false],
  ])('reads PALIGEMMA_ALLOW_PRIVATE_URLS=%s as %s', (text, expected) => {
    expect(resolveServerConfig({}, { PALIGEMMA_ALLOW_PRIVATE_URLS: text }).allowPrivateUrls).toBe(expected);
  });

  it('reads PALIGEMMA_CORS_ORIGINS as * or origins in the form browsers send them, and as none when unset', () => {
    expect(resolveServerConfig({}, {}).corsOrigins).toEqual([]);
    expect(resolveServerConfig({}, { PALIGEMMA_CORS_ORIGINS: ' * ' }).corsOrigins).toEqual(['*']);
    const listed = resolveServerConfig({}, { PALIGEMMA_CORS_ORIGINS: 'https://App.Example.com/, http://localhost:5173,https://b.example.com:443' });
    expect(listed.corsOrigins).toEqual(['https://app.example.com', 'http://localhost:5173', 'https://b.example.com']);
    expect(resolveServerConfig({ corsOrigins: ['http://127.0.0.1:3000'] }, {}).corsOrigins).toEqual(['http://127.0.0.1:3000']);
  });

  it.each([
    [{ PALIGEMMA_CORS_ORIGINS: 'https://app.example.com/path' }, /corsOrigins \(PALIGEMMA_CORS_ORIGINS\) = .*expected \* or origins such as https:\/\/app\.example\.com, not "https:\/\/app\.example\.com\/path"/],
    [{ PALIGEMMA_CORS_ORIGINS: 'app.example.com' }, /corsOrigins .*not "app\.example\.com"/],
    [{ PALIGEMMA_CORS_ORIGINS: '*,https://app.example.com' }, /corsOrigins .*expected \* alone/],
    [{ PORT: 'eighty' }, /port \(PORT\) = "eighty"/],
    [{ PORT: '70000' }, /port \(PORT\)/],
    [{ PALIGEMMA_DEVICE: 'tpu' }, /device \(PALIGEMMA_DEVICE\) = "tpu"/],
    [{ PALIGEMMA_Q4_ACCURACY_LEVEL: '5' }, /q4AccuracyLevel \(PALIGEMMA_Q4_ACCURACY_LEVEL\) = "5": expected 0, 1, 2, 3, 4 or keep/],
    [{ PALIGEMMA_MAX_IN_FLIGHT: '0' }, /maxInFlight \(PALIGEMMA_MAX_IN_FLIGHT\)/],
    [{ PALIGEMMA_ALLOW_PRIVATE_URLS: 'maybe' }, /allowPrivateUrls/],
  ])('refuses %j with one line naming the option and variable', (environment, message) => {
    let thrown: unknown;
    try {
      resolveServerConfig({}, environment);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as Error).message).not.toContain('\n');
  });

  it('never prints API keys in errors', () => {
    expect(() => resolveServerConfig({ apiKeys: 42 as unknown as string }, {})).toThrow(/apiKeys \(PALIGEMMA_API_KEYS\) = \(hidden\)/);
  });
});
