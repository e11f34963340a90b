import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TINY_MODEL_DIR } from '@paligemma/test-support';
import { onnx, rewriteGraph } from './graph-rewrite.js';
import { setMatMulNBitsAccuracy } from './matmul-nbits-accuracy.js';

const [M, K, N, BLOCK] = [4, 64, 8, 32];
let folder: string;
let path: string;

/** A one-node graph: Y[M,N] = A[M,K] × dequantised 4-bit B, as a q4 export's MatMuls are (accuracy_level unset). */
function matMulNBitsModel(): Uint8Array {
  let state = 11;
  const random = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const blocks = K / BLOCK;
  const tensor = (name: string, dataType: number, dims: number[], rawData: Uint8Array) => onnx.TensorProto.create({ name, dataType, dims, rawData });
  const weights = Uint8Array.from({ length: N * blocks * (BLOCK / 2) }, () => Math.floor(random() * 256));
  const scales = Float32Array.from({ length: N * blocks }, () => 0.01 + random() * 0.02);
  const int = (name: string, i: number) => onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INT, i });
  const value = (name: string, dims: number[]) => onnx.ValueInfoProto.create({
    name,
    type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: dims.map((dimValue) => ({ dimValue })) } } },
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }, { domain: 'com.microsoft', version: 1 }],
    graph: {
      name: 'q4',
      node: [{ opType: 'MatMulNBits', domain: 'com.microsoft', input: ['A', 'B', 'scales'], output: ['Y'], attribute: [int('K', K), int('N', N), int('bits', 4), int('block_size', BLOCK)] }],
      initializer: [
        tensor('B', onnx.TensorProto.DataType.UINT8, [N, blocks, BLOCK / 2], weights),
        tensor('scales', onnx.TensorProto.DataType.FLOAT, [N * blocks], new Uint8Array(scales.buffer)),
      ],
      input: [value('A', [M, K])],
      output: [value('Y', [M, N])],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

async function run(graph: string): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(graph);
  const input = Float32Array.from({ length: M * K }, (_, index) => Math.sin(index * 0.37));
  const { Y } = await session.run({ A: new ort.Tensor('float32', input, [M, K]) });
  await session.release();
  return Y.data as Float32Array;
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'paligemma-q4-graph-'));
  path = join(folder, 'model.onnx');
  await writeFile(path, matMulNBitsModel());
});
afterAll(() => rm(folder, { recursive: true, force: true }));

describe('setMatMulNBitsAccuracy', () => {
  it('sets accuracy_level on MatMulNBits, and the graph still computes the same product within int8 rounding', async () => {
    const rewritten = await rewriteGraph(path, [setMatMulNBitsAccuracy(4)]);
    expect(rewritten).toBeDefined();
    const node = onnx.ModelProto.decode(await readFile(rewritten!.path)).graph!.node![0];
    expect(node.attribute!.find((attribute) => attribute.name === 'accuracy_level')).toMatchObject({ i: 4 });
    const [exact, int8] = [await run(path), await run(rewritten!.path)];
    const scale = Math.max(...exact.map(Math.abs));
    expect(scale).toBeGreaterThan(0.1);
    for (const [index, value] of exact.entries()) expect(Math.abs(int8[index] - value)).toBeLessThan(0.02 * scale);

    // Already at that level: nothing to rewrite; another level replaces the attribute rather than adding one.
    expect(await rewriteGraph(rewritten!.path, [setMatMulNBitsAccuracy(4)])).toBeUndefined();
    const back = await rewriteGraph(rewritten!.path, [setMatMulNBitsAccuracy(1)]);
    const attributes = onnx.ModelProto.decode(await readFile(back!.path)).graph!.node![0].attribute!;
    expect(attributes.filter((attribute) => attribute.name === 'accuracy_level').map((attribute) => Number(attribute.i))).toEqual([1]);
    await Promise.all([rewritten!.remove(), back!.remove()]);
  });

  it('leaves graphs without MatMulNBits alone', async () => {
    expect(await rewriteGraph(join(TINY_MODEL_DIR, 'onnx/decoder_model_merged.onnx'), [setMatMulNBitsAccuracy(4)])).toBeUndefined();
  });
});
