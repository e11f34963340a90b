/**
 * A graph tool for tests: quantizes a graph's MatMul weights to ONNX Runtime's 4-bit `MatMulNBits` (blocks of 32
 * along K, symmetric, default zero point 8), as transformers.js' `*_q4.onnx` exports are made. Unlike the
 * benchmark's random-weight tool it quantizes the real weights, so a q4 fixture still computes the same model,
 * within 4-bit rounding. Run `toFloat16` after it for a q4f16 graph.
 */
import { type GraphEdit, onnx } from '../../src/engine/graph-edits/graph-rewrite.js';

const BLOCK = 32;
const MICROSOFT = 'com.microsoft';
const { FLOAT, UINT8 } = onnx.TensorProto.DataType;

function int(name: string, i: number) {
  return onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INT, i });
}

/** `[K, N]` float32 weights → packed 4-bit blocks `[N, K / 32, 16]` (low nibble first) and scales `[N * K / 32]`. */
function quantize(weights: Float32Array, k: number, n: number): { packed: Uint8Array; scales: Float32Array } {
  const blocks = k / BLOCK;
  const packed = new Uint8Array(n * blocks * (BLOCK / 2));
  const scales = new Float32Array(n * blocks);
  for (let column = 0; column < n; column++) {
    for (let block = 0; block < blocks; block++) {
      let largest = 0;
      for (let row = block * BLOCK; row < (block + 1) * BLOCK; row++) largest = Math.max(largest, Math.abs(weights[row * n + column]));
      const scale = largest / 7 || 1;
      scales[column * blocks + block] = scale;
      for (let index = 0; index < BLOCK; index++) {
        const value = weights[(block * BLOCK + index) * n + column];
        const level = Math.min(15, Math.max(0, Math.round(value / scale) + 8));
        const at = (column * blocks + block) * (BLOCK / 2) + (index >> 1);
        packed[at] |= index % 2 === 0 ? level : level << 4;
      }
    }
  }
  return { packed, scales };
}

/**
 * Replaces every `MatMul` whose right side is a `[K, N]` float initializer (K a multiple of 32) by `MatMulNBits`.
 * @example writeModelVariant('q4', { decoder_model_merged: [quantizeMatMuls4Bit] })
 */
export const quantizeMatMuls4Bit: GraphEdit = (model) => {
  const graph = model.graph!;
  const initializers = new Map((graph.initializer ?? []).map((tensor) => [tensor.name, tensor]));
  const quantized = new Set<string>();
  for (const node of graph.node ?? []) {
    const name = node.input?.[1] ?? '';
    const weights = node.opType === 'MatMul' ? initializers.get(name) : undefined;
    const dims = (weights?.dims ?? []).map(Number);
    if (!weights || weights.dataType !== FLOAT || dims.length !== 2 || dims[0] % BLOCK !== 0) continue;
    const [k, n] = dims;
    if (!quantized.has(name)) {
      const { packed, scales } = quantize(new Float32Array(new Uint8Array(weights.rawData!).buffer), k, n);
      graph.initializer!.push(
        onnx.TensorProto.create({ name: `${name}/q4`, dataType: UINT8, dims: [n, k / BLOCK, BLOCK / 2], rawData: packed }),
        onnx.TensorProto.create({ name: `${name}/scales`, dataType: FLOAT, dims: [n * (k / BLOCK)], rawData: new Uint8Array(scales.buffer) }),
      );
      quantized.add(name);
    }
    node.opType = 'MatMulNBits';
    node.domain = MICROSOFT;
    node.input = [node.input![0], `${name}/q4`, `${name}/scales`];
    node.attribute = [int('K', k), int('N', n), int('bits', 4), int('block_size', BLOCK)];
  }
  const readers = new Set((graph.node ?? []).flatMap((node) => node.input ?? []));
  graph.initializer = graph.initializer!.filter((tensor) => !quantized.has(tensor.name ?? '') || readers.has(tensor.name ?? ''));
  const changed = quantized.size > 0;
  if (changed && !model.opsetImport?.some((opset) => opset.domain === MICROSOFT)) {
    model.opsetImport = [...(model.opsetImport ?? []), onnx.OperatorSetIdProto.create({ domain: MICROSOFT, version: 1 })];
  }
  return changed;
};
