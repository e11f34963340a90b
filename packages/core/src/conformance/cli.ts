/** `pnpm conformance`: checks a PaliGemma export against PyTorch reference outputs. */
import { parseArgs } from 'node:util';
import { LocalEngine } from '../engine/local-engine.js';
import { readReferenceFile } from './reference-file.js';
import { runConformance } from './run-conformance.js';

const USAGE = `usage: pnpm conformance --model <dir> --reference <reference.json> --images <dir> [--pixels <dir>] [--compare-pixels <dir>]
  --model           model directory (or hub id) in the transformers.js layout
  --reference       reference file: cases of {image, prompt, input_ids, greedy_new_ids}
  --images          folder of the case images (<image>.jpg, .png, …)
  --pixels          feed <dir>/<image>.pixel_values.f32 instead of our own preprocessing
  --compare-pixels  also compare our preprocessing with <dir>/<image>.pixel_values.f32`;

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string' },
      reference: { type: 'string' },
      images: { type: 'string' },
      pixels: { type: 'string' },
      'compare-pixels': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.model || !values.reference || !values.images) throw new UsageError('--model, --reference and --images are required');
  const reference = await readReferenceFile(values.reference);
  const engine = await LocalEngine.load({ model: values.model, featureCacheBytes: 0, prefixCacheBytes: 0 });
  try {
    let failed = 0;
    if (values['compare-pixels']) failed += await comparePixelsAndPrint(engine, values.images, values['compare-pixels']);
    const results = await runConformance(engine, reference, {
      imagesDir: values.images,
      pixelsDir: values.pixels,
      onCase: ({ testCase, passed, problem }) =>
        console.log(`${passed ? 'ok  ' : 'FAIL'} ${testCase.image} ${JSON.stringify(testCase.prompt)}${problem ? `: ${problem}` : ''}`),
    });
    const passedCount = results.filter((result) => result.passed).length;
    failed += results.length - passedCount;
    console.log(`${passedCount} passed, ${results.length - passedCount} failed`);
    return failed === 0 ? 0 : 1;
  } finally {
    await engine.close();
  }
}

async function comparePixelsAndPrint(engine: LocalEngine, imagesDir: string, referenceDir: string): Promise<number> {
  const { comparePixels } = await import('./compare-pixels.js');
  const rows = await comparePixels({ imagesDir, referenceDir, config: engine.imageProcessor });
  let failed = 0;
  for (const { name, mean, max } of rows) {
    const ok = max <= PIXEL_TOLERANCE.max && mean <= PIXEL_TOLERANCE.mean;
    if (!ok) failed++;
    console.log(`pixels ${name} mean=${mean.toExponential(3)} max=${max.toExponential(3)}${ok ? '' : ' FAIL'}`);
  }
  return failed;
}

/** Pixel parity bar: our preprocessing against PIL's on the [−1, 1] scale. */
const PIXEL_TOLERANCE = { max: 0.01, mean: 0.001 };

class UsageError extends Error {}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`conformance: ${message}`);
    if (error instanceof UsageError || (error instanceof Error && error.name === 'TypeError' && 'code' in error)) console.error(USAGE);
    process.exit(2);
  },
);
