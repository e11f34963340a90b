/** Runs every case of a reference file through the model and compares prompt ids and greedy tokens. */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { LocalEngine } from '../engine/local-engine.js';
import { decodeImage } from '../image/decode-image.js';
import type { ReferenceCase, ReferenceFile } from './reference-file.js';

export interface ConformanceOptions {
  /** Folder with the case images (`<image>.jpg`, `.png`, …). */
  imagesDir: string;
  /** Feed `<pixelsDir>/<image>.pixel_values.f32` instead of our own preprocessing. */
  pixelsDir?: string;
  onCase?: (result: CaseResult) => void;
}

export interface CaseResult {
  testCase: ReferenceCase;
  passed: boolean;
  /** Why the case failed; empty when it passed. */
  problem: string;
}

/**
 * Runs on the engine itself (exact pixel values in, token ids out), below the task layer.
 * @example const results = await runConformance(await LocalEngine.load({ model }), reference, { imagesDir: 'fixtures/images' })
 */
export async function runConformance(engine: LocalEngine, reference: ReferenceFile, options: ConformanceOptions): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  const imageFiles = await readdir(options.imagesDir).catch(() => {
    if (options.pixelsDir) return [];
    throw new Error(`images folder ${options.imagesDir} cannot be read`);
  });
  for (const testCase of reference.cases) {
    // Reference runs decode a fixed number of tokens with end-of-sequence ignored.
    const maxNewTokens = reference.max_new_tokens ?? testCase.greedy_new_ids.length;
    const promptIds = engine.promptIds(testCase.prompt);
    let problem = firstDifference('prompt ids', testCase.input_ids, promptIds);
    if (!problem) {
      const request = { prompt: testCase.prompt, maxNewTokens, ignoreEos: true };
      const output = options.pixelsDir
        ? await engine.generateFromPixels({
          ...request,
          pixelValues: await readPixelValues(join(options.pixelsDir, `${testCase.image}.pixel_values.f32`), engine.imageProcessor.size.height),
        })
        : await engine.generate({ ...request, image: { pixels: await decodeImage(await readFile(findImage(options.imagesDir, imageFiles, testCase.image))) } });
      problem = firstDifference('generated ids', testCase.greedy_new_ids, output.tokenIds);
    }
    const result = { testCase, passed: !problem, problem };
    options.onCase?.(result);
    results.push(result);
  }
  return results;
}

/** Describes the first position where two id lists differ, or '' when equal. */
function firstDifference(what: string, expected: readonly number[], actual: readonly number[]): string {
  const length = Math.max(expected.length, actual.length);
  for (let index = 0; index < length; index++) {
    if (expected[index] !== actual[index]) {
      return `${what} differ at ${index}: expected ${expected[index] ?? '(end)'}, got ${actual[index] ?? '(end)'}`;
    }
  }
  return '';
}

function findImage(imagesDir: string, files: string[], name: string): string {
  const file = files.find((candidate) => candidate.replace(/\.[^.]+$/, '') === name);
  if (!file) throw new Error(`no image named ${name}.* in ${imagesDir}`);
  return join(imagesDir, file);
}

/** `<name>.pixel_values.f32`: float32 little-endian `[1, 3, size, size]`. */
async function readPixelValues(path: string, size: number): Promise<Float32Array> {
  const bytes = await readFile(path).catch(() => {
    throw new Error(`pixel values file ${path} cannot be read`);
  });
  const expected = 3 * size * size * Float32Array.BYTES_PER_ELEMENT;
  if (bytes.byteLength !== expected) throw new Error(`${path} has ${bytes.byteLength} bytes; expected ${expected} for [1,3,${size},${size}] float32`);
  const values = new Float32Array(3 * size * size);
  for (let index = 0; index < values.length; index++) values[index] = bytes.readFloatLE(index * 4);
  return values;
}
