/** The in-process PaliGemma model: load once, then run tasks (caption, ask, detect, segment, generate) on images. */
import type { GenerateResult, PaliGemmaTasks, TaskInput, TaskName as RouteTaskName, TaskResult, TokenEvent, Usage } from '@paligemma/sdk';
import { MAX_STOP_SEQUENCES, type SamplingOptions, SamplingOptionsSchema } from '@paligemma/sdk/contract';
import type { Engine, EngineOutput, GenerationTiming } from './engine/engine.js';
import type { EngineStats, RemoteEngineStats } from './engine/engine-stats.js';
import { LocalEngine } from './engine/local-engine.js';
import { RemoteEngine, type RemoteEngineOptions } from './engine/remote/remote-engine.js';
import { InvalidInputError } from './errors/index.js';
import { decodeImage } from './image/decode-image.js';
import { type ImageInput, readImageInput } from './image/image-input.js';
import type { VaeDecoder } from './mask/vae/vae.js';
import { openVae } from './mask/vae/open-vae.js';
import type { LoadOptions } from './load-options.js';
import { readCoreEnvironment } from './settings/core-environment.js';
import { DEFAULT_MAX_IMAGE_BYTES, DEFAULT_MAX_IMAGE_PIXELS } from './settings/defaults.js';
import { type TaskInputOf, type TaskName, type TaskResultOf, taskDefinition } from './tasks/task-registry.js';
import { LocalTokenStream } from './token-stream.js';

/** What `PaliGemma.connect` needs: the remote engine, and the local parts that stay here (image limits, the mask decoder). */
export interface ConnectOptions extends RemoteEngineOptions, Pick<LoadOptions, 'cacheDir' | 'vae' | 'maxImageBytes' | 'maxImagePixels' | 'environment' | 'onProgress'> {}

/**
 * Options every task call takes besides its input. Sampling (`temperature`, `topP`, `topK`, `seed`) is off unless
 * `temperature` is above 0: tokens are then drawn instead of picked greedily, reproducibly for a given `seed`.
 */
export interface RunOptions extends SamplingOptions {
  /** Stops the call: image download and decoding, the wait for the batch, generation. */
  signal?: AbortSignal;
  /** Each generated token with the text it completes, as soon as it exists. */
  onToken?: (token: TokenEvent) => void;
  /** End-of-sequence is suppressed until this many tokens exist (conformance and benchmark runs). @default 0 */
  minNewTokens?: number;
  /** Do not stop at end-of-sequence (conformance and benchmark runs). @default false */
  ignoreEos?: boolean;
  /**
   * Stop sequences: the answer ends before the first one that appears in its text, and generation stops there
   * (`finishReason` `stop`). Streamed pieces hold back text that may begin one; the result's text is the answer.
   */
  stop?: readonly string[];
}

export interface GenerateInput extends RunOptions {
  image: ImageInput;
  prompt: string;
  /** @default 128 */
  maxNewTokens?: number;
}

/** `generate`'s result with the engine's detail: the token ids and where the time went. */
export interface GenerateOutput extends GenerateResult {
  tokenIds: number[];
  /** `stop`: the model ended its answer; `length`: it reached `maxNewTokens`. */
  finishReason: NonNullable<Usage['finishReason']>;
  timing: GenerationTiming;
}

/** The settings `PaliGemma` itself uses (the engine has its own). */
type PaliGemmaSettings = { maxImageBytes: number; maxImagePixels: number; vae: string | undefined; cacheDir: string } & Pick<LoadOptions, 'onProgress'>;

/**
 * PaliGemma running in this process on ONNX Runtime. Every task is `run(task, image, input)`; `caption`, `ask`,
 * `detect`, `segment`, `generate` and `ocr` are shorthands for it. An image is what the HTTP client accepts (an
 * `http(s)` URL or `data:` URI string, bytes, a Blob, `{url}` or `{data}`) or decoded pixels; read files with
 * `fromFile`.
 * @example
 * const model = await PaliGemma.load({ model: 'Xenova/paligemma-3b-mix-224' });
 * const { objects } = await model.detect(await fromFile('cat.jpg'), ['cat']);
 */
export class PaliGemma<Stats extends EngineStats | RemoteEngineStats = EngineStats | RemoteEngineStats> implements PaliGemmaTasks<ImageInput> {
  private maskDecoder: Promise<VaeDecoder> | undefined;

  private constructor(
    private readonly engine: Engine & { readonly stats: Readonly<Stats> },
    private readonly settings: PaliGemmaSettings,
  ) {}

  /** Resolves (and if needed downloads) the model, then opens its ONNX sessions. */
  static async load(options: LoadOptions = {}): Promise<PaliGemma<EngineStats>> {
    const engine = await LocalEngine.load(options);
    return new PaliGemma<EngineStats>(engine, PaliGemma.settingsFrom(options));
  }

  /**
   * PaliGemma on a remote engine: an OpenAI-compatible PaliGemma server (vLLM on GPUs, or another of ours) at `url`.
   * The same methods and results: prompts, parsing, masks (the VQ-VAE stays here) and image limits are local; the
   * engine only generates. Nothing is loaded or downloaded, and nothing is sent until the first call.
   * @example const model = await PaliGemma.connect({ url: 'http://vllm:8000/v1' })
   */
  static async connect(options: ConnectOptions): Promise<PaliGemma<RemoteEngineStats>> {
    return new PaliGemma<RemoteEngineStats>(new RemoteEngine(options), PaliGemma.settingsFrom(options));
  }

  /** What this side keeps wherever the engine runs: image limits, and where the VQ-VAE comes from. */
  private static settingsFrom(options: LoadOptions | ConnectOptions): PaliGemmaSettings {
    const environment = readCoreEnvironment(options.environment);
    return {
      maxImageBytes: options.maxImageBytes ?? DEFAULT_MAX_IMAGE_BYTES,
      maxImagePixels: options.maxImagePixels ?? DEFAULT_MAX_IMAGE_PIXELS,
      vae: options.vae ?? environment.vae,
      cacheDir: options.cacheDir ?? environment.cacheDir,
      onProgress: options.onProgress,
    };
  }

  /** Sequences waiting to join the decoding batch. */
  get waiting(): number {
    return this.engine.waiting;
  }

  /** Sequences being decoded now. */
  get decoding(): number {
    return this.engine.decoding;
  }

  /**
   * Engine totals since load: prefills, decode steps and tokens, vision runs, feature- and prefix-cache hits; for a
   * remote engine, its requests, failures, retries and the time spent waiting for it.
   */
  get stats(): Readonly<Stats> {
    return this.engine.stats;
  }

  /** Resolves when the engine can take work now, rejects with why it cannot (a remote engine that is down). */
  checkReady(signal?: AbortSignal): Promise<void> {
    return this.engine.checkReady(signal);
  }

  /**
   * Runs a task: its prompt (checked before anything else), the image read and decoded once under the load's limits
   * and `signal`, the engine, then the task's result from the model's text.
   * @example const { objects } = await model.run('detect', image, { labels: ['cat'], maxNewTokens: 64 })
   */
  run<Task extends RouteTaskName>(task: Task, image: ImageInput, input: TaskInput<Task> & RunOptions): Promise<TaskResult<Task>>;
  run(task: 'ocr', image: ImageInput, input: TaskInputOf<'ocr'> & RunOptions): Promise<GenerateResult>;
  async run(task: TaskName, image: ImageInput, input: TaskInputOf<TaskName> & RunOptions): Promise<TaskResultOf<TaskName>> {
    return (await this.execute(task, image, input)).result;
  }

  async caption(image: ImageInput, options: TaskInputOf<'caption'> & RunOptions = {}) {
    return this.run('caption', image, options);
  }

  async ask(image: ImageInput, question: string, options: Omit<TaskInputOf<'ask'>, 'question'> & RunOptions = {}) {
    return this.run('ask', image, { ...options, question });
  }

  async detect(image: ImageInput, labels: string[], options: Omit<TaskInputOf<'detect'>, 'labels'> & RunOptions = {}) {
    return this.run('detect', image, { ...options, labels });
  }

  async segment(image: ImageInput, labels: string[], options: Omit<TaskInputOf<'segment'>, 'labels'> & RunOptions = {}) {
    return this.run('segment', image, { ...options, labels });
  }

  /** Reads text in the image (`ocr`). */
  async ocr(image: ImageInput, options: TaskInputOf<'ocr'> & RunOptions = {}) {
    return this.run('ocr', image, options);
  }

  /** Generates text for a raw prompt, with the token ids and where the time went. */
  generate(input: GenerateInput): Promise<GenerateOutput>;
  generate(image: ImageInput, prompt: string, options?: Omit<GenerateInput, 'image' | 'prompt'>): Promise<GenerateOutput>;
  async generate(
    inputOrImage: GenerateInput | ImageInput,
    prompt?: string,
    options: Omit<GenerateInput, 'image' | 'prompt'> = {},
  ): Promise<GenerateOutput> {
    const { image, ...input } = prompt === undefined ? (inputOrImage as GenerateInput) : { ...options, image: inputOrImage as ImageInput, prompt };
    const { result, output } = await this.execute('generate', image, input);
    return { ...result, tokenIds: output.tokenIds, finishReason: output.finishReason, timing: output.timing };
  }

  /**
   * Streams the tokens of a raw prompt as they are generated.
   * @example for await (const token of model.stream(image, 'caption en')) process.stdout.write(token.text);
   */
  stream(image: ImageInput, prompt: string, options: Omit<GenerateInput, 'image' | 'prompt' | 'onToken'> = {}): LocalTokenStream {
    return new LocalTokenStream((onToken, signal) => this.generate({ ...options, image, prompt, onToken, signal }), options.signal);
  }

  /** Waits for running generations, then releases the ONNX sessions; the model cannot be used afterwards. */
  async dispose(): Promise<void> {
    await this.engine.close();
  }

  private async execute<Task extends TaskName>(
    task: Task,
    image: ImageInput,
    input: TaskInputOf<Task> & RunOptions,
  ): Promise<{ result: TaskResultOf<Task>; output: EngineOutput }> {
    const definition = taskDefinition(task);
    const { signal, onToken, minNewTokens, ignoreEos, temperature, topP, topK, seed, stop, ...taskInput } = input;
    const sampling = checkSampling({ temperature, topP, topK, seed }, stop);
    const prompt = definition.prompt(taskInput as TaskInputOf<Task>);
    const maxNewTokens = taskInput.maxNewTokens ?? definition.defaultMaxNewTokens(taskInput as TaskInputOf<Task>);
    if (!Number.isInteger(maxNewTokens) || maxNewTokens < 1) throw new InvalidInputError('maxNewTokens must be a positive integer');
    // The mask decoder first: without it there is no point generating.
    const maskDecoder = definition.needsMaskDecoder ? await this.openMaskDecoder() : undefined;
    const started = performance.now();
    const bytesOrPixels = await readImageInput(image, { maxBytes: this.settings.maxImageBytes, signal });
    const pixels = await decodeImage(bytesOrPixels, { maxPixels: this.settings.maxImagePixels, signal });
    const output = await this.engine.generate({
      image: { pixels, bytes: bytesOrPixels instanceof Uint8Array ? bytesOrPixels : undefined },
      prompt,
      maxNewTokens,
      minNewTokens,
      ignoreEos,
      ...sampling,
      stop,
      signal,
      onToken,
    });
    const usage: Usage = {
      promptTokens: output.promptTokens,
      completionTokens: output.completionTokens,
      durationMs: performance.now() - started,
      finishReason: output.finishReason,
    };
    const shaped = definition.result(output.text, { image: { width: pixels.width, height: pixels.height }, maskDecoder });
    return { result: { ...shaped, usage } as TaskResultOf<Task>, output };
  }

  /** The VAE loads on the first segment call, so a missing file only affects segmentation; a failure is retried. */
  private openMaskDecoder(): Promise<VaeDecoder> {
    this.maskDecoder ??= openVae({ vae: this.settings.vae, cacheDir: this.settings.cacheDir, onProgress: this.settings.onProgress });
    this.maskDecoder.catch(() => {
      this.maskDecoder = undefined;
    });
    return this.maskDecoder;
  }
}

/** The sampling options and stop sequences, checked with the contract's rules (`InvalidInputError` otherwise). */
function checkSampling(sampling: SamplingOptions, stop: readonly string[] | undefined): SamplingOptions {
  const parsed = SamplingOptionsSchema.safeParse(sampling);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidInputError(`${issue.path.join('.')}: ${issue.message}`);
  }
  if (stop !== undefined && (!Array.isArray(stop) || stop.length > MAX_STOP_SEQUENCES || stop.some((each) => typeof each !== 'string' || each.length === 0))) {
    throw new InvalidInputError(`stop must be a list of at most ${MAX_STOP_SEQUENCES} non-empty strings`);
  }
  return parsed.data;
}
