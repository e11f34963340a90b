import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { fromFile } from './from-file.js';

const ASTRONAUT = new URL('../../../../fixtures/images/astronaut.jpg', import.meta.url);

describe('fromFile', () => {
  it('reads a file into base64 {data} that decodes to the same bytes', async () => {
    const source = await fromFile(ASTRONAUT);
    expect(Buffer.from(source.data, 'base64').equals(await readFile(ASTRONAUT))).toBe(true);
  });

  it('rejects a missing file and an aborted read', async () => {
    await expect(fromFile(new URL('./no-such-file.jpg', import.meta.url))).rejects.toThrow(/ENOENT/);
    await expect(fromFile(ASTRONAUT, { signal: AbortSignal.abort() })).rejects.toThrow(/abort/i);
  });
});
