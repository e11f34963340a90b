/**
 * Dynamic batching: requests that arrive together share one prefill, and new requests join the running batch
 * between decode steps. Each sequence stops at its own end-of-sequence, token limit or abort, and streams its
 * own tokens. Everything touching the ONNX sessions runs inside one loop, so calls never overlap.
 * Two caches skip work: a prompt seen before (same image, same text) joins with its cached keys and values and no
 * prefill; a new prompt about an image seen before reuses the image's vision features.
 */
import type * as ort from 'onnxruntime-node';
import { DecoderBatch } from './decoder-batch.js';
import type { GenerationTiming } from './engine.js';
import { type EngineStats, emptyEngineStats } from './engine-stats.js';
import { DEFAULT_MAX_BATCH_SIZE, DEFAULT_MAX_BATCH_WAIT_MS } from '../settings/defaults.js';
import { ImageFeatureCache } from './image-feature-cache.js';
import type { PaliGemmaSessions } from './onnx-sessions.js';
import { type PrefilledPrompt, PrefixCache } from './prefix-cache.js';
import { type ImageFeatures, embedPrompt, encodeImages } from './prompt-embeddings.js';
import { type SamplingParameters, sampleToken } from './sample-token.js';
import { randomSeed, seededRandom } from './seeded-random.js';

export interface BatchingOptions {
  /** Most sequences decoded together. @default 8 */
  maxBatchSize?: number;
  /** How long an idle engine waits for more requests to prefill together, in ms. @default 5 */
  maxWaitMs?: number;
}

/** A sequence's request; without `temperature` (or with 0) its tokens are chosen greedily. */
export interface DecodeRequest extends SamplingParameters {
  /** `[3, size, size]` normalised pixels. */
  pixelValues: Float32Array;
  promptIds: readonly number[];
  maxNewTokens: number;
  minNewTokens?: number;
  ignoreEos?: boolean;
  signal?: AbortSignal;
  /**
   * Ends the sequence successfully at its next step with the tokens so far (a stop sequence appeared in its text);
   * tokens chosen after the signal but before the step that notices it may be included.
   */
  finishSignal?: AbortSignal;
  onToken?: (id: number) => void;
}

/** A finished sequence: its tokens, whether it ended at end-of-sequence, and where its time went. */
export interface DecodeResult extends GenerationTiming {
  tokenIds: number[];
  stoppedAtEos: boolean;
}

interface Sequence {
  request: DecodeRequest;
  resolve: (result: DecodeResult) => void;
  reject: (error: unknown) => void;
  tokenIds: number[];
  /** The token chosen last, fed at the next step. */
  next: number;
  /** This sequence's draws when it samples (seeded per request, so batching never changes them). */
  random: () => number;
  submittedAt: number;
  admittedAt: number;
  prefilledAt: number;
  imageCacheHit: boolean;
  /** Set at admission: the image's feature-cache key and, on a prefix-cache hit, the cached prompt. */
  imageKey: string;
  prefixKey: string;
  prefix: PrefilledPrompt | undefined;
}

export class BatchScheduler {
  private readonly pending: Sequence[] = [];
  private active: Sequence[] = [];
  private batch: DecoderBatch;
  private running = false;
  private idleWaiters: Array<() => void> = [];
  private readonly maxBatchSize: number;
  private readonly maxWaitMs: number;
  private readonly eos: Set<number>;
  /** Totals since start; read them, do not change them. */
  readonly stats: EngineStats = emptyEngineStats();

  constructor(
    private readonly sessions: PaliGemmaSessions,
    private readonly model: { imageSize: number; imageTokenId: number; eosTokenIds: readonly number[] },
    private readonly featureCache: ImageFeatureCache,
    options: BatchingOptions = {},
    private readonly prefixCache = new PrefixCache(0),
  ) {
    this.batch = new DecoderBatch(sessions);
    this.maxBatchSize = options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE;
    this.maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_BATCH_WAIT_MS;
    this.eos = new Set(model.eosTokenIds);
  }

  /** Sequences waiting to join the batch. */
  get waiting(): number {
    return this.pending.length;
  }

  /** Sequences being decoded now. */
  get decoding(): number {
    return this.active.length;
  }

  /**
   * Queues a sequence; resolves when it is complete, rejects with the signal's reason when aborted.
   * @example const { tokenIds } = await scheduler.submit({ pixelValues, promptIds, maxNewTokens: 32 })
   */
  submit(request: DecodeRequest): Promise<DecodeResult> {
    request.signal?.throwIfAborted();
    return new Promise((resolve, reject) => {
      const now = performance.now();
      this.pending.push({
        request, resolve, reject, tokenIds: [], next: -1, random: seededRandom(request.seed ?? randomSeed()), submittedAt: now, admittedAt: now, prefilledAt: now,
        imageCacheHit: false, imageKey: '', prefixKey: '', prefix: undefined,
      });
      if (!this.running) void this.loop();
    });
  }

  private async loop(): Promise<void> {
    this.running = true;
    try {
      while (this.pending.length > 0 || this.active.length > 0) {
        if (this.active.length === 0 && this.pending.length < this.maxBatchSize && this.maxWaitMs > 0) {
          await new Promise((resolve) => setTimeout(resolve, this.maxWaitMs));
        }
        try {
          await this.admitPending();
          if (this.active.length > 0) await this.decodeStep();
        } catch (error) {
          // A failed run loses the shared cache: fail the sequences in it, start afresh for the rest.
          for (const sequence of this.active) sequence.reject(error);
          this.active = [];
          this.batch = new DecoderBatch(this.sessions);
        }
      }
    } finally {
      this.running = false;
      for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  /** Resolves once nothing is queued or decoding. */
  whenIdle(): Promise<void> {
    return this.running ? new Promise((resolve) => this.idleWaiters.push(resolve)) : Promise.resolve();
  }

  /** Adds waiting sequences that fit to the batch, with their first token chosen: cached prompts, then prefills. */
  private async admitPending(): Promise<void> {
    this.dropAbortedPending();
    const room = this.maxBatchSize - this.active.length;
    if (room <= 0 || this.pending.length === 0) return;
    const admitted = this.takeAdmissible(room);
    const now = performance.now();
    for (const sequence of admitted) {
      sequence.admittedAt = now;
      sequence.imageKey = ImageFeatureCache.keyOf(sequence.request.pixelValues);
      sequence.prefixKey = PrefixCache.keyOf(sequence.imageKey, sequence.request.promptIds);
      sequence.prefix = this.prefixCache.get(sequence.prefixKey);
    }
    try {
      this.resume(admitted.filter((sequence) => sequence.prefix));
      // Identical prompts arriving together are prefilled once; the copies join with the first one's row.
      const fresh = admitted.filter((sequence) => !sequence.prefix);
      const firsts = fresh.filter((sequence, index) => fresh.findIndex((other) => other.prefixKey === sequence.prefixKey) === index);
      const prefixes = await this.prefill(firsts, firsts.length < fresh.length);
      const copies = fresh.filter((sequence) => !firsts.includes(sequence));
      for (const sequence of copies) sequence.prefix = prefixes.get(sequence.prefixKey);
      this.resume(copies);
    } catch (error) {
      for (const sequence of admitted) if (!this.active.includes(sequence)) sequence.reject(error);
      throw error;
    }
  }

  /**
   * The waiting sequences to add now: the first `room` ones. A decoder that cannot mask padding (no
   * `attention_mask`) takes rows of one prompt length only, into an empty batch: the first waiting sequence and
   * those of its length, so none waits longer than one batch.
   */
  private takeAdmissible(room: number): Sequence[] {
    if (this.batch.masksPadding) return this.pending.splice(0, room);
    if (this.active.length > 0) return [];
    const length = this.pending[0].request.promptIds.length;
    const taken = this.pending.filter((sequence) => sequence.request.promptIds.length === length).slice(0, room);
    for (const sequence of taken) this.pending.splice(this.pending.indexOf(sequence), 1);
    return taken;
  }

  /** Sequences whose whole prompt is cached join the batch with the cached keys and values. */
  private resume(sequences: Sequence[]): void {
    if (sequences.length === 0) return;
    const prefixes = sequences.map((sequence) => sequence.prefix as PrefilledPrompt);
    this.batch.join(prefixes.map((prefix) => prefix.row));
    this.stats.prefixCacheHits += sequences.length;
    const joinedAt = performance.now();
    for (const sequence of sequences) sequence.prefilledAt = joinedAt;
    this.active.push(...sequences);
    this.chooseNext(sequences, prefixes.map((prefix) => prefix.logits.slice()));
  }

  /**
   * One prefill for the sequences' prompts; the prefix cache keeps each row for the next identical prompt.
   * Returns the rows by prefix key when the cache keeps them or `keepRows` asks for them.
   */
  private async prefill(sequences: Sequence[], keepRows = false): Promise<Map<string, PrefilledPrompt>> {
    const rows = new Map<string, PrefilledPrompt>();
    if (sequences.length === 0) return rows;
    const started = performance.now();
    const features = await this.imageFeatures(sequences);
    const prompts: ort.Tensor[] = [];
    for (const [index, sequence] of sequences.entries()) {
      prompts.push(await embedPrompt(this.sessions, sequence.request.promptIds, features[index], this.model.imageTokenId));
    }
    const logits = await this.batch.prefill(prompts);
    const prefilledAt = performance.now();
    this.stats.prefillRuns++;
    this.stats.prefillMs += prefilledAt - started;
    const firstRow = this.batch.size - sequences.length;
    sequences.forEach((sequence, index) => {
      sequence.prefilledAt = prefilledAt;
      if (!this.prefixCache.enabled && !keepRows) return;
      // Copied before chooseNext, which may mask end-of-sequence in the logits.
      const prefix = { row: this.batch.row(firstRow + index), logits: logits[index].slice() };
      this.prefixCache.set(sequence.prefixKey, prefix);
      rows.set(sequence.prefixKey, prefix);
    });
    this.active.push(...sequences);
    this.chooseNext(sequences, logits);
    return rows;
  }

  private async decodeStep(): Promise<void> {
    const started = performance.now();
    const logits = await this.batch.step(this.active.map((sequence) => sequence.next));
    this.stats.decodeSteps++;
    this.stats.decodeMs += performance.now() - started;
    this.stats.decodeTokens += this.active.length;
    this.chooseNext(this.active, logits);
  }

  /** Picks each sequence's next token; finished or aborted sequences leave the batch. */
  private chooseNext(sequences: Sequence[], logits: Float32Array[]): void {
    const leaving: Sequence[] = [];
    sequences.forEach((sequence, index) => {
      const { request } = sequence;
      if (request.signal?.aborted) {
        leaving.push(sequence);
        return sequence.reject(request.signal.reason);
      }
      if (request.finishSignal?.aborted) {
        leaving.push(sequence);
        return sequence.resolve(this.result(sequence, false));
      }
      // Fresh per step, or a copy of the prefix cache's: the cached first-step logits are never changed here.
      const rowLogits = logits[index];
      if (sequence.tokenIds.length < (request.minNewTokens ?? 0)) for (const id of this.eos) rowLogits[id] = -Infinity;
      const next = sampleToken(rowLogits, request, sequence.random);
      if (this.eos.has(next) && !request.ignoreEos) {
        leaving.push(sequence);
        return sequence.resolve(this.result(sequence, true));
      }
      sequence.tokenIds.push(next);
      sequence.next = next;
      try {
        request.onToken?.(next);
      } catch (error) {
        leaving.push(sequence);
        return sequence.reject(error);
      }
      if (sequence.tokenIds.length >= request.maxNewTokens || request.finishSignal?.aborted) {
        leaving.push(sequence);
        sequence.resolve(this.result(sequence, false));
      }
    });
    if (leaving.length > 0) {
      const indexes = leaving.map((sequence) => this.active.indexOf(sequence));
      this.batch.remove(indexes);
      this.active = this.active.filter((sequence) => !leaving.includes(sequence));
    }
  }

  /** Vision features for each sequence: from the cache, or one batched encoder run for the misses. */
  private async imageFeatures(sequences: Sequence[]): Promise<ImageFeatures[]> {
    const keys = sequences.map((sequence) => sequence.imageKey);
    const known = new Map<string, ImageFeatures>();
    for (const key of keys) {
      const cached = this.featureCache.get(key);
      if (cached) known.set(key, cached);
    }
    sequences.forEach((sequence, index) => { sequence.imageCacheHit = known.has(keys[index]); });
    this.stats.imageCacheHits += sequences.filter((sequence) => sequence.imageCacheHit).length;
    const missing = [...new Set(keys.filter((key) => !known.has(key)))];
    if (missing.length > 0) {
      this.stats.visionRuns++;
      const pixels = missing.map((key) => sequences[keys.indexOf(key)].request.pixelValues);
      const encoded = await encodeImages(this.sessions, pixels, this.model.imageSize);
      missing.forEach((key, index) => {
        known.set(key, encoded[index]);
        this.featureCache.set(key, encoded[index]);
      });
    }
    return keys.map((key) => known.get(key) as ImageFeatures);
  }

  private dropAbortedPending(): void {
    for (let index = this.pending.length - 1; index >= 0; index--) {
      const sequence = this.pending[index];
      if (sequence.request.signal?.aborted) {
        this.pending.splice(index, 1);
        sequence.reject(sequence.request.signal.reason);
      }
    }
  }

  private result(sequence: Sequence, stoppedAtEos: boolean): DecodeResult {
    const now = performance.now();
    return {
      tokenIds: sequence.tokenIds,
      stoppedAtEos,
      queueMs: sequence.admittedAt - sequence.submittedAt,
      prefillMs: sequence.prefilledAt - sequence.admittedAt,
      decodeMs: now - sequence.prefilledAt,
      imageCacheHit: sequence.imageCacheHit,
      prefixCacheHit: sequence.prefix !== undefined,
    };
  }
}
