/**
 * Load-time edits of an ONNX graph (see `last-position-logits.ts`, `matmul-nbits-accuracy.ts`). ONNX Runtime only
 * reads external weights from the graph's own folder (symbolic links that leave it are refused), so the edited
 * graph goes to a temporary folder with hard links to the weight files, or else beside the original; where neither
 * can be written, the original graph is used unchanged. No weights are copied.
 */
import { link, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import onnxProto from 'onnx-proto';
import protobuf from 'protobufjs/minimal.js';

export const { onnx } = onnxProto;
export type ModelProto = InstanceType<typeof onnx.ModelProto>;
// protobufjs looks for the `long` package with a dynamic require that test runners and bundlers break. Without it,
// int64 fields are plain numbers, exact for everything an ONNX graph's header holds (dims, offsets < 2^53).
protobuf.util.Long = undefined as never;
protobuf.configure();

export interface RewrittenGraph {
  /** Path of the rewritten graph. */
  path: string;
  /** Removes the temporary folder. */
  remove(): Promise<void>;
}

/** Changes a graph in place; says whether it changed anything. */
export type GraphEdit = (model: ModelProto) => boolean;

/**
 * Applies `edits` (all of them) to the graph at `path` and writes the result where ONNX Runtime can open it with
 * its weights; `undefined` when no edit changed anything or the result cannot be written (use the original then).
 * @example const rewritten = await rewriteGraph(path, [sliceLogitsToLastPosition]); open(rewritten?.path ?? path)
 */
export async function rewriteGraph(path: string, edits: readonly GraphEdit[]): Promise<RewrittenGraph | undefined> {
  if (edits.length === 0) return undefined;
  const model = onnx.ModelProto.decode(await readFile(path));
  const changed = edits.map((edit) => edit(model));
  if (!changed.includes(true)) return undefined;
  const bytes = onnx.ModelProto.encode(model).finish();
  const locations = new Set(
    (model.graph?.initializer ?? []).flatMap((tensor) => (tensor.externalData ?? []).filter((entry) => entry.key === 'location').map((entry) => entry.value ?? '')),
  );
  return (await inTemporaryFolder(path, bytes, locations)) ?? (await besideOriginal(path, bytes));
}

/** A temporary folder holding the graph and hard links to its weight files (same file system only). */
async function inTemporaryFolder(path: string, bytes: Uint8Array, locations: Set<string>): Promise<RewrittenGraph | undefined> {
  const folder = await mkdtemp(join(tmpdir(), 'paligemma-graph-'));
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
  const rewritten = join(dirname(path), `.${basename(path, '.onnx')}.rewritten-${process.pid}-${Date.now()}.onnx`);
  try {
    await writeFile(rewritten, bytes);
    return { path: rewritten, remove: () => rm(rewritten, { force: true }) };
  } catch {
    await rm(rewritten, { force: true });
    return undefined;
  }
}
