/**
 * The published artefact: `pnpm pack`, installed with npm into an empty project, must work from ESM and CJS,
 * type-check with tsc, keep Node built-ins out of the main entry, and stay small. Needs `pnpm build` first.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { measureBundleSize } from '../scripts/measure-bundle-size.mjs';
import { sendJson, startScriptedServer, USAGE, type ScriptedServer } from './support/scripted-server.js';

const run = promisify(execFile);
const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));
const REPOSITORY_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const TSC = join(REPOSITORY_ROOT, 'node_modules/typescript/bin/tsc');
/** The bundle-size budget of the main entry, min+gzip, zod excluded (see BUNDLE_SIZE.md). */
const MAX_MAIN_ENTRY_GZIP_BYTES = 8_000;
/**
 * The same with zod bundled in, for an app that has no zod of its own (~34 kB). `import { z } from 'zod'` instead of
 * `import * as z from 'zod'` anywhere in the SDK would drag in all of zod's locales (~98 kB).
 */
const MAX_MAIN_ENTRY_WITH_ZOD_GZIP_BYTES = 45_000;
/** npm install from the registry plus tsc; generous because the registry is shared and the cores are few. */
const INSTALL_TIMEOUT_MS = 180_000;

let project: string;
let server: ScriptedServer;

async function newestModification(directory: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(directory, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && !entry.name.endsWith('.test.ts')) {
      newest = Math.max(newest, (await stat(join(entry.parentPath, entry.name))).mtimeMs);
    }
  }
  return newest;
}

beforeAll(async () => {
  const built = await stat(join(PACKAGE_ROOT, 'dist/index.js')).catch(() => undefined);
  if (!built || built.mtimeMs < (await newestModification(join(PACKAGE_ROOT, 'src')))) {
    throw new Error('packages/sdk/dist is missing or older than src: run `pnpm --filter @paligemma/sdk build` first');
  }
  server = await startScriptedServer();
  project = await mkdtemp(join(tmpdir(), 'paligemma-sdk-package-'));
  await run('pnpm', ['pack', '--pack-destination', project], { cwd: PACKAGE_ROOT });
  const [tarball] = (await readdir(project)).filter((name) => name.endsWith('.tgz'));
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `./${tarball}`], {
    cwd: project,
    timeout: INSTALL_TIMEOUT_MS,
  });
}, INSTALL_TIMEOUT_MS + 30_000);

afterAll(async () => {
  await server?.close();
  if (project) await rm(project, { recursive: true, force: true });
});

async function runIn(file: string, source: string): Promise<string> {
  await writeFile(join(project, file), source);
  const { stdout } = await run(process.execPath, [file], { cwd: project, env: { ...process.env, BASE_URL: server.baseURL } });
  return stdout.trim();
}

describe('the packed @paligemma/sdk', () => {
  it('ships dist, src and the README-level files but no tests', async () => {
    const { stdout } = await run('tar', ['-tzf', (await readdir(project)).find((name) => name.endsWith('.tgz'))!], { cwd: project });
    const files = stdout.split('\n');
    expect(files).toContain('package/dist/index.js');
    expect(files).toContain('package/dist/index.cjs');
    expect(files).toContain('package/dist/node/index.d.cts');
    expect(files).toContain('package/README.md');
    expect(files.filter((file) => file.endsWith('.test.ts'))).toEqual([]);
  });

  it('works from ESM: a real call, subpaths, and errors recognised across the ESM and CJS copies', async () => {
    server.answer((_request, response) => sendJson(response, 200, { caption: 'packed', usage: USAGE }));
    const output = await runIn(
      'esm.mjs',
      `import { createRequire } from 'node:module';
       import { PaliGemma, RateLimitError, boxToXywh } from '@paligemma/sdk';
       import { CaptionResultSchema } from '@paligemma/sdk/contract';
       import { fromFile } from '@paligemma/sdk/node';
       const cjs = createRequire(import.meta.url)('@paligemma/sdk');
       const client = new PaliGemma({ baseURL: process.env.BASE_URL });
       const result = await client.caption(await fromFile('package.json'));
       const foreign = new cjs.RateLimitError({ status: 429, code: 'rate_limited', message: 'm', requestId: undefined,
         headers: new Headers(), body: undefined, url: 'u' });
       console.log(JSON.stringify({
         caption: result.caption,
         valid: CaptionResultSchema.safeParse(result).success,
         xywh: boxToXywh({ xMin: 1, yMin: 2, xMax: 4, yMax: 8 }),
         crossCopy: RateLimitError.isInstance(foreign),
         instanceofFails: foreign instanceof RateLimitError,
       }));`,
    );
    expect(JSON.parse(output)).toEqual({
      caption: 'packed',
      valid: true,
      xywh: { x: 1, y: 2, width: 3, height: 6 },
      crossCopy: true,
      instanceofFails: false,
    });
  });

  it('works from CJS require', async () => {
    server.answer((_request, response) => sendJson(response, 200, { answer: 'yes', usage: USAGE }));
    const output = await runIn(
      'cjs.cjs',
      `const { PaliGemma, PaliGemmaError, polygonsToSvgPath } = require('@paligemma/sdk');
       const { AskResultSchema } = require('@paligemma/sdk/contract');
       const { fromFile } = require('@paligemma/sdk/node');
       new PaliGemma({ baseURL: process.env.BASE_URL }).ask({ url: 'https://example.com/a.jpg' }, 'is it?')
         .then((result) => console.log(JSON.stringify({
           answer: result.answer,
           valid: AskResultSchema.safeParse(result).success,
           path: polygonsToSvgPath([[0, 0, 1, 0, 1, 1]]),
           fromFile: typeof fromFile,
           base: typeof PaliGemmaError.isInstance,
         })));`,
    );
    expect(JSON.parse(output)).toEqual({ answer: 'yes', valid: true, path: 'M0 0L1 0L1 1Z', fromFile: 'function', base: 'function' });
  });

  it('type-checks a sample with tsc (NodeNext, strict), ESM and CJS', async () => {
    await writeFile(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, lib: ['ES2022', 'DOM'], types: [], skipLibCheck: false },
        include: ['sample.ts', 'sample.cts', 'readme-*.ts'],
      }),
    );
    await writeFile(
      join(project, 'sample.ts'),
      `import { PaliGemma, APIError, GenerateStream, type DetectResult, type ImageInput, type PaliGemmaTasks } from '@paligemma/sdk';
       import { DetectResultSchema, type TokenEvent } from '@paligemma/sdk/contract';
       import { fromFile } from '@paligemma/sdk/node';
       export async function main(image: ImageInput): Promise<number> {
         const client: PaliGemmaTasks<ImageInput> = new PaliGemma({ baseURL: 'http://localhost:8080', maxRetries: 1 });
         const detected: DetectResult = await client.detect(image, ['cat'], { signal: AbortSignal.timeout(1000) });
         const checked = DetectResultSchema.parse(detected);
         const stream: GenerateStream = new PaliGemma({ baseURL: 'x' }).stream(await fromFile('cat.jpg'), 'caption en');
         for await (const token of stream) { const event: TokenEvent = token; void event; }
         const { text } = await stream.result;
         try { await client.caption(new Uint8Array(3)); } catch (error) { if (APIError.isInstance(error)) return error.status ?? 0; }
         return checked.objects[0].box.xMax + text.length;
       }`,
    );
    // The README's examples compile against the packed package too (each block as its own module).
    const readme = await readFile(join(PACKAGE_ROOT, 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]);
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const [index, block] of blocks.entries()) await writeFile(join(project, `readme-${index}.ts`), `${block}\nexport {};\n`);
    await writeFile(
      join(project, 'sample.cts'),
      `import sdk = require('@paligemma/sdk');
       export const client = new sdk.PaliGemma({ baseURL: 'http://localhost:8080' });
       export const width: number = sdk.boxToXywh({ xMin: 0, yMin: 0, xMax: 1, yMax: 1 }).width;`,
    );
    await run(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: project }).catch((error: { stdout?: string }) => {
      throw new Error(`tsc failed:\n${error.stdout}`);
    });
    await writeFile(join(project, 'broken.ts'), `import { PaliGemma } from '@paligemma/sdk';\nnew PaliGemma({ baseURL: 1 });\n`);
    await expect(run(process.execPath, [TSC, '--noEmit', '--strict', '--module', 'NodeNext', 'broken.ts'], { cwd: project })).rejects.toMatchObject({
      stdout: expect.stringMatching(/TS2322/),
    });
  });
});

describe('the built main entry', () => {
  it('imports no Node built-ins, directly or through its chunks', async () => {
    const entry = await readFile(join(PACKAGE_ROOT, 'dist/index.js'), 'utf8');
    const { inputs, code } = await measureBundleSize();
    for (const file of inputs as string[]) {
      const text = await readFile(join(PACKAGE_ROOT, file), 'utf8');
      expect(text, file).not.toMatch(/from\s*["']node:|from\s*["'](fs|path|os|fs\/promises)["']|require\(["'](node:|fs)/);
    }
    expect(entry).toMatch(/from "\.\/chunk-/);
    expect(code).not.toMatch(/node:|readFile/);
  });

  it(`stays under ${MAX_MAIN_ENTRY_GZIP_BYTES} bytes min+gzip without zod`, async () => {
    const { gzipBytes } = await measureBundleSize();
    expect(gzipBytes).toBeGreaterThan(1_000);
    expect(gzipBytes).toBeLessThan(MAX_MAIN_ENTRY_GZIP_BYTES);
  });

  it(`stays under ${MAX_MAIN_ENTRY_WITH_ZOD_GZIP_BYTES} bytes min+gzip with zod bundled in (no zod locales)`, async () => {
    const { gzipBytes, shippedInputs } = await measureBundleSize(undefined, { withZod: true });
    expect(shippedInputs.some((file: string) => file.includes('node_modules/zod/'))).toBe(true);
    expect(shippedInputs.filter((file: string) => /zod\/.*\/locales\/(?!en\.)/.test(file))).toEqual([]);
    expect(gzipBytes).toBeLessThan(MAX_MAIN_ENTRY_WITH_ZOD_GZIP_BYTES);
  });

  it('the node subpath is where fs lives', async () => {
    const nodeEntry = await readFile(join(PACKAGE_ROOT, 'dist/node/index.js'), 'utf8');
    expect(nodeEntry).toMatch(/from "node:fs\/promises"/);
  });
});
