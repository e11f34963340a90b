import { describe, expect, it } from 'vitest';
import { findChromium } from './find-chromium.js';

const nowhere = () => false;
const noDownload = () => false;

describe('findChromium', () => {
  it('takes PALIGEMMA_CHROMIUM first, and says when it is no executable', () => {
    const options = { playwrightCache: '/nonexistent', download: noDownload };
    expect(findChromium({ ...options, environment: { PALIGEMMA_CHROMIUM: '/opt/chrome' }, isExecutable: (path) => path === '/opt/chrome' })).toBe('/opt/chrome');
    expect(() => findChromium({ ...options, environment: { PALIGEMMA_CHROMIUM: '/opt/none' }, isExecutable: nowhere })).toThrow(
      'PALIGEMMA_CHROMIUM=/opt/none is not an executable file',
    );
  });

  it('finds the usual system paths', () => {
    const found = findChromium({ environment: {}, playwrightCache: '/nonexistent', download: noDownload, isExecutable: (path) => path === '/usr/bin/chromium-browser' });
    expect(found).toBe('/usr/bin/chromium-browser');
  });

  it('downloads one with Playwright when there is none, and uses it', () => {
    let downloaded = false;
    const found = findChromium({
      environment: {},
      playwrightCache: '/nonexistent',
      download: () => (downloaded = true),
      isExecutable: (path) => downloaded && path === '/usr/bin/google-chrome',
    });
    expect(found).toBe('/usr/bin/google-chrome');
  });

  it('stops with one line naming what to install when there is none and no download', () => {
    expect(() => findChromium({ environment: {}, playwrightCache: '/nonexistent', download: noDownload, isExecutable: nowhere })).toThrow(
      /^no Chromium for the browser tests: install one \(Debian\/Ubuntu: apt-get install chromium; or pnpm exec playwright-core install chromium\), or set PALIGEMMA_CHROMIUM=/,
    );
  });

  it('finds a real browser on this machine', () => {
    expect(findChromium()).toMatch(/chrom/i);
  });
});
