import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listImages } from './list-images.js';

let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'paligemma-list-'));
  const files = [
    'photos/b.jpg', 'photos/a.PNG', 'photos/Z.webp', 'photos/notes.txt', 'photos/broken.jpg', 'photos/sub/c.tiff', 'photos/sub/d.avif',
    'photos/.hidden/e.jpg', 'photos/.f.jpg', 'photos/out/images/g.jpg', 'extra/h.gif', 'extra/no-extension',
  ];
  for (const file of files) {
    await mkdir(join(folder, file, '..'), { recursive: true });
    await writeFile(join(folder, file), 'bytes');
  }
  await symlink(join(folder, 'extra/h.gif'), join(folder, 'photos/link.gif'));
  await symlink(join(folder, 'photos'), join(folder, 'photos/sub/loop'));
});
afterAll(() => rm(folder, { recursive: true, force: true }));

describe('listImages', () => {
  it('walks a folder for image extensions (any case), skipping dot entries, excluded paths and folder links, sorted by name', async () => {
    const listing = await listImages([join(folder, 'photos')], { exclude: [join(folder, 'photos/out')] });
    expect(listing.root).toBe(join(folder, 'photos'));
    expect(listing.images.map((image) => image.name)).toEqual(['Z.webp', 'a.PNG', 'b.jpg', 'broken.jpg', 'link.gif', 'sub/c.tiff', 'sub/d.avif']);
    expect(listing.images[0].path).toBe(join(folder, 'photos/Z.webp'));
    expect(listing.unreadable).toEqual([]);
  });

  it('names files relative to the deepest folder holding every input; files named explicitly are taken whatever their extension, once', async () => {
    const listing = await listImages([join(folder, 'photos/sub'), join(folder, 'extra/no-extension'), join(folder, 'photos/sub/c.tiff')]);
    expect(listing.root).toBe(folder);
    expect(listing.images.map((image) => image.name)).toEqual(['extra/no-extension', 'photos/sub/c.tiff', 'photos/sub/d.avif']);
  });

  it('refuses an input that does not exist, naming it', async () => {
    await expect(listImages([join(folder, 'photos'), 'no-such-folder'])).rejects.toThrow('cannot read "no-such-folder": no such file or folder');
  });
});
