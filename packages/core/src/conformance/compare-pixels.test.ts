import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readImageProcessorConfig } from '../image/image-processor-config.js';
import { comparePixels } from './compare-pixels.js';

const FIXTURES = fileURLToPath(new URL('../../../../fixtures/', import.meta.url));
const imagesDir = join(FIXTURES, 'images');
const referenceDir = join(FIXTURES, 'reference');
const config = readImageProcessorConfig(JSON.parse(await readFile(join(FIXTURES, 'tiny-paligemma/preprocessor_config.json'), 'utf8')));

describe('comparePixels', () => {
  it('finds no difference on any fixture image', async () => {
    const rows = await comparePixels({ imagesDir, referenceDir, config });
    expect(rows.map((row) => row.name)).toEqual(['astronaut', 'camera', 'coffee', 'coins', 'immunohistochemistry']);
    for (const row of rows) expect(row).toEqual({ name: row.name, mean: 0, max: 0 });
  });

  it('measures a difference: a reference shifted by 0.5 on one value', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'compare-pixels-'));
    try {
      const reference = await readFile(join(referenceDir, 'coins.pixel_values.f32'));
      const shifted = new Float32Array(reference.buffer.slice(reference.byteOffset, reference.byteOffset + reference.byteLength));
      shifted[1000] += 0.5;
      await writeFile(join(folder, 'coins.pixel_values.f32'), new Uint8Array(shifted.buffer));
      const [row] = await comparePixels({ imagesDir, referenceDir: folder, config });
      expect(row.max).toBe(0.5);
      expect(row.mean).toBeCloseTo(0.5 / (3 * 224 * 224), 12);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('names a reference without an image and a reference of the wrong size', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'compare-pixels-'));
    try {
      await writeFile(join(folder, 'unicorn.pixel_values.f32'), new Uint8Array(16));
      await expect(comparePixels({ imagesDir, referenceDir: folder, config })).rejects.toThrow(/no image named unicorn/);
      await rm(join(folder, 'unicorn.pixel_values.f32'));
      await writeFile(join(folder, 'coins.pixel_values.f32'), new Uint8Array(16));
      await expect(comparePixels({ imagesDir, referenceDir: folder, config })).rejects.toThrow(/has 16 bytes; expected 602112/);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
