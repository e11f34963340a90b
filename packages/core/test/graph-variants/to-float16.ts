/**
 * A graph tool for tests: turns an fp32 graph into a float16 one with float16 inputs and outputs, as
 * onnxconverter-common's `convert_float_to_float16(model, keep_io_types=False)` (and transformers.js' copy of it,
 * which made the published `*_fp16.onnx` files) does: float initializers and constants become float16 (clamped to
 * ±1e4 and away from zero below 1e-7, that converter's defaults), casts to float become casts to float16, and the
 * graph's float inputs and outputs are declared float16. Every float tensor in between follows by type inference.
 * Ops without a float16 kernel on a device get casts from ONNX Runtime itself.
 */
import { type GraphEdit, type ModelProto, onnx } from '../../src/engine/graph-edits/graph-rewrite.js';
import { float32ToFloat16 } from '../../src/engine/float16.js';

const { FLOAT, FLOAT16 } = onnx.TensorProto.DataType;
/** onnxconverter-common's defaults: magnitudes are kept within [1e-7, 1e4] (zero stays zero). */
const MIN_POSITIVE = 1e-7;
const MAX_FINITE = 1e4;

type TensorProto = Parameters<typeof onnx.TensorProto.encode>[0];

/** Rewrites `tensor` (float32, inline) as float16 in place. */
function tensorToFloat16(tensor: TensorProto): void {
  if (tensor.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) throw new Error(`${tensor.name}: external data is not supported by this tool`);
  const values = tensor.rawData && tensor.rawData.length > 0
    ? new Float32Array(new Uint8Array(tensor.rawData).buffer)
    : Float32Array.from(tensor.floatData ?? []);
  const clamped = values.map((value) => {
    const magnitude = Math.abs(value);
    if (magnitude === 0 || !Number.isFinite(magnitude)) return value;
    return Math.sign(value) * Math.min(MAX_FINITE, Math.max(MIN_POSITIVE, magnitude));
  });
  tensor.dataType = FLOAT16;
  tensor.floatData = [];
  tensor.rawData = new Uint8Array(float32ToFloat16(clamped).buffer);
}

/**
 * Converts the whole graph to float16 (see the module comment); false when it holds no float32 at all.
 * @example await rewriteGraph(path, [toFloat16])
 */
export const toFloat16: GraphEdit = (model: ModelProto) => {
  const graph = model.graph;
  if (!graph) return false;
  let changed = false;
  for (const tensor of graph.initializer ?? []) {
    if (tensor.dataType === FLOAT) {
      tensorToFloat16(tensor);
      changed = true;
    }
  }
  for (const node of graph.node ?? []) {
    for (const attribute of node.attribute ?? []) {
      if (attribute.g || (attribute.graphs?.length ?? 0) > 0) throw new Error(`${node.name}: subgraphs are not supported by this tool`);
      if (attribute.name === 'value_float' || attribute.name === 'value_floats') throw new Error(`${node.name}: ${attribute.name} is not supported by this tool`);
      if ((node.opType === 'Constant' || node.opType === 'ConstantOfShape') && attribute.name === 'value' && attribute.t?.dataType === FLOAT) {
        tensorToFloat16(attribute.t);
        changed = true;
      }
      if (node.opType === 'Cast' && attribute.name === 'to' && Number(attribute.i) === FLOAT) {
        attribute.i = FLOAT16;
        changed = true;
      }
    }
  }
  for (const value of [...(graph.input ?? []), ...(graph.output ?? []), ...(graph.valueInfo ?? [])]) {
    const tensorType = value.type?.tensorType;
    if (tensorType?.elemType === FLOAT) {
      tensorType.elemType = FLOAT16;
      changed = true;
    }
  }
  return changed;
};
