/**
 * What generates text for `PaliGemma`: given a task prompt and a decoded image, the model's answer. The local ONNX
 * engine implements it; everything above it (tasks, parsing, masks) is the same whatever computes the tokens.
 */
import type { TokenEvent, Usage } from '@paligemma/sdk';
import type { DecodedImage } from '../image/decoded-image.js';
import type { EngineStats, RemoteEngineStats } from './engine-stats.js';
import type { SamplingParameters } from './sample-token.js';

/** The image as the engine gets it: decoded pixels, and the encoded bytes when the caller had them. */
export interface PreparedImage {
  pixels: DecodedImage;
  bytes?: Uint8Array;
}

/** A generation; without `temperature` (or with 0) its tokens are chosen greedily. */
export interface EngineRequest extends SamplingParameters {
  image: PreparedImage;
  /** The task prompt (`caption en`, `detect cat ; dog`, …) without the trailing newline the engine adds. */
  prompt: string;
  maxNewTokens: number;
  /** End-of-sequence is suppressed until this many tokens exist. @default 0 */
  minNewTokens?: number;
  /** Do not stop at end-of-sequence (conformance and benchmark runs). @default false */
  ignoreEos?: boolean;
  /** The answer ends before the first of these that appears in its text (the sequence is not part of it). */
  stop?: readonly string[];
  signal?: AbortSignal;
  onToken?: (token: TokenEvent) => void;
}

/** Where a generation's time went (the local engine reports it; other engines may leave parts out). */
export interface GenerationTiming {
  /** Waiting for a place in the batch. */
  queueMs: number;
  /** Vision encoder (skipped on a cache hit), embedding and prefill. */
  prefillMs: number;
  decodeMs: number;
  /** The vision features came from the image-feature cache. */
  imageCacheHit: boolean;
  /** The whole prompt's keys and values were reused: no vision encoder, no prefill. */
  prefixCacheHit: boolean;
}

export interface EngineOutput {
  text: string;
  /** The generated token ids, where the engine reports them (a remote engine may not). */
  tokenIds: number[];
  completionTokens: number;
  /** Prompt tokens, image tokens included. */
  promptTokens: number;
  /** `stop`: the model ended its answer or a stop sequence appeared; `length`: it reached `maxNewTokens`. */
  finishReason: NonNullable<Usage['finishReason']>;
  timing: GenerationTiming;
}

export interface Engine {
  generate(request: EngineRequest): Promise<EngineOutput>;
  /** Totals since the engine started. */
  readonly stats: Readonly<EngineStats> | Readonly<RemoteEngineStats>;
  /** Sequences waiting to join the batch, and being decoded now. */
  readonly waiting: number;
  readonly decoding: number;
  /** Resolves when the engine can take work now; rejects with the reason when it cannot (a remote engine that is down). */
  checkReady(signal?: AbortSignal): Promise<void>;
  /** Waits for work in flight, then releases what the engine holds. */
  close(): Promise<void>;
}
