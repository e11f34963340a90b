/**
 * Measures how fast ONNX Runtime reads memory on this machine: a ReduceSum over a 1 GiB float tensor, with the
 * same thread settings the engine uses. Decoding one token must read every decoder weight once, so
 * (weight bytes per token ÷ this bandwidth) bounds the time per decode token from below.
 *
 *   pnpm exec tsx packages/core/bench/tools/measure-memory-bandwidth.ts [--gib 1] [--runs 5]
 */
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { TENSOR_TYPE, onnx } from './onnx-graph.js';

/** A graph with one input `x: float[n]` and one output `sum = ReduceSum(x)`. */
function reduceSumModel(): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [onnx.OperatorSetIdProto.create({ domain: '', version: 17 })],
    graph: onnx.GraphProto.create({
      name: 'bandwidth',
      node: [onnx.NodeProto.create({ opType: 'ReduceSum', input: ['x'], output: ['sum'], attribute: [
        onnx.AttributeProto.create({ name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 0 }),
      ] })],
      input: [valueInfo('x', [-1])],
      output: [valueInfo('sum', [])],
    }),
  });
  return onnx.ModelProto.encode(model).finish();
}

function valueInfo(name: string, dims: number[]) {
  return onnx.ValueInfoProto.create({
    name,
    type: onnx.TypeProto.create({
      tensorType: onnx.TypeProto.Tensor.create({
        elemType: TENSOR_TYPE.FLOAT,
        shape: onnx.TensorShapeProto.create({ dim: dims.map((dim) => (dim < 0 ? { dimParam: 'n' } : { dimValue: dim })) }),
      }),
    }),
  });
}

export async function measureMemoryBandwidth(gib = 1, runs = 5): Promise<number> {
  const session = await ort.InferenceSession.create(reduceSumModel(), { graphOptimizationLevel: 'all' });
  const values = new Float32Array((gib * 1024 ** 3) / 4).fill(1);
  const x = new ort.Tensor('float32', values, [values.length]);
  await session.run({ x });
  const seconds: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    await session.run({ x });
    seconds.push((performance.now() - started) / 1000);
  }
  await session.release();
  return values.byteLength / Math.min(...seconds);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { gib: { type: 'string' }, runs: { type: 'string' } } });
  const bandwidth = await measureMemoryBandwidth(Number(values.gib ?? 1), Number(values.runs ?? 5));
  console.log(`memory_read_bandwidth_gb_per_s: ${(bandwidth / 1e9).toFixed(1)}`);
}
