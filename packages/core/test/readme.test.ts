/** The package README's examples compile against the built package, as a user's project would import it. */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';

const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSC = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url));
let scratch: string | undefined;
afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

it('type-checks every TypeScript block of packages/core/README.md against dist (strict, NodeNext)', async () => {
  await stat(join(PACKAGE_ROOT, 'dist/index.d.ts')).catch(() => {
    throw new Error('packages/core/dist is missing: run `pnpm build` first (`pnpm test` does)');
  });
  const readme = await readFile(join(PACKAGE_ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]);
  expect(blocks.length).toBeGreaterThanOrEqual(1);
  // Inside the package (no package.json of its own), so `@paligemma/core` resolves to itself by its exports map.
  scratch = await mkdtemp(join(PACKAGE_ROOT, '.readme-check-'));
  await writeFile(join(scratch, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] },
    include: ['*.ts'],
  }));
  for (const [index, block] of blocks.entries()) await writeFile(join(scratch, `readme-${index}.ts`), `${block}\nexport {};\n`);
  await promisify(execFile)(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: scratch }).catch((error: { stdout?: string }) => {
    throw new Error(`tsc failed:\n${error.stdout}`);
  });
});
