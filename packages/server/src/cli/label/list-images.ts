/**
 * The images a `paligemma label` run covers: files named on the command line, and image files found by walking
 * folders, named relative to one input root and in a stable order.
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';

/**
 * Extensions picked up when walking a folder: the formats core decodes (JPEG, PNG, WebP, GIF, TIFF, AVIF). Folders
 * are filtered by name, not by content, so a walk never opens every file of a large tree; a file with one of these
 * names that does not decode is still attempted and lands in the errors file. Files named on the command line are
 * always attempted, whatever their extension.
 */
export const IMAGE_EXTENSIONS: readonly string[] = ['.jpg', '.jpeg', '.png', '.webp', '.gif', '.tif', '.tiff', '.avif'];

export interface ImageFile {
  /** Absolute path. */
  path: string;
  /** Path relative to the input root, with `/` separators (a dataset's `file_name`). */
  name: string;
}

export interface ImageListing {
  /** The deepest folder holding every input: names are relative to it. */
  root: string;
  /** Sorted by name, code unit by code unit, so every machine and locale gets the same order. */
  images: ImageFile[];
  /** Folders inside the inputs that could not be read, with why. */
  unreadable: Array<{ name: string; reason: string }>;
}

/**
 * Lists the images under `inputs` (files and folders, walked recursively). Entries whose name starts with `.` are
 * skipped (`.git`, editor and OS files, this command's temporary files), as are the paths in `exclude` (the run's
 * own output) and symbolic links to folders (they can form cycles); links to files are followed. A file named twice
 * is listed once. Throws when an input does not exist.
 * @example
 * const { root, images } = await listImages(['photos']);
 * images[0] // { path: '/home/me/photos/a.jpg', name: 'a.jpg' }
 */
export async function listImages(inputs: readonly string[], options: { exclude?: readonly string[] } = {}): Promise<ImageListing> {
  const exclude = new Set((options.exclude ?? []).map((path) => resolve(path)));
  const files = new Set<string>();
  /** Per input, the folder it names or the folder of the file it names. */
  const anchors: string[] = [];
  const unreadableFolders: Array<{ path: string; reason: string }> = [];
  for (const input of inputs) {
    const path = resolve(input);
    const kind = await stat(path).then(
      (stats) => (stats.isDirectory() ? 'folder' : 'file'),
      (error: NodeJS.ErrnoException) => {
        throw new Error(`cannot read "${input}": ${describeFileError(error)}`);
      },
    );
    if (kind === 'file') {
      files.add(path);
      anchors.push(dirname(path));
    } else {
      anchors.push(path);
      await walk(path, files, exclude, unreadableFolders);
    }
  }
  const root = commonFolder(anchors);
  const name = (path: string) => relative(root, path).split(sep).join('/');
  const images = [...files].map((path) => ({ path, name: name(path) })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { root, images, unreadable: unreadableFolders.map(({ path, reason }) => ({ name: name(path), reason })) };
}

/**
 * Why a file or folder cannot be read, in a few words.
 * @example describeFileError(Object.assign(new Error('…'), { code: 'ENOENT' })) // 'no such file or folder'
 */
export function describeFileError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder';
    default:
      return error.message;
  }
}

async function walk(folder: string, files: Set<string>, exclude: ReadonlySet<string>, unreadable: Array<{ path: string; reason: string }>): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    unreadable.push({ path: folder, reason: describeFileError(error as NodeJS.ErrnoException) });
    return;
  }
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.name.startsWith('.') || exclude.has(path)) continue;
    if (entry.isDirectory()) await walk(path, files, exclude, unreadable);
    else if (IMAGE_EXTENSIONS.includes(extname(entry.name).toLowerCase()) && (entry.isFile() || (await isFileLink(path)))) files.add(path);
  }
}

/** A symbolic link (or other entry) that leads to a regular file. */
async function isFileLink(path: string): Promise<boolean> {
  return stat(path).then((stats) => stats.isFile(), () => false);
}

/** The deepest folder containing every given folder. */
function commonFolder(folders: readonly string[]): string {
  const split = folders.map((folder) => folder.split(sep));
  const common: string[] = [];
  for (let index = 0; split.every((parts) => index < parts.length && parts[index] === split[0][index]); index += 1) common.push(split[0][index]);
  return common.join(sep) || sep;
}
