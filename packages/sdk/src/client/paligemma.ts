/** `PaliGemma`: the typed HTTP client, implementing the same task interface as the in-process model. */
import { AskResultSchema, type AskOptions, type AskResult } from '../contract/ask.js';
import { CaptionResultSchema, type CaptionOptions, type CaptionResult } from '../contract/caption.js';
import { DetectResultSchema, type DetectOptions, type DetectResult } from '../contract/detect.js';
import { GenerateResultSchema, type GenerateOptions, type GenerateResult } from '../contract/generate.js';
import type { PaliGemmaTasks } from '../contract/model.js';
import { SegmentResultSchema, type SegmentOptions, type SegmentResult } from '../contract/segment.js';
import { AbortError } from '../errors/abort-error.js';
import type { z } from 'zod';
import {
  checkRequestLimits,
  resolveClientOptions,
  type ClientOptions,
  type RequestOptions,
  type ResolvedClientOptions,
} from './client-options.js';
import { GenerateStream } from './generate-stream.js';
import { toImageSource, type ImageInput } from './image-input.js';
import { readJsonResult } from './parse-result.js';
import { requestWithRetry, type OutgoingRequest, type RetryPolicy } from './request-with-retry.js';

/**
 * A client for a PaliGemma service. Runs wherever `fetch` does: Node ≥ 18, browsers, Workers, Deno, Bun.
 * Every result is validated against the API contract; every failure is a typed `PaliGemmaError`.
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
  async caption(image: ImageInput, options: CaptionOptions & RequestOptions = {}): Promise<CaptionResult> {
    const [request, fields] = splitOptions(options);
    return this.post('/v1/caption', { image: await toImageSource(image), ...fields }, CaptionResultSchema, request);
  }

  /**
   * Answers a question about the image (`answer <lang> <question>`).
   * @example const { answer } = await client.ask(image, 'how many cats are there?');
   */
  async ask(image: ImageInput, question: string, options: AskOptions & RequestOptions = {}): Promise<AskResult> {
    const [request, fields] = splitOptions(options);
    const body = { image: await toImageSource(image), question, ...fields };
    return this.post('/v1/ask', body, AskResultSchema, request);
  }

  /**
   * Boxes, in pixels of the original image, for each object matching one of `labels`.
   * @example const { objects } = await client.detect(image, ['cat', 'remote control']);
   */
  async detect(image: ImageInput, labels: string[], options: DetectOptions & RequestOptions = {}): Promise<DetectResult> {
    const [request, fields] = splitOptions(options);
    const body = { image: await toImageSource(image), labels, ...fields };
    return this.post('/v1/detect', body, DetectResultSchema, request);
  }

  /**
   * Masks (COCO RLE at image size) and polygons for each object matching one of `labels`.
   * @example const { objects } = await client.segment(image, ['cat']); objects[0].polygons;
   */
  async segment(
    image: ImageInput,
    labels: string[],
    options: SegmentOptions & RequestOptions = {},
  ): Promise<SegmentResult> {
    const [request, fields] = splitOptions(options);
    const body = { image: await toImageSource(image), labels, ...fields };
    return this.post('/v1/segment', body, SegmentResultSchema, request);
  }

  /**
   * The model's raw text for a prompt of your own, such as `caption es` or `ocr`.
   * @example const { text } = await client.generate(image, 'ocr');
   */
  async generate(
    image: ImageInput,
    prompt: string,
    options: GenerateOptions & RequestOptions = {},
  ): Promise<GenerateResult> {
    const [request, fields] = splitOptions(options);
    const body = { image: await toImageSource(image), prompt, ...fields };
    return this.post('/v1/generate', body, GenerateResultSchema, request);
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
    const url = this.url('/v1/generate');
    const open = async (signal: AbortSignal): Promise<Response> => {
      if (signal.aborted) throw new AbortError({ cause: signal.reason });
      const body = { image: await toImageSource(image), prompt, ...fields, stream: true };
      const outgoing = this.outgoingRequest(url, body, request, 'text/event-stream');
      return requestWithRetry(outgoing, this.policy(request, signal), async (response) => response);
    };
    return new GenerateStream(open, url, request.signal);
  }

  private async post<Schema extends z.ZodType>(
    path: string,
    body: object,
    schema: Schema,
    request: RequestOptions,
  ): Promise<z.output<Schema>> {
    if (request.signal?.aborted) throw new AbortError({ cause: request.signal.reason });
    const url = this.url(path);
    const outgoing = this.outgoingRequest(url, body, request, 'application/json');
    return requestWithRetry(outgoing, this.policy(request, request.signal), (response) =>
      readJsonResult(response, schema, url),
    );
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
