/**
 * `paligemma label` as a user runs it: the CLI from source in its own Node process on a folder of the fixture
 * images, on the tiny model in-process or against a real server on a loopback port (`--url`). The random tiny model
 * names `motorc` on coins.png when asked for `tree, motorc`, so the datasets hold real objects.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DetectResultSchema, type DetectResult, SegmentResultSchema, type SegmentResult } from '@paligemma/sdk/contract';
import { IMAGES_DIR, writeRandomVae } from '@paligemma/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TINY_MODEL_DIR, type TestServer, startTestServer } from '../../../test/support/test-server.js';
import { annotationObjects } from './annotation-objects.js';
import type { CocoDataset } from './coco-dataset.js';
import { labelCommand } from './label-command.js';
import { yoloLabelText } from './yolo-labels.js';

const CLI = fileURLToPath(new URL('../main.ts', import.meta.url));
const LABELS = ['tree', 'motorc'];
const FIXTURES = ['astronaut.jpg', 'camera.png', 'coffee.jpg', 'coins.png', 'immunohistochemistry.jpg'];
const API_KEY = 'label-test-key';
const local = ['--model', TINY_MODEL_DIR];

interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts `paligemma <args>` from source (tsx, workspace `source` exports) with only PATH and HOME set. */
function start(args: string[]): { child: ChildProcess; done: Promise<CliRun>; stderr: () => string } {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir() },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => (stdout += chunk));
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  return { child, stderr: () => stderr, done: new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))) };
}
const paligemma = (args: string[]) => start(args).done;

/** The checkpoint's result lines (after its header), as the run recorded them. */
async function checkpointEntries(file: string): Promise<Array<{ path: string; result: DetectResult & SegmentResult }>> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').slice(1).filter((line) => line.endsWith('}')).map((line) => JSON.parse(line));
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

let scratch: string;
/** The fixture images, one again in a subfolder, a corrupt JPEG and a text file. */
let images: string;
const IMAGE_NAMES = [...FIXTURES, 'sub/coins-again.png'].sort();
let vae: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'paligemma-label-'));
  images = join(scratch, 'images');
  await mkdir(join(images, 'sub'), { recursive: true });
  for (const name of FIXTURES) await copyFile(join(IMAGES_DIR, name), join(images, name));
  await copyFile(join(IMAGES_DIR, 'coins.png'), join(images, 'sub/coins-again.png'));
  await writeFile(join(images, 'broken.jpg'), 'this is not a JPEG');
  await writeFile(join(images, 'notes.txt'), 'not an image, not listed');
  vae = join(scratch, 'vae-oid.npz');
  await writeRandomVae(vae);
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('paligemma label: the three formats on the fixture images (in-process)', () => {
  let coco: CocoDataset;
  let results: Map<string, DetectResult>;
  const out = () => join(scratch, 'coco/labels.json');

  beforeAll(async () => {
    const out = join(scratch, 'coco/labels.json');
    const run = await paligemma(['label', images, '--labels', LABELS.join(','), '--out', out, ...local, '--concurrency', '3']);
    // The corrupt JPEG fails; everything else is labeled.
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/^skipped broken\.jpg: .*not an image format we decode/m);
    expect(run.stderr).toMatch(/1 image could not be labeled: see .*labels\.json\.errors\.jsonl\n$/);
    expect(run.stdout).toMatch(/^labeled 6 images \(6 now in [\d.]+ s, [\d.]+ images\/s\), \d+ objects? → .*labels\.json\n/);
    expect(run.stderr).not.toContain('\u001b'); // not a terminal: plain lines
    const errors = (await readFile(`${out}.errors.jsonl`, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expect(errors).toEqual([{ file: 'broken.jpg', error: expect.stringContaining('not an image format we decode') }]);
    coco = JSON.parse(await readFile(out, 'utf8'));
    results = new Map((await checkpointEntries(`${out}.checkpoint.jsonl`)).map(({ path, result }) => [path, DetectResultSchema.parse(result)]));
  });

  it('coco: images in name order with ids from 1, file_name relative to the folder, and each image\'s size', () => {
    expect(coco.images.map((image) => image.file_name)).toEqual(IMAGE_NAMES);
    coco.images.forEach((image, index) => {
      expect(image.id).toBe(index + 1);
      const result = results.get(join(images, image.file_name));
      expect({ width: image.width, height: image.height }).toEqual(result?.image);
    });
    expect(coco.categories).toEqual([{ id: 1, name: 'tree', supercategory: 'object' }, { id: 2, name: 'motorc', supercategory: 'object' }]);
    expect(Object.keys(coco.info)).toEqual(['description', 'version', 'year', 'contributor', 'date_created']);
  });

  it('coco: one annotation per kept object of the model\'s results, bbox and area in pixels from its box', () => {
    const expected = coco.images.flatMap((image) => {
      const result = results.get(join(images, image.file_name)) as DetectResult;
      return annotationObjects(result, 'detect', LABELS).objects.map(({ classIndex, box }) => ({
        image_id: image.id, category_id: classIndex + 1, bbox: [box.xMin, box.yMin, box.xMax - box.xMin, box.yMax - box.yMin], area: (box.xMax - box.xMin) * (box.yMax - box.yMin), iscrowd: 0,
      }));
    });
    expect(expected.length).toBeGreaterThan(0); // coins.png, twice
    expect(coco.annotations.map(({ id: _id, ...annotation }) => annotation)).toEqual(expected);
    expect(coco.annotations.map((annotation) => annotation.id)).toEqual(expected.map((_, index) => index + 1));
    for (const { bbox: [x, y, width, height], image_id } of coco.annotations) {
      const image = coco.images[image_id - 1];
      expect(x).toBeGreaterThanOrEqual(0);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(x + width).toBeLessThanOrEqual(image.width);
      expect(y + height).toBeLessThanOrEqual(image.height);
    }
  });

  it('the example\'s Node reader (examples/auto-label/read-coco.mjs) reads the COCO file', async () => {
    const reader = fileURLToPath(new URL('../../../../../examples/auto-label/read-coco.mjs', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [reader, out()]);
    const lines = stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toBe(`6 images, ${coco.annotations.length} annotations; categories: tree, motorc`);
    const coins = coco.annotations.filter((annotation) => annotation.image_id === coco.images.find((image) => image.file_name === 'coins.png')?.id);
    expect(lines).toContain(`coins.png (384x303): ${coins.length} objects`);
  });

  it('yolo: images/ with labels/<stem>.txt beside it and data.yaml; lines from the same results', async () => {
    const out = join(scratch, 'yolo');
    const run = await paligemma(['label', images, '--labels', LABELS.join(','), '--out', out, '--format', 'yolo', ...local]);
    expect(run.code, run.stderr).toBe(3);
    expect(await readFile(join(out, 'data.yaml'), 'utf8')).toContain('names:\n  0: "tree"\n  1: "motorc"\n');
    expect((await readdir(join(out, 'labels'), { recursive: true })).sort()).toEqual(
      [...IMAGE_NAMES.map((name) => name.replace(/\.[^.]+$/, '.txt')), 'sub'].sort(),
    );
    for (const name of IMAGE_NAMES) {
      expect(await readFile(join(out, 'images', name))).toEqual(await readFile(join(images, name)));
      const text = await readFile(join(out, 'labels', name.replace(/\.[^.]+$/, '.txt')), 'utf8');
      expect(text).toBe(yoloLabelText(results.get(join(images, name)) as DetectResult, 'detect', LABELS).text);
    }
    const coinsLines = (await readFile(join(out, 'labels/coins.txt'), 'utf8')).trim().split('\n');
    expect(coinsLines.length).toBeGreaterThan(0);
    for (const line of coinsLines) expect(line).toMatch(/^1( (0|1)\.\d{6}){4}$/);
  });

  it('jsonl: one line per image, in name order, with the API\'s result and the file name', async () => {
    const out = join(scratch, 'labels.jsonl');
    const run = await paligemma(['label', images, '--labels', LABELS.join(','), '--out', out, '--format', 'jsonl', ...local, '--concurrency', '1']);
    expect(run.code, run.stderr).toBe(3);
    const lines = (await readFile(out, 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((line) => line.file)).toEqual(IMAGE_NAMES);
    for (const { file, ...result } of lines) {
      const parsed = DetectResultSchema.parse(result);
      // Greedy decoding: the same answers as the coco run, which batched three at a time.
      const earlier = results.get(join(images, file)) as DetectResult;
      expect({ objects: parsed.objects, image: parsed.image, raw: parsed.raw }).toEqual({ objects: earlier.objects, image: earlier.image, raw: earlier.raw });
    }
  });

  it('segment: masks from the VAE; the COCO file follows the results, the JSON Lines carry them whole', async () => {
    const out = join(scratch, 'segment.json');
    const run = await paligemma(['label', images, '--labels', LABELS.join(','), '--task', 'segment', '--vae', vae, '--out', out, ...local, '--max-new-tokens', '48']);
    expect(run.code, run.stderr).toBe(3);
    const dataset: CocoDataset = JSON.parse(await readFile(out, 'utf8'));
    const entries = await checkpointEntries(`${out}.checkpoint.jsonl`);
    expect(entries).toHaveLength(IMAGE_NAMES.length);
    for (const { result } of entries) SegmentResultSchema.parse(result);
    expect(dataset.images.map((image) => image.file_name)).toEqual(IMAGE_NAMES);
    const expected = dataset.images.flatMap((image) => {
      const result = entries.find((entry) => entry.path === join(images, image.file_name))?.result as SegmentResult;
      return annotationObjects(result, 'segment', LABELS).objects.map(({ polygons, area }) => ({ image_id: image.id, segmentation: polygons, area }));
    });
    expect(dataset.annotations.map(({ image_id, segmentation, area }) => ({ image_id, segmentation, area }))).toEqual(expected);
  });
});

describe('paligemma label: long runs', () => {
  /** 40 images (the fixtures eight times) so a run lasts long enough to be stopped part-way. */
  let many: string;
  beforeAll(async () => {
    many = join(scratch, 'many');
    await mkdir(many);
    for (let copy = 0; copy < 8; copy += 1) for (const name of FIXTURES) await copyFile(join(IMAGES_DIR, name), join(many, `${copy}-${name}`));
  });

  it('resumes after a killed run: finished images are skipped and said so, none is done twice, none is lost', async () => {
    const out = join(scratch, 'killed.json');
    const checkpoint = `${out}.checkpoint.jsonl`;
    const first = start(['label', many, '--labels', LABELS.join(','), '--out', out, ...local, '--concurrency', '1']);
    await waitFor(async () => (await checkpointEntries(checkpoint)).length >= 5);
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');
    const kept = (await checkpointEntries(checkpoint)).length;
    expect(kept).toBeLessThan(40);
    await expect(readFile(out)).rejects.toThrow(); // no final file from a run that did not finish

    const second = await paligemma(['label', many, '--labels', LABELS.join(','), '--out', out, ...local, '--concurrency', '4']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain(`resuming from ${checkpoint}: ${kept} of 40 images already labeled, skipping them`);
    expect(second.stdout).toMatch(new RegExp(`^labeled 40 images \\(${40 - kept} now in .*, ${kept} from the checkpoint\\)`));
    const paths = (await checkpointEntries(checkpoint)).map((entry) => entry.path);
    expect(paths).toHaveLength(40);
    expect(new Set(paths).size).toBe(40);
    const dataset: CocoDataset = JSON.parse(await readFile(out, 'utf8'));
    expect(dataset.images.map((image) => image.file_name)).toEqual((await readdir(many)).sort());

    const again = await paligemma(['label', many, '--labels', LABELS.join(','), '--out', out, ...local]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^labeled 40 images \(all from the checkpoint\)/);
    expect(again.stderr).not.toContain('labeling'); // nothing to do: the model is not even loaded
  });

  it('Ctrl-C: stops admitting images, keeps the checkpoint, exits 130; the next run finishes', async () => {
    const out = join(scratch, 'interrupted.json');
    const checkpoint = `${out}.checkpoint.jsonl`;
    const first = start(['label', many, '--labels', LABELS.join(','), '--out', out, ...local, '--concurrency', '2']);
    await waitFor(async () => (await checkpointEntries(checkpoint)).length >= 3);
    first.child.kill('SIGINT');
    const stopped = await first.done;
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toContain('SIGINT: finishing the images in flight');
    expect(stopped.stderr).toMatch(/paligemma label: interrupted: \d+ labeled images are kept in .*interrupted\.json\.checkpoint\.jsonl; run the same command to go on\n$/);
    const kept = await checkpointEntries(checkpoint);
    expect(kept.length).toBeLessThan(40);
    // Every line is whole: nothing was cut off by the stop.
    expect((await readFile(checkpoint, 'utf8')).endsWith('}\n')).toBe(true);
    const second = await paligemma(['label', many, '--labels', LABELS.join(','), '--out', out, ...local]);
    expect(second.code, second.stderr).toBe(0);
    expect(new Set((await checkpointEntries(checkpoint)).map((entry) => entry.path)).size).toBe(40);
  });

  it('a second Ctrl-C abandons the images in flight: exit 130, every checkpoint line whole', async () => {
    const out = join(scratch, 'abandoned.json');
    const checkpoint = `${out}.checkpoint.jsonl`;
    const run = start(['label', many, '--labels', LABELS.join(','), '--out', out, ...local, '--concurrency', '8']);
    await waitFor(async () => (await checkpointEntries(checkpoint)).length >= 1);
    run.child.kill('SIGINT');
    await waitFor(async () => run.stderr().includes('SIGINT: finishing the images in flight'));
    run.child.kill('SIGINT');
    const stopped = await run.done;
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toContain('SIGINT again: abandoning the images in flight');
    expect((await readFile(checkpoint, 'utf8')).endsWith('}\n')).toBe(true);
    expect((await checkpointEntries(checkpoint)).length).toBeLessThan(40);
  });

  it('refuses a checkpoint written for other options, naming both, without touching it', async () => {
    const out = join(scratch, 'killed.json');
    const before = await readFile(`${out}.checkpoint.jsonl`, 'utf8');
    const run = await paligemma(['label', many, '--labels', 'tree,dog', '--out', out, ...local]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `paligemma label: ${out}.checkpoint.jsonl holds results for "--task detect --labels tree,motorc --format coco", ` +
        'not "--task detect --labels tree,dog --format coco": run with those options to resume it, or delete it to start over\n',
    );
    expect(await readFile(`${out}.checkpoint.jsonl`, 'utf8')).toBe(before);
  });
});

describe('paligemma label --url: against a real server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ apiKeys: [API_KEY] });
  });
  afterAll(() => server?.close(0));

  it('labels through the SDK with the same results as in-process', async () => {
    const out = join(scratch, 'remote.jsonl');
    const run = await paligemma(['label', images, '--labels', LABELS.join(','), '--out', out, '--format', 'jsonl', '--url', server.url, '--api-key', API_KEY]);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain(`on ${server.url}`);
    // The server refuses the corrupt JPEG with 415, which is about that image: recorded, and the run goes on.
    expect(await readFile(`${out}.errors.jsonl`, 'utf8')).toMatch(/^\{"file":"broken\.jpg","error":"415 unsupported_media_type: /);
    const remote = (await readFile(out, 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line));
    const inProcess = (await readFile(join(scratch, 'labels.jsonl'), 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(remote.map(({ file, objects, raw }) => ({ file, objects, raw }))).toEqual(inProcess.map(({ file, objects, raw }) => ({ file, objects, raw })));
  });

  it('stops at a failure that is not about an image (a refused key), keeping the checkpoint and writing no dataset', async () => {
    const out = join(scratch, 'refused.json');
    const run = await paligemma(['label', images, '--labels', LABELS.join(','), '--out', out, '--url', server.url, '--api-key', 'wrong']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/paligemma label: stopped: 401 .*; 0 labeled images are kept in .*refused\.json\.checkpoint\.jsonl; run the same command to go on\n$/);
    await expect(readFile(out)).rejects.toThrow();
  });
});

describe('paligemma label: command-line errors are one line and exit 2', () => {
  it.each([
    { name: 'no inputs', args: ['--labels', 'cat', '--out', 'x.json'], message: 'missing <image files or folders…>' },
    { name: 'no labels', args: ['photos', '--out', 'x.json'], message: 'missing --labels' },
    { name: 'no output', args: ['photos', '--labels', 'cat'], message: 'missing --out' },
    { name: 'an empty label', args: ['photos', '--labels', 'cat,,dog', '--out', 'x.json'], message: '--labels: a label must not be empty' },
    { name: 'a label with ";"', args: ['photos', '--labels', 'cat;dog', '--out', 'x.json'], message: '--labels: label "cat;dog" must not contain ";"' },
    { name: 'a label twice', args: ['photos', '--labels', 'cat,dog', '--labels', 'Cat', '--out', 'x.json'], message: '--labels: "Cat" is listed twice' },
    { name: 'an unknown task', args: ['photos', '--labels', 'cat', '--out', 'x.json', '--task', 'caption'], message: '--task: expected detect or segment, got "caption"' },
    { name: 'an unknown format', args: ['photos', '--labels', 'cat', '--out', 'x.json', '--format', 'voc'], message: '--format: expected coco, yolo, jsonl, got "voc"' },
    { name: 'concurrency 0', args: ['photos', '--labels', 'cat', '--out', 'x.json', '--concurrency', '0'], message: '--concurrency: expected a whole number from 1 to 64, got 0' },
    { name: '--model with --url', args: ['photos', '--labels', 'cat', '--out', 'x.json', '--model', 'm', '--url', 'http://127.0.0.1:9'], message: 'not both' },
    { name: 'an unknown flag', args: ['photos', '--labels', 'cat', '--out', 'x.json', '--bogus'], message: "Unknown option '--bogus'" },
  ])('$name', async ({ args, message }) => {
    let stderr = '';
    const code = await labelCommand.run(args, { stdout: () => {}, stderr: (text) => (stderr += text) });
    expect(code).toBe(2);
    expect(stderr.split('\n')).toEqual([expect.stringContaining(message), '']);
    expect(stderr).toMatch(/^paligemma label: .*; see "paligemma label --help"\n$/);
  });

  it('a missing input folder is a failed run (exit 1), before any model loads', async () => {
    let stderr = '';
    const code = await labelCommand.run([join(scratch, 'nowhere'), '--labels', 'cat', '--out', join(scratch, 'nowhere.json'), '--model', 'no-such-model'], {
      stdout: () => {},
      stderr: (text) => (stderr += text),
    });
    expect(code).toBe(1);
    expect(stderr).toBe(`paligemma label: cannot read "${join(scratch, 'nowhere')}": no such file or folder\n`);
  });

  it('a yolo --out folder holding other files is refused', async () => {
    let stderr = '';
    const code = await labelCommand.run([images, '--labels', 'cat', '--out', images, '--format', 'yolo'], { stdout: () => {}, stderr: (text) => (stderr += text) });
    expect(code).toBe(2);
    expect(stderr).toBe(`paligemma label: --out ${images} is a folder that holds other files (no data.yaml); choose a new or empty folder for the yolo format\n`);
  });
});
