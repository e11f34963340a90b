/**
 * `pnpm bench:label`: images per second of `paligemma label` on the in-process engine at several `--concurrency`
 * levels (1 = one image at a time, 8 = the engine batches eight), on the same images, side by side in one run.
 * Each level runs the CLI as a user would, in its own process; the labeling time excludes the model load (the CLI's
 * own summary), the wall time includes it. Prints one `name: value` line per figure.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { IMAGES_DIR, TINY_MODEL_DIR } from '@paligemma/test-support';
import { listImages } from '../src/cli/label/list-images.js';

const USAGE = `usage: pnpm bench:label [--model <dir|hub id>] [--dtype <dtype>] [--images <folder>] [--count N]
                        [--concurrency 1,8] [--task detect|segment] [--labels cat,dog] [--max-new-tokens N] [--vae <file>]`;
const CLI = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      dtype: { type: 'string' },
      images: { type: 'string' },
      count: { type: 'string' },
      concurrency: { type: 'string' },
      task: { type: 'string' },
      labels: { type: 'string' },
      'max-new-tokens': { type: 'string' },
      vae: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return console.log(USAGE);
  const model = values.model ?? TINY_MODEL_DIR;
  const count = Number(values.count ?? 40);
  const levels = (values.concurrency ?? '1,8').split(',').map(Number);
  const labels = values.labels ?? 'cat,dog';
  const task = values.task ?? 'detect';
  const scratch = await mkdtemp(join(tmpdir(), 'paligemma-bench-label-'));
  try {
    // The same `count` images for every level: the source images cycled, each copy its own file.
    const imagesDir = values.images ?? IMAGES_DIR;
    const sources = (await listImages([imagesDir])).images;
    if (sources.length === 0) throw new Error(`no images in ${imagesDir}`);
    const folder = join(scratch, 'images');
    await mkdir(folder);
    for (let index = 0; index < count; index += 1) {
      const source = sources[index % sources.length];
      await copyFile(source.path, join(folder, `${String(index).padStart(4, '0')}-${basename(source.path)}`));
    }
    const cpu = cpus();
    console.log(`# model=${model} dtype=${values.dtype ?? 'default'} task=${task} labels=${labels} images=${count} max_new_tokens=${values['max-new-tokens'] ?? 'default'}`);
    console.log(`# cpu="${cpu[0]?.model ?? 'unknown'}" cores=${cpu.length} node=${process.version}`);
    const runs = new Map<number, LevelResult>();
    for (const concurrency of levels) {
      const out = join(scratch, `c${concurrency}.jsonl`);
      const args = ['label', folder, '--labels', labels, '--task', task, '--out', out, '--format', 'jsonl', '--concurrency', String(concurrency), '--model', model];
      if (values.dtype) args.push('--dtype', values.dtype);
      if (values['max-new-tokens']) args.push('--max-new-tokens', values['max-new-tokens']);
      if (values.vae) args.push('--vae', values.vae);
      const result = await runLevel(args, out);
      runs.set(concurrency, result);
      line(`label_c${concurrency}_images_per_s`, result.images / result.seconds);
      line(`label_c${concurrency}_generated_tokens_per_s`, result.tokens / result.seconds);
      line(`label_c${concurrency}_labeling_seconds`, result.seconds);
      line(`label_c${concurrency}_wall_seconds_with_model_load`, result.wallSeconds);
    }
    const one = runs.get(1);
    for (const [concurrency, result] of runs) {
      if (!one || concurrency === 1) continue;
      line(`ratio_label_c${concurrency}_vs_c1_images_per_s`, result.images / result.seconds / (one.images / one.seconds), 'x');
      // Batched decoding gives the tokens of unbatched decoding: the datasets must not differ.
      console.log(`same_results_c${concurrency}_vs_c1: ${result.answers === one.answers}`);
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

interface LevelResult {
  images: number;
  tokens: number;
  seconds: number;
  wallSeconds: number;
  /** Every image's raw answer, in order, to compare levels. */
  answers: string;
}

/** Runs the CLI once; its summary line gives the labeling time, its JSON Lines output the tokens. */
async function runLevel(args: string[], out: string): Promise<LevelResult> {
  const started = performance.now();
  // This process's own flags (`--conditions=source --import tsx`), so the CLI runs from source as the bench does.
  const { stdout } = await promisify(execFile)(process.execPath, [...process.execArgv, CLI, ...args], { maxBuffer: 64 * 1024 * 1024 });
  const wallSeconds = (performance.now() - started) / 1000;
  // The rate has more significant digits than the printed seconds (one decimal), so the time is taken from it.
  const summary = /^labeled (\d+) images? \(\d+ now in [\d.]+ s, ([\d.]+) images\/s/m.exec(stdout);
  if (!summary) throw new Error(`no summary line in the CLI's output:\n${stdout}`);
  const lines = (await readFile(out, 'utf8')).trimEnd().split('\n').map((text) => JSON.parse(text) as { raw: string; usage: { completionTokens: number } });
  return {
    images: Number(summary[1]),
    seconds: Number(summary[1]) / Number(summary[2]),
    wallSeconds,
    tokens: lines.reduce((sum, entry) => sum + entry.usage.completionTokens, 0),
    answers: lines.map((entry) => entry.raw).join('\n'),
  };
}

function line(name: string, value: number, unit = ''): void {
  console.log(`${name}: ${value.toFixed(value >= 100 ? 0 : 2)}${unit}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
