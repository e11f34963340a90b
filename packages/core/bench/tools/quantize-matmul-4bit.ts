/**
 * Rewrites a decoder's fp32 MatMul weights as ONNX Runtime `MatMulNBits` (4-bit, blocks of 32), as published
 * `decoder_model_merged_q4.onnx` exports do, filling the 4-bit weights and scales with random values of the same
 * shapes. Every other initializer keeps its (external) values. Timing only: the outputs are meaningless.
 *
 *   pnpm exec tsx packages/core/bench/tools/quantize-matmul-4bit.ts --model /work/bench-models/paligemma-3b-random [--accuracy-level 4] [--suffix q4]
 *
 * accuracy_level: 0 = the kernel's default (fp32 activations), 4 = int8 activations (AVX2/AVX512-VNNI paths).
 */
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type ModelProto, TENSOR_TYPE, externalInitializers, onnx, placeExternally, readModel, writeModel } from './onnx-graph.js';
import { randomBlock } from './random-block.js';

const BLOCK_SIZE = 32;
const BITS = 4;
const MICROSOFT_DOMAIN = 'com.microsoft';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { model: { type: 'string' }, 'accuracy-level': { type: 'string' }, suffix: { type: 'string' } },
  });
  if (!values.model) throw new Error('usage: quantize-matmul-4bit --model <dir with onnx/decoder_model_merged.onnx> [--accuracy-level 0|4] [--suffix q4]');
  const suffix = values.suffix ?? 'q4';
  const accuracyLevel = Number(values['accuracy-level'] ?? 4);
  const onnxDir = join(values.model, 'onnx');
  const model = await readModel(join(onnxDir, 'decoder_model_merged.onnx'));
  const dataFile = `decoder_model_merged_${suffix}.onnx_data`;
  const output = await open(join(onnxDir, dataFile), 'w');
  const sources = new Map<string, Awaited<ReturnType<typeof open>>>();
  let offset = 0;
  /** Appends bytes 4 KiB-aligned (as exporters do, so weights can be memory-mapped) and returns their offset. */
  const append = async (bytes: Uint8Array, length = bytes.length): Promise<number> => {
    const at = offset;
    for (let written = 0; written < length; written += bytes.length) {
      await output.write(bytes, 0, Math.min(bytes.length, length - written), at + written);
    }
    offset = Math.ceil((at + length) / 4096) * 4096;
    return at;
  };
  try {
    const quantized = await rewriteMatMuls(model, dataFile, accuracyLevel, append);
    // Everything else keeps its values, copied into the new data file.
    for (const placement of externalInitializers(model)) {
      if (placement.location === dataFile) continue;
      let source = sources.get(placement.location);
      if (!source) sources.set(placement.location, (source = await open(join(onnxDir, placement.location), 'r')));
      const bytes = new Uint8Array(placement.length);
      await source.read(bytes, 0, placement.length, placement.offset);
      placeExternally(placement.tensor, dataFile, await append(bytes), placement.length);
    }
    await writeModel(join(onnxDir, `decoder_model_merged_${suffix}.onnx`), model);
    console.log(`decoder_model_merged_${suffix}.onnx: ${quantized} MatMuls as MatMulNBits (bits ${BITS}, block ${BLOCK_SIZE}, accuracy_level ${accuracyLevel}); data ${(offset / 1e9).toFixed(2)} GB`);
  } finally {
    await output.close();
    for (const source of sources.values()) await source.close();
  }
}

async function rewriteMatMuls(model: ModelProto, dataFile: string, accuracyLevel: number, append: (bytes: Uint8Array, length?: number) => Promise<number>): Promise<number> {
  const graph = model.graph!;
  const initializers = new Map((graph.initializer ?? []).map((tensor) => [tensor.name ?? '', tensor]));
  const packed = randomBlock(TENSOR_TYPE.UINT8, 7);
  const scales = positiveScales();
  const replaced = new Set<string>();
  let count = 0;
  for (const node of graph.node ?? []) {
    const weight = node.opType === 'MatMul' ? initializers.get(node.input?.[1] ?? '') : undefined;
    if (!weight || weight.dataType !== TENSOR_TYPE.FLOAT || weight.dims?.length !== 2) continue;
    const [k, n] = (weight.dims ?? []).map(Number);
    if (k % BLOCK_SIZE !== 0) continue;
    const blocks = k / BLOCK_SIZE;
    const name = weight.name ?? '';
    const quantBytes = n * blocks * (BLOCK_SIZE * BITS / 8);
    const quant = onnx.TensorProto.create({ name: `${name}_Q4`, dims: [n, blocks, BLOCK_SIZE * BITS / 8], dataType: TENSOR_TYPE.UINT8 });
    placeExternally(quant, dataFile, await append(packed, quantBytes), quantBytes);
    const scale = onnx.TensorProto.create({ name: `${name}_scales`, dims: [n * blocks], dataType: TENSOR_TYPE.FLOAT });
    placeExternally(scale, dataFile, await append(scales, n * blocks * 4), n * blocks * 4);
    graph.initializer!.push(quant, scale);
    node.opType = 'MatMulNBits';
    node.domain = MICROSOFT_DOMAIN;
    node.input = [node.input![0], quant.name!, scale.name!];
    node.attribute = [
      onnx.AttributeProto.create({ name: 'K', type: onnx.AttributeProto.AttributeType.INT, i: k }),
      onnx.AttributeProto.create({ name: 'N', type: onnx.AttributeProto.AttributeType.INT, i: n }),
      onnx.AttributeProto.create({ name: 'bits', type: onnx.AttributeProto.AttributeType.INT, i: BITS }),
      onnx.AttributeProto.create({ name: 'block_size', type: onnx.AttributeProto.AttributeType.INT, i: BLOCK_SIZE }),
      onnx.AttributeProto.create({ name: 'accuracy_level', type: onnx.AttributeProto.AttributeType.INT, i: accuracyLevel }),
    ];
    replaced.add(name);
    count++;
  }
  graph.initializer = (graph.initializer ?? []).filter((tensor) => !replaced.has(tensor.name ?? ''));
  if (!model.opsetImport?.some((opset) => opset.domain === MICROSOFT_DOMAIN)) {
    model.opsetImport = [...(model.opsetImport ?? []), onnx.OperatorSetIdProto.create({ domain: MICROSOFT_DOMAIN, version: 1 })];
  }
  return count;
}

/** Scales of trained 4-bit weights are small positive numbers: 0.002..0.01 here. */
function positiveScales(): Uint8Array {
  const values = new Float32Array(4 * 1024 * 1024);
  let state = 99;
  for (let index = 0; index < values.length; index++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    values[index] = 0.002 + (state / 2 ** 32) * 0.008;
  }
  return new Uint8Array(values.buffer);
}

main().catch((error: unknown) => {
  console.error(`quantize-matmul-4bit: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
