/** The in-process PaliGemma model: load once, then caption, ask, detect, segment or generate. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  AskOptions, AskResult, CallOptions, CaptionOptions, CaptionResult, DetectOptions, DetectResult, GenerateResult,
  ImageSize, PaliGemmaTasks, SegmentOptions, SegmentResult, TokenEvent, Usage,
} from '@paligemma/sdk';
import {
  type BatchingOptions, BatchScheduler, type DecodeResult, type Device, type SchedulerStats, ImageFeatureCache, IncrementalDetokenizer,
  PrefixCache, type PromptTokenizer, type SessionTuning, buildPromptIds, loadPromptTokenizer, openSessions,
} from './engine/index.js';
import type { EngineWorkerInit } from './engine/worker/protocol.js';
import { WorkerScheduler } from './engine/worker/worker-scheduler.js';
import { InvalidInputError, ModelLoadError } from './errors/index.js';
import { type DecodedImage, type ImageInput, type ImageProcessorConfig, decodeImage, preprocessImage, readImageProcessorConfig } from './image/index.js';
import { type DownloadProgress, type DtypeOption, type ModelConfig, type ResolvedModel, readModelConfig, resolveModel } from './model-files/index.js';
import { parseDetections, parseSegments } from './parse/index.js';
import { type VaeDecoder, masksForSegments, openVae } from './mask/index.js';
import { type TaskInputs, type TaskName, buildTaskPrompt } from './tasks/index.js';
import { LocalTokenStream } from './token-stream.js';

/** New-token budgets per task when the caller gives none: enough for the longest usual answer, not more. */
export const DEFAULT_MAX_NEW_TOKENS: Record<TaskName, number> = {
  caption: 64, // `describe` answers are longer; see DEFAULT_MAX_NEW_TOKENS_LONG_CAPTION
  ask: 64,
  detect: 128, // 4 location tokens + label per object
  segment: 256, // 4 location + 16 segmentation tokens + label per object
  ocr: 256,
  raw: 128,
};
export const DEFAULT_MAX_NEW_TOKENS_LONG_CAPTION = 256;

export interface LoadOptions {
  /** Local directory or Hugging Face hub id in the transformers.js layout. @default 'Xenova/paligemma-3b-mix-224' */
  model?: string;
  /** Weight format, for all sub-models or per sub-model. @default fp32 vision and embeddings, q4 decoder */
  dtype?: DtypeOption;
  /** `cuda` selects ONNX Runtime's CUDA execution provider. @default 'cpu' */
  device?: Device;
  /** Where hub downloads (and the segmentation VAE) are kept. @default $PALIGEMMA_CACHE_DIR or ~/.cache/paligemma */
  cacheDir?: string;
  /** Download progress, per file. */
  onProgress?: (progress: DownloadProgress) => void;
  /** Hub base URL. @default $HF_ENDPOINT or https://huggingface.co */
  hubUrl?: string;
  /** Path of big_vision's `vae-oid.npz` for segmentation masks. @default $PALIGEMMA_VAE or `<cacheDir>/vae-oid.npz` */
  vae?: string;
  sessionOptions?: SessionTuning;
  /** Dynamic batching: max batch size and how long an idle engine waits to batch prefills. */
  batching?: BatchingOptions;
  /** Bytes of vision features kept for repeated images; 0 turns the cache off. @default 256 MiB */
  featureCacheBytes?: number;
  /**
   * Bytes of prompt keys and values kept, so the same prompt about the same image skips the vision encoder and
   * the prefill; 0 turns the cache off. @default 256 MiB
   */
  prefixCacheBytes?: number;
  /**
   * Where ONNX Runtime computes. Its `run` is synchronous, so on `'main'` a full-size prefill stalls this thread's
   * event loop (timers, sockets, health probes) for seconds; `'worker'` runs the engine on a worker thread.
   * @default 'worker'
   */
  engineThread?: 'worker' | 'main';
  signal?: AbortSignal;
}

export interface GenerateInput {
  image: ImageInput;
  prompt: string;
  /** @default 128 */
  maxNewTokens?: number;
  /** End-of-sequence is suppressed until this many tokens exist. @default 0 */
  minNewTokens?: number;
  /** Do not stop at end-of-sequence (for conformance runs). @default false */
  ignoreEos?: boolean;
  signal?: AbortSignal;
  /** Each generated token with the text it completes, as soon as it exists. */
  onToken?: (token: TokenEvent) => void;
}

export interface GenerateOutput extends GenerateResult {
  tokenIds: number[];
  /** Where the time went: batch queue, vision + prefill, decoding; and whether the image features or the whole prompt were cached. */
  timing: Omit<DecodeResult, 'tokenIds' | 'stoppedAtEos'>;
}

/** What a generation needs besides the prompt: the model-ready pixels and the image's size for parsing. */
interface PreparedImage {
  pixelValues: Float32Array;
  size: ImageSize;
}

/**
 * PaliGemma running in this process on ONNX Runtime.
 * @example
 * const model = await PaliGemma.load({ model: 'Xenova/paligemma-3b-mix-224' });
 * const { objects } = await model.detect('cat.jpg', ['cat']);
 */
export class PaliGemma implements PaliGemmaTasks<ImageInput> {
  private vae: Promise<VaeDecoder> | undefined;

  private constructor(
    private readonly engine: Engine,
    private readonly tokenizer: PromptTokenizer,
    readonly config: ModelConfig,
    readonly imageProcessor: ImageProcessorConfig,
    readonly resolved: ResolvedModel,
    private readonly options: LoadOptions,
  ) {}

  private get scheduler(): Scheduler {
    return this.engine.scheduler;
  }

  /** Resolves (and if needed downloads) the model, then opens its ONNX sessions. */
  static async load(options: LoadOptions = {}): Promise<PaliGemma> {
    const resolved = await resolveModel(options);
    const directory = resolved.directory;
    const readJson = async (file: string, optional = false) => {
      const text = await readFile(join(directory, file), 'utf8').catch((error) => (optional ? '{}' : Promise.reject(error)));
      try {
        return JSON.parse(text);
      } catch (error) {
        // JSON.parse's own message names a position but not the file; /readyz shows this to the operator.
        throw new ModelLoadError(`${join(directory, file)} is not valid JSON: ${(error as Error).message}`, { cause: error });
      }
    };
    const config = readModelConfig(await readJson('config.json'), await readJson('generation_config.json', true));
    const imageProcessor = readImageProcessorConfig(await readJson('preprocessor_config.json'));
    const tokenizer = await loadPromptTokenizer(directory);
    const init: EngineWorkerInit = {
      directory,
      dtypes: resolved.dtypes,
      device: options.device ?? 'cpu',
      sessionOptions: options.sessionOptions ?? {},
      model: { imageSize: imageProcessor.size.height, imageTokenId: config.imageTokenId, eosTokenIds: config.eosTokenIds },
      batching: options.batching ?? {},
      featureCacheBytes: options.featureCacheBytes,
      prefixCacheBytes: options.prefixCacheBytes,
    };
    const engine = options.engineThread === 'main' ? await startInThisThread(init) : await startInWorker(init);
    return new PaliGemma(engine, tokenizer, config, imageProcessor, resolved, options);
  }

  /** Sequences waiting to join the decoding batch. */
  get waiting(): number {
    return this.scheduler.waiting;
  }

  /** Sequences being decoded now. */
  get decoding(): number {
    return this.scheduler.decoding;
  }

  /** Engine totals since load: prefills, decode steps and tokens, vision runs, feature- and prefix-cache hits. */
  get stats(): Readonly<SchedulerStats> {
    return this.scheduler.stats;
  }

  /** Prompt token ids for a task prompt, image tokens included. */
  promptIds(prompt: string): number[] {
    return buildPromptIds(this.tokenizer, this.config, prompt);
  }

  /** Decodes an image and turns it into the model's pixel values. */
  async prepareImage(image: ImageInput): Promise<PreparedImage & { image: DecodedImage }> {
    const decoded = await decodeImage(image);
    return { image: decoded, pixelValues: preprocessImage(decoded, this.imageProcessor), size: { width: decoded.width, height: decoded.height } };
  }

  /** Generates text for a raw prompt, greedily. */
  generate(input: GenerateInput): Promise<GenerateOutput>;
  generate(image: ImageInput, prompt: string, options?: Omit<GenerateInput, 'image' | 'prompt'>): Promise<GenerateOutput>;
  async generate(
    inputOrImage: GenerateInput | ImageInput,
    prompt?: string,
    options: Omit<GenerateInput, 'image' | 'prompt'> = {},
  ): Promise<GenerateOutput> {
    const input = prompt === undefined ? (inputOrImage as GenerateInput) : { ...options, image: inputOrImage as ImageInput, prompt };
    const text = buildTaskPrompt('raw', { prompt: input.prompt });
    const started = performance.now();
    const prepared = await this.prepareImage(input.image);
    return this.generateFromPixels({ ...input, prompt: text, pixelValues: prepared.pixelValues, started });
  }

  /**
   * Streams the tokens of a raw prompt as they are generated.
   * @example for await (const token of model.stream('cat.jpg', 'caption en')) process.stdout.write(token.text);
   */
  stream(image: ImageInput, prompt: string, options: Omit<GenerateInput, 'image' | 'prompt' | 'onToken'> = {}): LocalTokenStream {
    return new LocalTokenStream((onToken, signal) => this.generate({ ...options, image, prompt, onToken, signal }), options.signal);
  }

  /**
   * Generates from ready pixel values (`[3, size, size]`, already normalised), e.g. a reference's exact inputs.
   * `prompt` is used as given: it is not validated as a task prompt.
   */
  async generateFromPixels(
    input: Omit<GenerateInput, 'image'> & { pixelValues: Float32Array; started?: number },
  ): Promise<GenerateOutput> {
    const maxNewTokens = input.maxNewTokens ?? DEFAULT_MAX_NEW_TOKENS.raw;
    if (!Number.isInteger(maxNewTokens) || maxNewTokens < 1) throw new InvalidInputError('maxNewTokens must be a positive integer');
    const started = input.started ?? performance.now();
    const promptIds = this.promptIds(input.prompt);
    const detokenizer = new IncrementalDetokenizer((ids) => this.tokenizer.decode(ids));
    const onToken = input.onToken;
    const { tokenIds, queueMs, prefillMs, decodeMs, imageCacheHit, prefixCacheHit } = await this.scheduler.submit({
      pixelValues: input.pixelValues,
      promptIds,
      maxNewTokens,
      minNewTokens: input.minNewTokens,
      ignoreEos: input.ignoreEos,
      signal: input.signal,
      onToken: onToken && ((id) => onToken({ id, text: detokenizer.push(id) })),
    });
    const usage: Usage = { promptTokens: promptIds.length, completionTokens: tokenIds.length, durationMs: performance.now() - started };
    return { text: this.tokenizer.decode(tokenIds), tokenIds, usage, timing: { queueMs, prefillMs, decodeMs, imageCacheHit, prefixCacheHit } };
  }

  async caption(image: ImageInput, options: CaptionOptions & CallOptions = {}): Promise<CaptionResult> {
    const fallback = options.length === 'long' ? DEFAULT_MAX_NEW_TOKENS_LONG_CAPTION : DEFAULT_MAX_NEW_TOKENS.caption;
    const { text, usage } = await this.runTask('caption', { lang: options.lang, length: options.length }, image, options, fallback);
    return { caption: text.trim(), usage };
  }

  async ask(image: ImageInput, question: string, options: AskOptions & CallOptions = {}): Promise<AskResult> {
    const { text, usage } = await this.runTask('ask', { question, lang: options.lang }, image, options);
    return { answer: text.trim(), usage };
  }

  async detect(image: ImageInput, labels: string[], options: DetectOptions & CallOptions = {}): Promise<DetectResult> {
    const { text, usage, size } = await this.runTask('detect', { labels }, image, options);
    return { objects: parseDetections(text, size), image: size, raw: text, usage };
  }

  async segment(image: ImageInput, labels: string[], options: SegmentOptions & CallOptions = {}): Promise<SegmentResult> {
    // The mask decoder first: without it there is no point generating.
    const vae = await this.openVae();
    const { text, usage, size } = await this.runTask('segment', { labels }, image, options);
    return { objects: masksForSegments(parseSegments(text, size), vae, size), image: size, raw: text, usage };
  }

  /** Reads text in the image (`ocr`). */
  async ocr(image: ImageInput, options: { maxNewTokens?: number } & CallOptions = {}): Promise<GenerateResult> {
    const { text, usage } = await this.runTask('ocr', {}, image, options);
    return { text: text.trim(), usage };
  }

  /** Waits for running generations, then releases the ONNX sessions; the model cannot be used afterwards. */
  async dispose(): Promise<void> {
    await this.engine.close();
  }

  private async runTask<Task extends TaskName>(
    task: Task,
    taskInput: TaskInputs[Task],
    image: ImageInput,
    options: { maxNewTokens?: number; signal?: AbortSignal },
    fallbackMaxNewTokens = DEFAULT_MAX_NEW_TOKENS[task],
  ): Promise<GenerateOutput & { size: ImageSize }> {
    const prompt = buildTaskPrompt(task, taskInput);
    const started = performance.now();
    const prepared = await this.prepareImage(image);
    const output = await this.generateFromPixels({
      prompt,
      pixelValues: prepared.pixelValues,
      maxNewTokens: options.maxNewTokens ?? fallbackMaxNewTokens,
      signal: options.signal,
      started,
    });
    return { ...output, size: prepared.size };
  }

  /** The VAE loads on the first segment call, so a missing file only affects segmentation; a failure is retried. */
  private openVae(): Promise<VaeDecoder> {
    this.vae ??= openVae({ vae: this.options.vae, cacheDir: this.options.cacheDir, onProgress: this.options.onProgress });
    this.vae.catch(() => { this.vae = undefined; });
    return this.vae;
  }
}

/** The scheduler's face as `PaliGemma` uses it, whichever thread it runs on. */
type Scheduler = Pick<BatchScheduler, 'submit' | 'waiting' | 'decoding' | 'stats'>;

interface Engine {
  scheduler: Scheduler;
  /** Waits for work in flight, then releases the sessions. */
  close(): Promise<void>;
}

async function startInWorker(init: EngineWorkerInit): Promise<Engine> {
  const scheduler = await WorkerScheduler.start(init);
  return { scheduler, close: () => scheduler.close() };
}

/** Sessions and scheduler on the calling thread: ONNX Runtime then blocks its event loop while it computes. */
async function startInThisThread(init: EngineWorkerInit): Promise<Engine> {
  const sessions = await openSessions(init.directory, init.dtypes, init.device, init.sessionOptions);
  const scheduler = new BatchScheduler(
    sessions, init.model, new ImageFeatureCache(init.featureCacheBytes), init.batching, new PrefixCache(init.prefixCacheBytes),
  );
  return {
    scheduler,
    close: async () => {
      await scheduler.whenIdle();
      await sessions.release();
    },
  };
}
