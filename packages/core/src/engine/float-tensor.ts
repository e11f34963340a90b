/** Float tensors at the engine's boundary: the engine computes on float32, graphs may take and give float16. */
import * as ort from 'onnxruntime-node';
import { float16ToFloat32, float32ToFloat16 } from './float16.js';

/** Element types the engine converts to and from; any other float type is refused at load. */
export type FloatType = 'float32' | 'float16';

/**
 * A tensor of `type` holding `values`, converted to float16 when the graph asks for it.
 * @example await session.run({ inputs_embeds: floatTensor('float16', embeddings, [1, 8, 2048]) })
 */
export function floatTensor(type: FloatType, values: Float32Array, dims: readonly number[]): ort.Tensor {
  return type === 'float16' ? new ort.Tensor('float16', float32ToFloat16(values), dims) : new ort.Tensor('float32', values, dims);
}

/**
 * A float32 or float16 tensor's values as float32 (the float32 data itself, not a copy; float16 converted). A
 * `subarray` range (element offsets) converts only that part.
 * @example const row = readFloat32(output.logits, start, end)
 */
export function readFloat32(tensor: ort.Tensor, start = 0, end = tensor.size): Float32Array {
  if (tensor.type === 'float32') return (tensor.data as Float32Array).subarray(start, end);
  if (tensor.type !== 'float16') throw new TypeError(`expected a float32 or float16 tensor, got ${tensor.type}`);
  const data = tensor.data as ArrayLike<number> & { subarray(start: number, end: number): ArrayLike<number> };
  // Without a native Float16Array (Node 20), ONNX Runtime gives float16 data as Uint16Array bit patterns.
  const part = data.subarray(start, end);
  return part instanceof Uint16Array ? float16ToFloat32(part) : Float32Array.from(part);
}
