/**
 * A batch of sequences sharing one KV cache in the merged decoder. Rows are left-padded to a common length;
 * the attention mask hides the padding and each row keeps its own 1-based positions, so a row's logits do not
 * depend on what else is in the batch. Rows can join (after their own prefill) and leave between steps.
 */
import * as ort from 'onnxruntime-node';
import type { PaliGemmaSessions } from './onnx-sessions.js';
import { embedTokens } from './prompt-embeddings.js';

/** Position given to padding slots; they are masked out, so any valid position works. */
const PADDING_POSITION = 1;

/** One row's cache without padding: `[1, heads, length, headDim]` per cache tensor, in input-name order. */
export interface PrefilledRow {
  past: Float32Array[];
  length: number;
}

export class DecoderBatch {
  /** Left-padding columns of each row in the cache. */
  private padding: number[] = [];
  /** Cache length (columns), padding included. */
  private length = 0;
  /** `past_key_values.<layer>.{key,value}` as `[rows, heads, length, headDim]`, in input-name order. */
  private past: Float32Array[];
  private readonly pastNames: string[];
  private readonly presentNames: string[];

  constructor(private readonly sessions: PaliGemmaSessions) {
    const { numLayers } = sessions.kv;
    this.pastNames = [];
    this.presentNames = [];
    for (let layer = 0; layer < numLayers; layer++) {
      for (const kind of ['key', 'value']) {
        this.pastNames.push(`past_key_values.${layer}.${kind}`);
        this.presentNames.push(`present.${layer}.${kind}`);
      }
    }
    this.past = this.pastNames.map(() => new Float32Array(0));
  }

  get size(): number {
    return this.padding.length;
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
    const mask = new BigInt64Array(rows * longest);
    const positions = new BigInt64Array(rows * longest).fill(BigInt(PADDING_POSITION));
    const padding = prompts.map((prompt, row) => {
      const promptLength = prompt.dims[1];
      const pad = longest - promptLength;
      embeddings.set(prompt.data as Float32Array, (row * longest + pad) * width);
      for (let index = 0; index < promptLength; index++) {
        mask[row * longest + pad + index] = 1n;
        positions[row * longest + pad + index] = BigInt(index + 1);
      }
      return pad;
    });
    const { numKeyValueHeads, headDim } = this.sessions.kv;
    const emptyPast = Object.fromEntries(
      this.pastNames.map((name) => [name, new ort.Tensor('float32', new Float32Array(0), [rows, numKeyValueHeads, 0, headDim])]),
    );
    const output = await this.sessions.decoder.run({
      inputs_embeds: new ort.Tensor('float32', embeddings, [rows, longest, width]),
      attention_mask: new ort.Tensor('int64', mask, [rows, longest]),
      position_ids: new ort.Tensor('int64', positions, [rows, longest]),
      ...emptyPast,
    });
    this.merge(this.presentNames.map((name) => output[name].data as Float32Array), padding, longest);
    return lastLogits(output.logits);
  }

  /** Feeds one token per row (in row order) and returns each row's next-token logits. */
  async step(tokenIds: readonly number[]): Promise<Float32Array[]> {
    if (tokenIds.length !== this.size) throw new Error(`step needs ${this.size} tokens, got ${tokenIds.length}`);
    const rows = this.size;
    const total = this.length + 1;
    const mask = new BigInt64Array(rows * total);
    const positions = new BigInt64Array(rows);
    this.padding.forEach((pad, row) => {
      mask.fill(1n, row * total + pad, (row + 1) * total);
      positions[row] = BigInt(total - pad);
    });
    const { numKeyValueHeads, headDim } = this.sessions.kv;
    const pastDims = [rows, numKeyValueHeads, this.length, headDim];
    const output = await this.sessions.decoder.run({
      inputs_embeds: await embedTokens(this.sessions, tokenIds, [rows, 1]),
      attention_mask: new ort.Tensor('int64', mask, [rows, total]),
      position_ids: new ort.Tensor('int64', positions, [rows, 1]),
      ...Object.fromEntries(this.pastNames.map((name, index) => [name, new ort.Tensor('float32', this.past[index], pastDims)])),
    });
    this.past = this.presentNames.map((name) => output[name].data as Float32Array);
    this.length = total;
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
    const presents = this.pastNames.map((_, index) => {
      const joined = new Float32Array(rows.length * rowSize);
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
  private merge(presents: Float32Array[], newPadding: number[], newLength: number): void {
    const length = Math.max(this.length, newLength);
    const oldRows = this.padding.map((_, row) => row);
    const newRows = newPadding.map((_, row) => row);
    this.past = this.past.map((tensor, index) => {
      const old = this.copyRows(tensor, oldRows, 0, length, length - this.length);
      const added = this.copyRowsFrom(presents[index], newLength, newRows, length, length - newLength);
      const merged = new Float32Array(old.length + added.length);
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
  private copyRows(tensor: Float32Array, rows: number[], skip: number, length: number, offset: number): Float32Array {
    return this.copyRowsFrom(tensor, this.length, rows, length, offset, skip);
  }

  private copyRowsFrom(tensor: Float32Array, sourceLength: number, rows: number[], length: number, offset: number, skip = 0): Float32Array {
    const { numKeyValueHeads: heads, headDim } = this.sessions.kv;
    const out = new Float32Array(rows.length * heads * length * headDim);
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

/** Logits at the last position of each row: `[rows, length, vocabulary]` → one row each. */
function lastLogits(logits: ort.Tensor): Float32Array[] {
  const [rows, length, vocabulary] = logits.dims;
  const data = logits.data as Float32Array;
  return Array.from({ length: rows }, (_, row) => data.subarray(((row + 1) * length - 1) * vocabulary, (row + 1) * length * vocabulary));
}
