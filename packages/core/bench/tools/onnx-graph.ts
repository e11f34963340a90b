/** Reading and writing ONNX model protobufs for the benchmark tools (via onnx-proto). */
import { readFile, writeFile } from 'node:fs/promises';
import onnxProto from 'onnx-proto';

export const { onnx } = onnxProto;
export type ModelProto = InstanceType<typeof onnx.ModelProto>;
export type TensorProto = onnxProto.onnx.ITensorProto;

/** ONNX TensorProto data types we write, with their byte sizes. */
export const TENSOR_TYPE = { FLOAT: 1, UINT8: 2, INT64: 7, FLOAT16: 10 } as const;
const BYTES_PER_ELEMENT: Record<number, number> = { 1: 4, 2: 1, 3: 1, 5: 2, 6: 4, 7: 8, 9: 1, 10: 2, 11: 8, 16: 2 };

export function bytesPerElement(dataType: number): number {
  const size = BYTES_PER_ELEMENT[dataType];
  if (!size) throw new Error(`unsupported tensor data type ${dataType}`);
  return size;
}

export async function readModel(path: string): Promise<ModelProto> {
  return onnx.ModelProto.decode(await readFile(path));
}

export async function writeModel(path: string, model: ModelProto): Promise<void> {
  await writeFile(path, onnx.ModelProto.encode(model).finish());
}

/** Where an initializer's bytes live in its external data file. */
export interface ExternalPlacement {
  tensor: TensorProto;
  location: string;
  offset: number;
  length: number;
}

/** Initializers stored outside the graph, with their placement. */
export function externalInitializers(model: ModelProto): ExternalPlacement[] {
  return (model.graph?.initializer ?? [])
    .filter((tensor) => tensor.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL)
    .map((tensor) => {
      const entry = (key: string) => tensor.externalData?.find((item) => item.key === key)?.value;
      const elements = (tensor.dims ?? []).reduce((product: number, dim) => product * Number(dim), 1);
      return {
        tensor,
        location: entry('location') ?? '',
        offset: Number(entry('offset') ?? 0),
        length: Number(entry('length') ?? elements * bytesPerElement(tensor.dataType ?? 0)),
      };
    });
}

/** Points an initializer at `length` bytes at `offset` of `location`. */
export function placeExternally(tensor: TensorProto, location: string, offset: number, length: number): void {
  tensor.rawData = new Uint8Array(0);
  tensor.floatData = [];
  tensor.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
  tensor.externalData = [
    onnx.StringStringEntryProto.create({ key: 'location', value: location }),
    onnx.StringStringEntryProto.create({ key: 'offset', value: String(offset) }),
    onnx.StringStringEntryProto.create({ key: 'length', value: String(length) }),
  ];
}
