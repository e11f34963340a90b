/**
 * The playground's bundled browser script. The built package replaces this module with the script inlined as a
 * string (tsup.config.ts, `inlinePlaygroundScript`), so production needs neither esbuild nor the browser sources;
 * run from source (tests, tsx) it is bundled with esbuild on first use.
 */

let script: Promise<string> | undefined;

/**
 * The script served at `/playground.js`.
 * @example c.body(await loadPlaygroundScript(), 200, { 'Content-Type': 'text/javascript' })
 */
export function loadPlaygroundScript(): Promise<string> {
  script ??= import('../../scripts/bundle-playground.js').then(({ bundlePlayground }) => bundlePlayground());
  script.catch(() => (script = undefined));
  return script;
}
