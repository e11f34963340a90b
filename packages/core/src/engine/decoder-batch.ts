/**
 * A batch of sequences sharing one KV cache in the merged decoder. Rows are left-padded to a common length;
 * the attention mask hides the padding and each row keeps its own 1-based positions, so a row's logits do not
 * depend on what else is in the batch. Rows can join (after their own prefill) and leave between steps.
 * A decoder without `attention_mask` attends to every column, padding included, so there rows must have equal
 * lengths. The cache stays in the graph's own element type (float16 bits for fp16 exports); embeddings and logits
 * are float32 on this side of `decoderFeeds`.
 */
import type * as ort from 'onnxruntime-node';
import { type CacheArray, type DecoderInputs, decoderFeeds, lastLogits, presentCaches } from './decoder-inputs.js';
import type { PaliGemmaSessions } from './onnx-sessions.js';
import { embedTokens } from './prompt-embeddings.js';

/** One row's cache without padding: `[1, heads, length, headDim]` per cache tensor, in input-name order. */
export interface PrefilledRow {
  past: CacheArray[];
  length: number;
}

/** An empty array of the same kind (float32, or float16 bits) as `like`. */
function allocate(like: CacheArray, length: number): CacheArray {
  return new (like.constructor as new (length: number) => CacheArray)(length);
}

export class DecoderBatch {
  /** Left-padding columns of each row in the cache. */
  private padding: number[] = [];
  /** Cache length (columns), padding included. */
  private length = 0;
  /** `past_key_values.<layer>.{key,value}` as `[rows, heads, length, headDim]`, in input-name order. */
  private past: CacheArray[];
  private readonly inputs: DecoderInputs;

  constructor(private readonly sessions: PaliGemmaSessions) {
    this.inputs = sessions.decoderInputs;
    const empty = () => (this.inputs.cache === 'float16' ? new Uint16Array(0) : new Float32Array(0));
    this.past = this.inputs.pastNames.map(empty);
  }

  get size(): number {
    return this.padding.length;
  }

  /** Whether the decoder masks padding, so rows of different lengths can share the batch (else only equal ones). */
  get masksPadding(): boolean {
    return this.inputs.attentionMask;
  }

  /**
   * Runs the prefill of new rows (one prompt embedding `[1, length, width]` each, left-padded together) and adds
   * them to the batch. Returns each new row's next-token logits.
   */
  async prefill(prompts: readonly ort.Tensor[]): Promise<Float32Array[]> {
    const width = prompts[0].dims[2];
    const longest = Math.max(...prompts.map((prompt) => prompt.dims[1]));
    const rows = prompts.length;
    const embeddings = new Float32Array(rows * longest * width);
    const padding = prompts.map((prompt, row) => {
      const pad = longest - prompt.dims[1];
      embeddings.set(prompt.data as Float32Array, (row * longest + pad) * width);
      return pad;
    });
    const empty = this.past.map((tensor) => allocate(tensor, 0));
    const output = await this.sessions.decoder.run(
      decoderFeeds(this.inputs, this.sessions.kv, { embeddings, width, length: longest, pastLength: 0, padding, past: empty }),
    );
    this.merge(presentCaches(this.inputs, output), padding, longest);
    return lastLogits(output.logits);
  }

  /** Feeds one token per row (in row order) and returns each row's next-token logits. */
  async step(tokenIds: readonly number[]): Promise<Float32Array[]> {
    if (tokenIds.length !== this.size) throw new Error(`step needs ${this.size} tokens, got ${tokenIds.length}`);
    const embedded = await embedTokens(this.sessions, tokenIds, [this.size, 1]);
    const output = await this.sessions.decoder.run(decoderFeeds(this.inputs, this.sessions.kv, {
      embeddings: embedded.data as Float32Array,
      width: embedded.dims[2],
      length: 1,
      pastLength: this.length,
      padding: this.padding,
      past: this.past,
    }));
    this.past = presentCaches(this.inputs, output);
    this.length += 1;
    return lastLogits(output.logits);
  }

  /** A copy of one row's keys and values without its padding, e.g. to add it to another batch later. */
  row(index: number): PrefilledRow {
    if (index < 0 || index >= this.size) throw new Error(`no row ${index} in a batch of ${this.size}`);
    const skip = this.padding[index];
    const length = this.length - skip;
    return { length, past: this.past.map((tensor) => this.copyRows(tensor, [index], skip, length, 0)) };
  }

  /** Adds rows prefilled earlier (see `row`), as if their prefill had run now. */
  join(rows: readonly PrefilledRow[]): void {
    const { numKeyValueHeads: heads, headDim } = this.sessions.kv;
    const longest = Math.max(...rows.map((row) => row.length));
    const rowSize = heads * longest * headDim;
    const presents = this.past.map((like, index) => {
      const joined = allocate(like, rows.length * rowSize);
      rows.forEach((row, at) => joined.set(this.copyRowsFrom(row.past[index], row.length, [0], longest, longest - row.length), at * rowSize));
      return joined;
    });
    this.merge(presents, rows.map((row) => longest - row.length), longest);
  }

  /** Drops rows (by index) and the padding columns every remaining row shares. */
  remove(rowIndexes: readonly number[]): void {
    const leaving = new Set(rowIndexes);
    const keep = this.padding.map((_, row) => row).filter((row) => !leaving.has(row));
    const shared = keep.length === 0 ? this.length : Math.min(...keep.map((row) => this.padding[row]));
    const length = this.length - shared;
    this.past = this.past.map((tensor) => this.copyRows(tensor, keep, shared, length, 0));
    this.padding = keep.map((row) => this.padding[row] - shared);
    this.length = length;
  }

  /** Adds prefilled rows, left-padding whichever side is shorter. */
  private merge(presents: CacheArray[], newPadding: number[], newLength: number): void {
    const length = Math.max(this.length, newLength);
    if (!this.inputs.attentionMask && (newPadding.some((pad) => pad > 0) || (this.size > 0 && this.length !== newLength))) {
      throw new Error('this decoder has no attention_mask: only rows of equal length can share a batch');
    }
    const oldRows = this.padding.map((_, row) => row);
    const newRows = newPadding.map((_, row) => row);
    this.past = this.past.map((tensor, index) => {
      const old = this.copyRows(tensor, oldRows, 0, length, length - this.length);
      const added = this.copyRowsFrom(presents[index], newLength, newRows, length, length - newLength);
      const merged = allocate(tensor, old.length + added.length);
      merged.set(old);
      merged.set(added, old.length);
      return merged;
    });
    this.padding = [
      ...this.padding.map((pad) => pad + length - this.length),
      ...newPadding.map((pad) => pad + length - newLength),
    ];
    this.length = length;
  }

  /** Rows of a `[rows, heads, this.length, headDim]` cache tensor, columns from `skip`, written at `offset`. */
  private copyRows(tensor: CacheArray, rows: number[], skip: number, length: number, offset: number): CacheArray {
    return this.copyRowsFrom(tensor, this.length, rows, length, offset, skip);
  }

  private copyRowsFrom(tensor: CacheArray, sourceLength: number, rows: number[], length: number, offset: number, skip = 0): CacheArray {
    const { numKeyValueHeads: heads, headDim } = this.sessions.kv;
    const out = allocate(tensor, rows.length * heads * length * headDim);
    const columns = sourceLength - skip;
    rows.forEach((row, outRow) => {
      for (let head = 0; head < heads; head++) {
        const from = ((row * heads + head) * sourceLength + skip) * headDim;
        const to = ((outRow * heads + head) * length + offset) * headDim;
        out.set(tensor.subarray(from, from + columns * headDim), to);
      }
    });
    return out;
  }
}
