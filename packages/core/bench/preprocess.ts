/** Benchmark: decode + preprocess a 12-megapixel JPEG to 224×224, ours against transformers.js' own pipeline. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AutoProcessor, RawImage, env } from '@huggingface/transformers';
import sharp from 'sharp';
import { decodeImage, preprocessImage, readImageProcessorConfig } from '../src/image/index.js';

/** A typical phone photo: 4000×3000 = 12 MP. */
const WIDTH = 4000;
const HEIGHT = 3000;
/** Runs per pipeline after warm-up; the median is reported, runs alternate so drift hits both alike. */
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const WARMUP_RUNS = 2;

const FIXTURES = fileURLToPath(new URL('../../../fixtures/', import.meta.url));

/** Upscales a fixture photo and adds noise so the JPEG carries real high-frequency detail, as a camera's does. */
async function makeLargeJpeg(path: string): Promise<void> {
  const upscaled = await sharp(join(FIXTURES, 'images/astronaut.jpg')).resize(WIDTH, HEIGHT, { fit: 'fill' }).raw().toBuffer();
  let seed = 12345;
  for (let index = 0; index < upscaled.length; index++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    upscaled[index] = Math.max(0, Math.min(255, upscaled[index] + ((seed >>> 24) % 33) - 16));
  }
  await writeFile(path, await sharp(upscaled, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } }).jpeg({ quality: 90 }).toBuffer());
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function time(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

async function main(): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), 'bench-preprocess-'));
  try {
    const jpegPath = join(folder, 'photo-4000x3000.jpg');
    await makeLargeJpeg(jpegPath);
    const config = readImageProcessorConfig(JSON.parse(await readFile(join(FIXTURES, 'tiny-paligemma/preprocessor_config.json'), 'utf8')));
    env.allowRemoteModels = false;
    env.localModelPath = FIXTURES;
    const processor = await AutoProcessor.from_pretrained('tiny-paligemma');
    const imageProcessor = processor.image_processor;
    if (!imageProcessor) throw new Error('fixtures/tiny-paligemma has no image processor for transformers.js');

    // Both start from the file path; transformers.js' PaliGemma processor's image half is its image_processor.
    const ours = async () => preprocessImage(await decodeImage(await readFile(jpegPath)), config);
    const transformers = async () => (await imageProcessor(await RawImage.read(jpegPath))).pixel_values.data as Float32Array;
    // Our two stages timed separately within one call, so their sum is the pipeline's time.
    const stages = { decode: [] as number[], preprocess: [] as number[] };
    const oursByStage = async () => {
      const started = performance.now();
      const image = await decodeImage(await readFile(jpegPath));
      const decoded = performance.now();
      preprocessImage(image, config);
      stages.decode.push(decoded - started);
      stages.preprocess.push(performance.now() - decoded);
    };

    for (let run = 0; run < WARMUP_RUNS; run++) {
      await ours();
      await transformers();
    }
    const timings = { ours: [] as number[], transformers: [] as number[] };
    for (let run = 0; run < RUNS; run++) {
      timings.ours.push(await time(ours));
      timings.transformers.push(await time(transformers));
      await oursByStage();
    }
    const ourValues = await ours();
    const theirValues = await transformers();
    let total = 0;
    let max = 0;
    for (let index = 0; index < ourValues.length; index++) {
      const difference = Math.abs(ourValues[index] - theirValues[index]);
      total += difference;
      max = Math.max(max, difference);
    }
    const oursMs = median(timings.ours);
    const transformersMs = median(timings.transformers);
    const lines = {
      image: `${WIDTH}x${HEIGHT} JPEG (quality 90) -> ${config.size.width}x${config.size.height}`,
      runs: RUNS,
      'ours_ms (decode + preprocess, median)': oursMs.toFixed(1),
      'ours_decode_ms (decodeImage, median)': median(stages.decode).toFixed(1),
      'ours_preprocess_ms (preprocessImage: resize + normalise, median)': median(stages.preprocess).toFixed(1),
      'transformers_ms (RawImage.read + image_processor, median)': transformersMs.toFixed(1),
      'speedup (transformers / ours)': (transformersMs / oursMs).toFixed(2),
      'ours_vs_transformers_mean_abs_diff': (total / ourValues.length).toFixed(4),
      'ours_vs_transformers_max_abs_diff': max.toFixed(4),
    };
    for (const [name, value] of Object.entries(lines)) console.log(`${name}: ${value}`);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

await main();
