/**
 * Makes a runnable full-size model from a weightless graph: copies the model folder and writes random values of
 * each initializer's data type into its external data file, at the offsets the graph names.
 *
 *   pnpm exec tsx packages/core/bench/tools/fill-random-weights.ts --source ../shared/fixtures/bench-paligemma-3b --target /work/bench-models/paligemma-3b-random
 *
 * Needs about 14 GB of disk for the fp32 graphs. Outputs are meaningless: time it with EOS ignored.
 */
import { copyFile, mkdir, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { externalInitializers, readModel } from './onnx-graph.js';
import { randomBlock } from './random-block.js';

/** One random block per data type, tiled over every tensor of that type. */
const blocks = new Map<number, Uint8Array>();

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { source: { type: 'string' }, target: { type: 'string' } } });
  if (!values.source || !values.target) throw new Error('usage: fill-random-weights --source <weightless model dir> --target <dir>');
  await mkdir(join(values.target, 'onnx'), { recursive: true });
  for (const file of await readdir(values.source)) {
    if (file.endsWith('.json')) await copyFile(join(values.source, file), join(values.target, file));
  }
  for (const file of (await readdir(join(values.source, 'onnx'))).filter((name) => name.endsWith('.onnx'))) {
    await copyFile(join(values.source, 'onnx', file), join(values.target, 'onnx', file));
    const placements = externalInitializers(await readModel(join(values.source, 'onnx', file)));
    const byFile = new Map<string, typeof placements>();
    for (const placement of placements) byFile.set(placement.location, [...(byFile.get(placement.location) ?? []), placement]);
    for (const [location, tensors] of byFile) {
      const started = performance.now();
      const handle = await open(join(values.target, 'onnx', location), 'w');
      let bytes = 0;
      try {
        for (const { tensor, offset, length } of tensors) {
          const dataType = tensor.dataType ?? 0;
          const block = blocks.get(dataType) ?? randomBlock(dataType);
          blocks.set(dataType, block);
          // Start each tensor at a different place in the block so neighbouring matrices differ.
          let start = (offset >>> 4) % (block.length / 2) & ~7;
          for (let written = 0; written < length; ) {
            const chunk = Math.min(block.length - start, length - written);
            await handle.write(block, start, chunk, offset + written);
            written += chunk;
            start = 0;
          }
          bytes += length;
        }
      } finally {
        await handle.close();
      }
      console.log(`${location}: ${(bytes / 1e9).toFixed(2)} GB of random weights in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
  }
}

main().catch((error: unknown) => {
  console.error(`fill-random-weights: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
