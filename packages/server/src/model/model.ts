/** What the server needs from a model: the subset of `@paligemma/core`'s `PaliGemma` it calls. */
import type {
  AskOptions, AskResult, CallOptions, CaptionOptions, CaptionResult, DetectOptions, DetectResult, GenerateResult,
  SegmentOptions, SegmentResult, TokenEvent,
} from '@paligemma/sdk/contract';

/** Input of {@link Engine.generate}: a raw prompt over encoded image bytes. */
export interface EngineGenerateInput {
  image: Uint8Array;
  prompt: string;
  maxNewTokens?: number;
  signal?: AbortSignal;
  /** Each token as soon as it exists (SSE streaming). */
  onToken?: (token: TokenEvent) => void;
}

/** Work the engine did since it loaded (core's `PaliGemma.stats`), exported as `paligemma_engine_*` metrics. */
export interface EngineStats {
  visionRuns: number;
  prefillRuns: number;
  decodeSteps: number;
  decodeTokens: number;
  imageCacheHits: number;
  prefixCacheHits: number;
}

/**
 * A loaded model. `PaliGemma` from `@paligemma/core` satisfies it; every method honours `signal` so a
 * cancelled or timed-out request really stops generating.
 */
export interface Engine {
  caption(image: Uint8Array, options?: CaptionOptions & CallOptions): Promise<CaptionResult>;
  ask(image: Uint8Array, question: string, options?: AskOptions & CallOptions): Promise<AskResult>;
  detect(image: Uint8Array, labels: string[], options?: DetectOptions & CallOptions): Promise<DetectResult>;
  segment(image: Uint8Array, labels: string[], options?: SegmentOptions & CallOptions): Promise<SegmentResult>;
  generate(input: EngineGenerateInput): Promise<GenerateResult>;
  dispose(): Promise<void>;
  /** Totals since load, where the engine keeps them. */
  readonly stats?: Readonly<EngineStats>;
}

/** A ready engine, or a function that loads one (called once the server is listening). */
export type EngineSource = Engine | (() => Promise<Engine>);
