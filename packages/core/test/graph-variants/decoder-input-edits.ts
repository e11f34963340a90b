/**
 * Graph tools for tests: rewrite the fixture's merged decoder to take the inputs other exports take, so the engine's
 * feeding by input names is tested on real graphs. The published PaliGemma export script takes no
 * `attention_mask` (the graph attends to everything); optimum's merged decoders take `use_cache_branch`; newer
 * exports take `num_logits_to_keep` or `cache_position`. The "checked" inputs are used by the graph: a wrong value
 * adds 10 000 to every embedding, so wrong feeding shows in the tokens.
 */
import { type GraphEdit, type ModelProto, onnx } from '../../src/engine/graph-edits/graph-rewrite.js';

const { FLOAT, INT64, BOOL } = onnx.TensorProto.DataType;
type Graph = NonNullable<ModelProto['graph']>;
type Node = NonNullable<Parameters<typeof onnx.NodeProto.create>[0]>;
/** Added to every embedding when a checked input holds a wrong value. */
const PENALTY = 1e4;

function valueInfo(name: string, elemType: number, dims: ReadonlyArray<number | string>) {
  return onnx.ValueInfoProto.create({
    name,
    type: { tensorType: { elemType, shape: { dim: dims.map((dim) => (typeof dim === 'number' ? { dimValue: dim } : { dimParam: dim })) } } },
  });
}

/** Builds nodes with unique names under `prefix`; constants become initializers. */
class Builder {
  readonly nodes: Node[] = [];
  constructor(private readonly graph: Graph, private readonly prefix: string) {}

  int64(name: string, values: readonly bigint[], dims: number[] = [values.length]): string {
    const full = `${this.prefix}/${name}`;
    this.graph.initializer!.push(onnx.TensorProto.create({ name: full, dataType: INT64, dims, rawData: new Uint8Array(BigInt64Array.from(values).buffer) }));
    return full;
  }

  float(name: string, value: number): string {
    const full = `${this.prefix}/${name}`;
    this.graph.initializer!.push(onnx.TensorProto.create({ name: full, dataType: FLOAT, dims: [1], rawData: new Uint8Array(Float32Array.of(value).buffer) }));
    return full;
  }

  node(opType: string, inputs: string[], output: string, attribute: Node['attribute'] = []): string {
    // The all-ones mask keeps the name of the input it replaces, so the graph's own readers find it.
    const full = output === 'attention_mask' ? output : `${this.prefix}/${output}`;
    this.nodes.push({ name: `${full}/${opType}`, opType, input: inputs, output: [full], attribute });
    return full;
  }

  /** Scalar int64: dimension `index` of `tensor`'s shape. */
  dimension(tensor: string, index: number, name: string): string {
    return this.node('Gather', [this.node('Shape', [tensor], `${name}/shape`), this.int64(`${name}/index`, [BigInt(index)], [])], name);
  }
}

function int(name: string, i: number) {
  return onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INT, i });
}

/** Adds `builder`'s nodes before every node of the graph (they read graph inputs and initializers only). */
function prepend(graph: Graph, builder: Builder): void {
  graph.node = [...builder.nodes.map((node) => onnx.NodeProto.create(node)), ...(graph.node ?? [])];
}

/** Makes every existing reader of `inputs_embeds` read `inputs_embeds + penalty` instead. */
function penalise(graph: Graph, builder: Builder, penalty: string): void {
  const readers = [...(graph.node ?? [])];
  const checked = builder.node('Add', ['inputs_embeds', builder.node('Mul', [penalty, builder.float('penalty', PENALTY)], 'scaled')], 'inputs_embeds_checked');
  for (const node of readers) node.input = node.input?.map((name) => (name === 'inputs_embeds' ? checked : name));
  prepend(graph, builder);
}

/** The decoder's cache length before this run, and the number of new positions (int64 scalars). */
function lengths(builder: Builder): { past: string; length: string } {
  return { past: builder.dimension('past_key_values.0.key', 2, 'past_length'), length: builder.dimension('inputs_embeds', 1, 'length') };
}

/**
 * Removes the `attention_mask` input; the graph builds an all-ones mask instead (attends to every column), as the
 * published PaliGemma export does.
 * @example await writeModelVariant('fp32', { decoder_model_merged: [withoutAttentionMask] })
 */
export const withoutAttentionMask: GraphEdit = (model) => {
  const graph = model.graph!;
  if (!graph.input?.some((input) => input.name === 'attention_mask')) return false;
  graph.input = graph.input.filter((input) => input.name !== 'attention_mask');
  const builder = new Builder(graph, 'all_ones_mask');
  const { past, length } = lengths(builder);
  const batch = builder.dimension('inputs_embeds', 0, 'batch');
  const axes = builder.int64('axes', [0n]);
  const shape = builder.node('Concat', [builder.node('Unsqueeze', [batch, axes], 'batch_1d'), builder.node('Unsqueeze', [builder.node('Add', [past, length], 'total'), axes], 'total_1d')], 'shape', [int('axis', 0)]);
  const one = onnx.TensorProto.create({ name: 'one', dataType: INT64, dims: [1], rawData: new Uint8Array(BigInt64Array.of(1n).buffer) });
  builder.node('ConstantOfShape', [shape], 'attention_mask', [onnx.AttributeProto.create({ name: 'value', type: onnx.AttributeProto.AttributeType.TENSOR, t: one })]);
  prepend(graph, builder);
  return true;
};

/**
 * Adds `use_cache_branch` (bool `[1]`), which must say whether past keys and values are given (optimum's merged decoders).
 * @example await writeModelVariant('fp32', { decoder_model_merged: [withCheckedUseCacheBranch] })
 */
export const withCheckedUseCacheBranch: GraphEdit = (model) => {
  const graph = model.graph!;
  graph.input!.push(valueInfo('use_cache_branch', BOOL, [1]));
  const builder = new Builder(graph, 'use_cache_branch_check');
  const hasPast = builder.node('Greater', [lengths(builder).past, builder.int64('zero', [0n], [])], 'has_past');
  const wrong = builder.node('Cast', [builder.node('Xor', [hasPast, 'use_cache_branch'], 'mismatch')], 'wrong', [int('to', FLOAT)]);
  penalise(graph, builder, wrong);
  return true;
};

/**
 * Adds `cache_position` (int64 `[sequence_length]`), which must count the new positions' cache columns from 0.
 * @example await writeModelVariant('fp32', { decoder_model_merged: [withCheckedCachePosition] })
 */
export const withCheckedCachePosition: GraphEdit = (model) => {
  const graph = model.graph!;
  graph.input!.push(valueInfo('cache_position', INT64, ['sequence_length']));
  const builder = new Builder(graph, 'cache_position_check');
  const { past, length } = lengths(builder);
  const expected = builder.node('Range', [past, builder.node('Add', [past, length], 'end'), builder.int64('step', [1n], [])], 'expected');
  const difference = builder.node('Abs', [builder.node('Sub', ['cache_position', expected], 'difference')], 'distance');
  const wrong = builder.node('ReduceSum', [builder.node('Cast', [difference], 'distance_float', [int('to', FLOAT)])], 'wrong', [int('keepdims', 0)]);
  penalise(graph, builder, wrong);
  return true;
};

/**
 * Adds `num_logits_to_keep` (int64 scalar): the LM head sees only the last that many positions (0 = all), as
 * Hugging Face's `hidden_states[:, -num_logits_to_keep:]`. The head stays the producer of `logits`.
 * @example await writeModelVariant('fp32', { decoder_model_merged: [withNumLogitsToKeep] })
 */
export const withNumLogitsToKeep: GraphEdit = (model) => {
  const graph = model.graph!;
  const nodes = graph.node!;
  const producerOf = (name: string) => nodes.find((node) => node.output?.includes(name));
  let head = producerOf('logits');
  while (head?.opType === 'Cast') head = producerOf(head.input![0]);
  if (!head || head.opType !== 'MatMul') throw new Error('no MatMul LM head found');
  graph.input!.push(valueInfo('num_logits_to_keep', INT64, []));
  const builder = new Builder(graph, 'num_logits_to_keep');
  const starts = builder.node('Unsqueeze', [builder.node('Neg', ['num_logits_to_keep'], 'negative'), builder.int64('axes', [0n])], 'starts');
  const kept = builder.node('Slice', [head.input![0], starts, builder.int64('ends', [2n ** 62n]), builder.int64('slice_axes', [1n])], 'hidden_kept');
  nodes.splice(nodes.indexOf(head), 0, ...builder.nodes.map((node) => onnx.NodeProto.create(node)));
  head.input = [kept, ...head.input!.slice(1)];
  const sequence = graph.output!.find((output) => output.name === 'logits')!.type!.tensorType!.shape!.dim![1];
  delete sequence.dimValue;
  sequence.dimParam = 'kept_positions';
  return true;
};

/**
 * Adds an input the graph never reads: an optional input some exports carry unused, or (with a name the engine does
 * not know) a required input it cannot feed.
 * @example withUnusedInput('use_cache_branch', onnx.TensorProto.DataType.BOOL, [1])
 */
export function withUnusedInput(name: string, elemType: number, dims: ReadonlyArray<number | string>): GraphEdit {
  return (model) => {
    model.graph!.input!.push(valueInfo(name, elemType, dims));
    return true;
  };
}
