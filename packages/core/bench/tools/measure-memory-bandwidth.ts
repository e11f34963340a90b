/**
 * Measures how fast ONNX Runtime reads memory on this machine, the way a decode step does: a vector times a 1 GiB
 * weight matrix (MatMul [1, K] × [K, N], MLAS's multithreaded GEMV), with ONNX Runtime's default threads.
 * Decoding one token must read every decoder weight once, so (weight bytes per token ÷ this bandwidth) bounds the
 * time per decode token from below.
 *
 *   pnpm exec tsx packages/core/bench/tools/measure-memory-bandwidth.ts [--gib 1] [--runs 5]
 */
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { TENSOR_TYPE, onnx } from './onnx-graph.js';

/** Rows of the weight matrix: a decoder's hidden size is of this order. */
const K = 8192;

/** A graph `y = MatMul(x: float[1, K], w: float[K, N])`, both as inputs. */
function gemvModel(): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [onnx.OperatorSetIdProto.create({ domain: '', version: 17 })],
    graph: onnx.GraphProto.create({
      name: 'bandwidth',
      node: [onnx.NodeProto.create({ opType: 'MatMul', input: ['x', 'w'], output: ['y'] })],
      input: [valueInfo('x', [1, K]), valueInfo('w', [K, -1])],
      output: [valueInfo('y', [1, -1])],
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
  const session = await ort.InferenceSession.create(gemvModel(), { graphOptimizationLevel: 'all' });
  const columns = Math.floor((gib * 1024 ** 3) / 4 / K);
  const values = new Float32Array(K * columns).fill(0.5);
  const feeds = { x: new ort.Tensor('float32', new Float32Array(K).fill(1), [1, K]), w: new ort.Tensor('float32', values, [K, columns]) };
  await session.run(feeds);
  const seconds: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    await session.run(feeds);
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
