/** The engine on ONNX Runtime in this process: the checkpoint's tokenizer, preprocessing, and the batch scheduler. */
import type { LoadOptions } from '../load-options.js';
import type { ModelConfig } from '../model-files/model-config.js';
import { readModelFiles } from '../model-files/read-model-files.js';
import { resolveModel } from '../model-files/resolve-model.js';
import { readCoreEnvironment } from '../settings/core-environment.js';
import { DEFAULT_DEVICE, DEFAULT_ENGINE_THREAD, DEFAULT_FEATURE_CACHE_BYTES, DEFAULT_PREFIX_CACHE_BYTES } from '../settings/defaults.js';
import type { ImageProcessorConfig } from '../image/image-processor-config.js';
import { preprocessImage } from '../image/preprocess-image.js';
import type { Engine, EngineOutput, EngineRequest } from './engine.js';
import type { EngineStats } from './engine-stats.js';
import { IncrementalDetokenizer } from './incremental-detokenizer.js';
import { cutAtStopSequence } from './stop-sequences.js';
import { type PromptTokenizer, buildPromptIds, loadPromptTokenizer } from './prompt-tokenizer.js';
import { type RunningScheduler, startScheduler } from './start-scheduler.js';
import type { EngineWorkerInit } from './worker/protocol.js';

/** The engine's start-up settings (`directory`: a model directory in the transformers.js layout) and its thread. */
export interface LocalEngineOptions extends Omit<EngineWorkerInit, 'model'> {
  engineThread: 'worker' | 'main';
}

/** A generation from exact pixel values (`[3, size, size]`, normalised): reference checks feed the reference's own. */
export type PixelRequest = Omit<EngineRequest, 'image'> & { pixelValues: Float32Array };

export class LocalEngine implements Engine {
  private constructor(
    private readonly running: RunningScheduler,
    private readonly tokenizer: PromptTokenizer,
    readonly config: ModelConfig,
    readonly imageProcessor: ImageProcessorConfig,
  ) {}

  /**
   * Resolves (and if needed downloads) the model named by the load options, then starts the engine on it.
   * @example const engine = await LocalEngine.load({ model: 'fixtures/tiny-paligemma' })
   */
  static async load(options: LoadOptions = {}): Promise<LocalEngine> {
    const environment = readCoreEnvironment(options.environment);
    const tokenOption = options.hubToken?.trim();
    const resolved = await resolveModel({
      model: options.model,
      dtype: options.dtype,
      cacheDir: options.cacheDir ?? environment.cacheDir,
      hubUrl: options.hubUrl ?? environment.hubUrl,
      hubToken: tokenOption ? () => ({ value: tokenOption, source: 'the hubToken option' }) : environment.hubToken,
      onProgress: options.onProgress,
      signal: options.signal,
    });
    return LocalEngine.start({
      directory: resolved.directory,
      dtypes: resolved.dtypes,
      device: options.device ?? DEFAULT_DEVICE,
      sessionOptions: options.sessionOptions ?? {},
      batching: options.batching ?? {},
      featureCacheBytes: options.featureCacheBytes ?? DEFAULT_FEATURE_CACHE_BYTES,
      prefixCacheBytes: options.prefixCacheBytes ?? DEFAULT_PREFIX_CACHE_BYTES,
      engineThread: options.engineThread ?? DEFAULT_ENGINE_THREAD,
    });
  }

  /**
   * Reads the files of a model directory and opens its sessions.
   * @example const engine = await LocalEngine.start({ directory, dtypes, device: 'cpu', … })
   */
  static async start(options: LocalEngineOptions): Promise<LocalEngine> {
    const { engineThread, ...init } = options;
    const { config, imageProcessor } = await readModelFiles(init.directory);
    const tokenizer = await loadPromptTokenizer(init.directory);
    const model = { imageSize: imageProcessor.size.height, imageTokenId: config.imageTokenId, eosTokenIds: config.eosTokenIds };
    const running = await startScheduler({ ...init, model }, engineThread);
    return new LocalEngine(running, tokenizer, config, imageProcessor);
  }

  get stats(): Readonly<EngineStats> {
    return this.running.scheduler.stats;
  }

  get waiting(): number {
    return this.running.scheduler.waiting;
  }

  get decoding(): number {
    return this.running.scheduler.decoding;
  }

  /** Prompt token ids for a task prompt, image tokens included. */
  promptIds(prompt: string): number[] {
    return buildPromptIds(this.tokenizer, this.config, prompt);
  }

  generate(request: EngineRequest): Promise<EngineOutput> {
    const { image, ...rest } = request;
    return this.generateFromPixels({ ...rest, pixelValues: preprocessImage(image.pixels, this.imageProcessor) });
  }

  /**
   * Generates from ready pixel values; `prompt` is used as given. Stop sequences are watched here, where tokens
   * become text: the sequence is told to finish once one appears, and tokens decoded after it are dropped.
   */
  async generateFromPixels(request: PixelRequest): Promise<EngineOutput> {
    const promptIds = this.promptIds(request.prompt);
    const stops = request.stop ?? [];
    const detokenizer = new IncrementalDetokenizer((ids) => this.tokenizer.decode(ids), stops);
    const finish = new AbortController();
    const { onToken } = request;
    const watch = onToken !== undefined || stops.length > 0;
    const { tokenIds: decoded, stoppedAtEos, ...timing } = await this.running.scheduler.submit({
      pixelValues: request.pixelValues,
      promptIds,
      maxNewTokens: request.maxNewTokens,
      minNewTokens: request.minNewTokens,
      ignoreEos: request.ignoreEos,
      temperature: request.temperature,
      topP: request.topP,
      topK: request.topK,
      seed: request.seed,
      signal: request.signal,
      finishSignal: stops.length > 0 ? finish.signal : undefined,
      onToken: watch
        ? (id) => {
          if (detokenizer.stopped) return; // decoded after the stop sequence: not part of the answer
          const text = detokenizer.push(id);
          onToken?.({ id, text });
          if (detokenizer.stopped) finish.abort();
        }
        : undefined,
    });
    const tokenIds = detokenizer.stopped ? decoded.slice(0, detokenizer.tokenCount) : decoded;
    const whole = this.tokenizer.decode(tokenIds);
    const text = cutAtStopSequence(whole, stops);
    return {
      text,
      tokenIds,
      completionTokens: tokenIds.length,
      promptTokens: promptIds.length,
      finishReason: stoppedAtEos || text.length < whole.length ? 'stop' : 'length',
      timing,
    };
  }

  /** In this process: ready once started. */
  checkReady(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return this.running.close();
  }
}
