/** `PaliGemma`: the typed HTTP client, implementing the same task interface as the in-process model. */
import type { AskOptions, AskResult } from '../contract/ask.js';
import type { CaptionOptions, CaptionResult } from '../contract/caption.js';
import type { DetectOptions, DetectResult } from '../contract/detect.js';
import type { GenerateOptions, GenerateResult } from '../contract/generate.js';
import type { PaliGemmaTasks, TaskInput, TaskName, TaskResult } from '../contract/model.js';
import { TASK_ROUTES } from '../contract/routes.js';
import type { SegmentOptions, SegmentResult } from '../contract/segment.js';
import { AbortError } from '../errors/abort-error.js';
import { APIPromise, type WithResponse } from './api-promise.js';
import {
  checkRequestLimits,
  resolveClientOptions,
  type ClientOptions,
  type RequestOptions,
  type ResolvedClientOptions,
} from './client-options.js';
import { GenerateStream } from './generate-stream.js';
import { toImageSource, type ImageInput } from './image-input.js';
import { readJsonResult, requestIdOf } from './parse-result.js';
import { requestWithRetry, type OutgoingRequest, type RetryPolicy } from './request-with-retry.js';

/**
 * A client for a PaliGemma service. Runs wherever `fetch` does: Node ≥ 18, browsers, Workers, Deno, Bun.
 * Every result is validated against the API contract; every failure is a typed `PaliGemmaError`. Each method
 * returns an {@link APIPromise}: await it for the result, or call `.withResponse()` for the response and request id.
 *
 * @example
 * const client = new PaliGemma({ baseURL: 'http://localhost:8080', apiKey: process.env.PALIGEMMA_API_KEY });
 * const { caption } = await client.caption('https://example.com/cat.jpg');
 * const { objects } = await client.detect(imageBlob, ['cat', 'dog'], { signal: AbortSignal.timeout(30_000) });
 */
export class PaliGemma implements PaliGemmaTasks<ImageInput> {
  private readonly options: ResolvedClientOptions;

  constructor(options: ClientOptions = {}) {
    this.options = resolveClientOptions(options);
  }

  /** The service's base URL, without a trailing slash. */
  get baseURL(): string {
    return this.options.baseURL;
  }

  /**
   * A short (`caption <lang>`) or long (`describe <lang>`) description of the image.
   * @example const { caption } = await client.caption(image, { lang: 'de', length: 'long' });
   */
  caption(image: ImageInput, options: CaptionOptions & RequestOptions = {}): APIPromise<CaptionResult> {
    return this.run('caption', image, options);
  }

  /**
   * Answers a question about the image (`answer <lang> <question>`).
   * @example const { answer } = await client.ask(image, 'how many cats are there?');
   */
  ask(image: ImageInput, question: string, options: AskOptions & RequestOptions = {}): APIPromise<AskResult> {
    return this.run('ask', image, { ...options, question });
  }

  /**
   * Boxes, in pixels of the original image, for each object matching one of `labels`.
   * @example const { objects } = await client.detect(image, ['cat', 'remote control']);
   */
  detect(image: ImageInput, labels: string[], options: DetectOptions & RequestOptions = {}): APIPromise<DetectResult> {
    return this.run('detect', image, { ...options, labels });
  }

  /**
   * Masks (COCO RLE at image size) and polygons for each object matching one of `labels`.
   * @example const { objects } = await client.segment(image, ['cat']); objects[0].polygons;
   */
  segment(image: ImageInput, labels: string[], options: SegmentOptions & RequestOptions = {}): APIPromise<SegmentResult> {
    return this.run('segment', image, { ...options, labels });
  }

  /**
   * The model's raw text for a prompt of your own, such as `caption es` or `ocr`.
   * @example const { text } = await client.generate(image, 'ocr');
   */
  generate(image: ImageInput, prompt: string, options: GenerateOptions & RequestOptions = {}): APIPromise<GenerateResult> {
    return this.run('generate', image, { ...options, prompt });
  }

  /**
   * Any task by name, with its input as one object: what the named methods call, and what code that picks the task
   * at run time uses.
   * @example const { objects } = await client.run('detect', image, { labels: ['cat'] });
   */
  run<Task extends TaskName>(task: Task, image: ImageInput, input: TaskInput<Task> & RequestOptions): APIPromise<TaskResult<Task>> {
    const route = TASK_ROUTES[task];
    const [request, fields] = splitOptions(input);
    const responded = (async (): Promise<WithResponse<TaskResult<Task>>> => {
      if (request.signal?.aborted) throw new AbortError({ cause: request.signal.reason });
      const url = this.url(route.path);
      const outgoing = this.outgoingRequest(url, { image: await toImageSource(image), ...fields }, request, 'application/json');
      return requestWithRetry(outgoing, this.policy(request, request.signal), async (response) => ({
        data: (await readJsonResult(response, route.result, url)) as TaskResult<Task>,
        response,
        requestId: requestIdOf(response.headers),
      }));
    })();
    return new APIPromise(responded);
  }

  /**
   * Like `generate`, but tokens arrive as they are generated (Server-Sent Events). The request is sent when
   * iteration starts; it is retried until the server starts answering, never after.
   *
   * @example
   * const stream = client.stream(image, 'caption en', { signal });
   * for await (const token of stream) process.stdout.write(token.text);
   * const { text, usage } = await stream.result;
   */
  stream(image: ImageInput, prompt: string, options: GenerateOptions & RequestOptions = {}): GenerateStream {
    const [request, fields] = splitOptions(options);
    const url = this.url(TASK_ROUTES.generate.path);
    const open = async (signal: AbortSignal): Promise<Response> => {
      if (signal.aborted) throw new AbortError({ cause: signal.reason });
      const body = { image: await toImageSource(image), prompt, ...fields, stream: true };
      const outgoing = this.outgoingRequest(url, body, request, 'text/event-stream');
      return requestWithRetry(outgoing, this.policy(request, signal), async (response) => response);
    };
    return new GenerateStream(open, url, request.signal);
  }

  private url(path: string): string {
    return `${this.options.baseURL}${path}`;
  }

  private outgoingRequest(url: string, body: object, request: RequestOptions, accept: string): OutgoingRequest {
    const headers = new Headers({ ...this.options.headers, ...request.headers });
    headers.set('content-type', 'application/json');
    if (!headers.has('accept')) headers.set('accept', accept);
    if (this.options.apiKey) headers.set('authorization', `Bearer ${this.options.apiKey}`);
    if (request.requestId) headers.set('x-request-id', request.requestId);
    return { url, method: 'POST', headers, body: JSON.stringify(body) };
  }

  private policy(request: RequestOptions, signal: AbortSignal | undefined): RetryPolicy {
    checkRequestLimits(request);
    return {
      fetch: this.options.fetch,
      timeoutMs: request.timeoutMs ?? this.options.timeoutMs,
      maxRetries: request.maxRetries ?? this.options.maxRetries,
      signal,
    };
  }
}

/** Separates the per-call request options from the task fields that go into the JSON body. */
function splitOptions<Fields extends object>(options: Fields & RequestOptions): [RequestOptions, Omit<Fields, keyof RequestOptions>] {
  const { signal, timeoutMs, maxRetries, headers, requestId, ...fields } = options;
  return [{ signal, timeoutMs, maxRetries, headers, requestId }, fields];
}
