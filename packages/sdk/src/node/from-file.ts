/** Node-only: reads an image file into the `{ data }` form every client method accepts. */
import { readFile } from 'node:fs/promises';
import type { ImageDataSource } from '../contract/image.js';

/**
 * Reads the file at `path` and returns its bytes as base64 `{ data }`; the server detects the format itself.
 * Lives in `@paligemma/sdk/node` so browser and edge bundles of the main entry never pull in `fs`.
 *
 * @example
 * import { PaliGemma } from '@paligemma/sdk';
 * import { fromFile } from '@paligemma/sdk/node';
 * const { caption } = await new PaliGemma({ baseURL }).caption(await fromFile('cat.jpg'));
 */
export async function fromFile(path: string | URL, options: { signal?: AbortSignal } = {}): Promise<ImageDataSource> {
  const bytes = await readFile(path, { signal: options.signal });
  return { data: bytes.toString('base64') };
}
