/**
 * Exported decoders compute logits for every position of the input, but generation only reads the last one. For a
 * 260-token prompt and a 257k vocabulary that is ~20 % of the prefill's arithmetic and 267 MB of logits per row.
 * This rewrites the graph so the LM head sees only the last position: a `Slice` on the hidden states feeding the
 * head. ONNX Runtime only reads external weights from the graph's own folder (symbolic links that leave it are
 * refused), so the rewritten graph goes to a temporary folder with hard links to the weight files, or else beside
 * the original; where neither can be written, the original graph is used unchanged. No weights are copied.
 */
import { link, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import onnxProto from 'onnx-proto';
import protobuf from 'protobufjs/minimal.js';

const { onnx } = onnxProto;
// protobufjs looks for the `long` package with a dynamic require that test runners and bundlers break. Without it,
// int64 fields are plain numbers, exact for everything an ONNX graph's header holds (dims, offsets < 2^53).
protobuf.util.Long = undefined as never;
protobuf.configure();
/** Ops that can be the LM head: a plain MatMul, a Gemm, or ONNX Runtime's 4-bit MatMulNBits. */
const HEAD_OPS = new Set(['MatMul', 'Gemm', 'MatMulNBits']);
const INT64 = 7;

export interface RewrittenGraph {
  /** Path of the rewritten graph. */
  path: string;
  /** Removes the temporary folder. */
  remove(): Promise<void>;
}

/**
 * A copy of the decoder at `path` whose `logits` output holds the last position only, or `undefined` when the
 * graph does not end in a recognisable LM head (it is then used as it is).
 * @example const rewritten = await withLastPositionLogits('model/onnx/decoder_model_merged.onnx')
 */
export async function withLastPositionLogits(path: string): Promise<RewrittenGraph | undefined> {
  const model = onnx.ModelProto.decode(await readFile(path));
  const graph = model.graph;
  if (!graph?.node || !graph.output) return undefined;
  const producerOf = (name: string) => graph.node!.find((node) => node.output?.includes(name));
  let head = producerOf('logits');
  while (head?.opType === 'Cast' && head.input?.[0]) head = producerOf(head.input[0]);
  if (!head || !HEAD_OPS.has(head.opType ?? '') || !head.input?.[0]) return undefined;

  const hidden = head.input[0];
  const sliced = `${hidden}/last_position`;
  const constant = (name: string, value: bigint) =>
    onnx.TensorProto.create({ name, dataType: INT64, dims: [1], rawData: new Uint8Array(BigInt64Array.of(value).buffer) });
  graph.initializer = [
    ...(graph.initializer ?? []),
    constant(`${sliced}/starts`, -1n),
    constant(`${sliced}/ends`, 2n ** 62n),
    constant(`${sliced}/axes`, 1n),
  ];
  const slice = onnx.NodeProto.create({
    name: `${sliced}/Slice`,
    opType: 'Slice',
    input: [hidden, `${sliced}/starts`, `${sliced}/ends`, `${sliced}/axes`],
    output: [sliced],
  });
  graph.node.splice(graph.node.indexOf(head), 0, slice);
  head.input = [sliced, ...head.input.slice(1)];
  const logits = graph.output.find((output) => output.name === 'logits');
  const sequenceDim = logits?.type?.tensorType?.shape?.dim?.[1];
  if (sequenceDim) {
    delete sequenceDim.dimParam;
    sequenceDim.dimValue = 1;
  }

  const bytes = onnx.ModelProto.encode(model).finish();
  const locations = new Set(
    (graph.initializer ?? []).flatMap((tensor) => (tensor.externalData ?? []).filter((entry) => entry.key === 'location').map((entry) => entry.value ?? '')),
  );
  return (await inTemporaryFolder(path, bytes, locations)) ?? (await besideOriginal(path, bytes));
}

/** A temporary folder holding the graph and hard links to its weight files (same file system only). */
async function inTemporaryFolder(path: string, bytes: Uint8Array, locations: Set<string>): Promise<RewrittenGraph | undefined> {
  const folder = await mkdtemp(join(tmpdir(), 'paligemma-decoder-'));
  const remove = () => rm(folder, { recursive: true, force: true });
  try {
    for (const location of locations) await link(join(dirname(path), location), join(folder, location));
    const rewritten = join(folder, basename(path));
    await writeFile(rewritten, bytes);
    return { path: rewritten, remove };
  } catch {
    await remove();
    return undefined;
  }
}

/** A hidden file next to the original graph, when its folder is writable. */
async function besideOriginal(path: string, bytes: Uint8Array): Promise<RewrittenGraph | undefined> {
  const rewritten = join(dirname(path), `.${basename(path, '.onnx')}.last-position-${process.pid}-${Date.now()}.onnx`);
  try {
    await writeFile(rewritten, bytes);
    return { path: rewritten, remove: () => rm(rewritten, { force: true }) };
  } catch {
    await rm(rewritten, { force: true });
    return undefined;
  }
}
