import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { IMAGES_DIR, REFERENCE_DIR, TINY_MODEL_DIR } from '@paligemma/test-support';

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
const reference = join(REFERENCE_DIR, 'reference.json');

/** Runs the real CLI in a child process, as `pnpm conformance` does. */
async function conformance(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--conditions=source', '--import', 'tsx', cli, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'conformance-'));
});

describe('pnpm conformance', () => {
  it('passes every reference case with the reference pixel values', async () => {
    const { code, stdout } = await conformance('--model', TINY_MODEL_DIR, '--reference', reference, '--images', IMAGES_DIR, '--pixels', REFERENCE_DIR);
    expect(stdout.trim().split('\n').at(-1)).toBe('18 passed, 0 failed');
    expect(code).toBe(0);
  });

  it('passes every reference case with its own preprocessing, and prints pixel differences', async () => {
    const { code, stdout } = await conformance('--model', TINY_MODEL_DIR, '--reference', reference, '--images', IMAGES_DIR, '--compare-pixels', REFERENCE_DIR);
    expect(stdout).toMatch(/^pixels astronaut mean=\S+ max=\S+$/m);
    expect(stdout.match(/^pixels /gm)).toHaveLength(5);
    expect(stdout.trim().split('\n').at(-1)).toBe('18 passed, 0 failed');
    expect(code).toBe(0);
  });

  it('fails a case whose expected tokens differ, and exits 1', async () => {
    const tampered = join(scratch, 'tampered.json');
    const original = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(reference, 'utf8')));
    original.cases = original.cases.slice(0, 2);
    original.cases[1].greedy_new_ids[5] += 1;
    await writeFile(tampered, JSON.stringify(original));
    const { code, stdout } = await conformance('--model', TINY_MODEL_DIR, '--reference', tampered, '--images', IMAGES_DIR);
    expect(stdout).toMatch(/^FAIL astronaut "answer en what is in the image\?": generated ids differ at 5/m);
    expect(stdout.trim().split('\n').at(-1)).toBe('1 passed, 1 failed');
    expect(code).toBe(1);
  });

  it.each([
    ['a malformed reference file', async () => {
      const path = join(scratch, 'bad.json');
      await writeFile(path, JSON.stringify({ cases: [{ image: 'astronaut' }] }));
      return ['--model', TINY_MODEL_DIR, '--reference', path, '--images', IMAGES_DIR];
    }, /reference file .*bad\.json is malformed at cases\.0\.prompt/],
    ['a reference file that is not JSON', async () => {
      const path = join(scratch, 'broken.json');
      await writeFile(path, '{');
      return ['--model', TINY_MODEL_DIR, '--reference', path, '--images', IMAGES_DIR];
    }, /cannot read reference file/],
    ['a missing image', async () => ['--model', TINY_MODEL_DIR, '--reference', reference, '--images', scratch], /no image named astronaut\.\* in/],
    ['a model directory that does not exist', async () => ['--model', join(scratch, 'nope'), '--reference', reference, '--images', IMAGES_DIR], /model directory .* does not exist/],
    ['missing arguments', async () => ['--model', TINY_MODEL_DIR], /--model, --reference and --images are required/],
  ])('reports %s in one clear line, without a stack trace', async (_name, makeArgs, message) => {
    const { code, stderr } = await conformance(...(await makeArgs()));
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
