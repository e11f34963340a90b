/** An esbuild plugin for the server's build: replaces `playground-script.ts` with the bundled script as a string. */
import { dirname, join } from 'node:path';
import type { Plugin } from 'esbuild';
import { playgroundBuildOptions } from './bundle-playground.js';

/**
 * Bundles the playground once per build and inlines it, so the built server serves it from memory.
 * @example defineConfig({ esbuildPlugins: [inlinePlaygroundScript()] })
 */
export function inlinePlaygroundScript(): Plugin {
  return {
    name: 'inline-playground-script',
    setup(build) {
      build.onLoad({ filter: /[\\/]playground[\\/]playground-script\.ts$/ }, async (args) => {
        // The entry is found from the replaced module's path: this plugin runs from tsup's bundled config file,
        // where `import.meta.url` is not this file's.
        const { outputFiles } = await build.esbuild.build(playgroundBuildOptions(join(dirname(args.path), 'browser', 'playground.ts')));
        const text = JSON.stringify(outputFiles[0].text);
        return {
          loader: 'ts',
          contents: `/** The playground's browser script, bundled at build time. */\nexport function loadPlaygroundScript(): Promise<string> { return Promise.resolve(${text}); }\n`,
        };
      });
    },
  };
}
