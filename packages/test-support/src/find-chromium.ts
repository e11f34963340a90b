/**
 * Finds a Chromium for the browser tests: an explicit path, Playwright's own download, or the usual system places;
 * where none is there, Playwright downloads one if the network allows, or the error says in one line what to do.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** Where a system install puts Chromium or Chrome (Debian/Ubuntu, Fedora, Arch, Homebrew casks, macOS apps). */
const SYSTEM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

/** The variable that names a browser explicitly. */
export const CHROMIUM_PATH_VARIABLE = 'PALIGEMMA_CHROMIUM';

export interface FindChromiumOptions {
  environment?: Record<string, string | undefined>;
  /** Whether a path is an executable file. @default a real check */
  isExecutable?: (path: string) => boolean;
  /** Playwright's browser cache. @default $PLAYWRIGHT_BROWSERS_PATH, else ~/.cache/ms-playwright */
  playwrightCache?: string;
  /** Tries to download Playwright's Chromium; returns whether it did. @default `playwright-core install chromium` */
  download?: () => boolean;
}

/**
 * The path of a Chromium to drive with playwright-core.
 * @example const context = await chromium.launchPersistentContext(dir, { executablePath: findChromium() })
 */
export function findChromium(options: FindChromiumOptions = {}): string {
  const environment = options.environment ?? process.env;
  const isExecutable = options.isExecutable ?? executable;
  const explicit = environment[CHROMIUM_PATH_VARIABLE];
  if (explicit) {
    if (isExecutable(explicit)) return explicit;
    throw new Error(`${CHROMIUM_PATH_VARIABLE}=${explicit} is not an executable file`);
  }
  const cache = options.playwrightCache ?? environment.PLAYWRIGHT_BROWSERS_PATH ?? join(homedir(), '.cache', 'ms-playwright');
  const found = () => [...playwrightChromiums(cache), ...SYSTEM_PATHS].find(isExecutable);
  const path = found() ?? ((options.download ?? downloadWithPlaywright)() ? found() : undefined);
  if (path) return path;
  throw new Error(
    'no Chromium for the browser tests: install one (Debian/Ubuntu: apt-get install chromium; or pnpm exec playwright-core install chromium), ' +
      `or set ${CHROMIUM_PATH_VARIABLE}=<path to chromium or chrome>`,
  );
}

/** Chromium binaries in Playwright's cache, newest build first. */
function playwrightChromiums(cache: string): string[] {
  let folders: string[];
  try {
    folders = readdirSync(cache).filter((name) => /^chromium(_headless_shell)?-\d+$/.test(name));
  } catch {
    return [];
  }
  folders.sort((left, right) => Number(right.split('-').at(-1)) - Number(left.split('-').at(-1)));
  const inside = ['chrome-linux/chrome', 'chrome-linux64/chrome', 'chrome-linux/headless_shell', 'chrome-mac/Chromium.app/Contents/MacOS/Chromium'];
  return folders.flatMap((folder) => inside.map((path) => join(cache, folder, path)));
}

function downloadWithPlaywright(): boolean {
  try {
    // playwright-core's own CLI, next to its package.json; it fails fast where its download host is unreachable.
    const cli = join(dirname(createRequire(import.meta.url).resolve('playwright-core/package.json')), 'cli.js');
    execFileSync(process.execPath, [cli, 'install', 'chromium'], { stdio: 'ignore', timeout: 300_000 });
    return true;
  } catch {
    return false;
  }
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
