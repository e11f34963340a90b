/**
 * Writes outputs so that readers see the old version or the new one, never half a file: the data goes to a hidden
 * temporary name in the same folder, is flushed to disk, then renamed over the target (a rename within one file
 * system is atomic on POSIX).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A hidden name beside `path` for its next version; hidden so a folder walk never takes it for input. */
function temporaryPath(path: string, kind: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.${kind}`);
}

/**
 * Replaces `path` with `data` in one step.
 * @example await writeFileAtomically('labels.json', JSON.stringify(dataset))
 */
export async function writeFileAtomically(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = temporaryPath(path, 'tmp');
  try {
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Builds a folder's next version beside it with `build`, then swaps it in: the old folder is renamed aside, the new
 * one renamed into place, the old one deleted. Readers see the old folder or the complete new one (or, for the
 * instant between the two renames, none).
 * @example await replaceFolder('dataset', async (folder) => writeFile(join(folder, 'data.yaml'), yaml))
 */
export async function replaceFolder(path: string, build: (folder: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const next = temporaryPath(path, 'tmp');
  const previous = temporaryPath(path, 'old');
  let movedAside = false;
  try {
    await mkdir(next);
    await build(next);
    if (await stat(path).then(() => true, () => false)) {
      await rename(path, previous);
      movedAside = true;
    }
    await rename(next, path);
    movedAside = false;
    await rm(previous, { recursive: true, force: true });
  } catch (error) {
    // Put the old folder back rather than leave the path empty.
    if (movedAside) await rename(previous, path).catch(() => {});
    throw error;
  } finally {
    await rm(next, { recursive: true, force: true });
  }
}
