/**
 * An engine that is another server: any OpenAI-compatible PaliGemma server (vLLM on GPUs, or another of ours) at
 * `url`. It gets the task prompt and the image's original bytes as a `data:` URI and streams its answer back token
 * by token; tasks, parsing and masks stay here, so the results are the ones the local engine gives.
 */
import { describeError, readServerSentEvents, retryDelayMs, sleep, sniffImageFormat } from '@paligemma/sdk/internal';
import sharp from 'sharp';
import { EngineError } from '../../errors/engine-error.js';
import { DEFAULT_ENGINE_MAX_RETRIES } from '../../settings/defaults.js';
import type { Engine, EngineOutput, EngineRequest, PreparedImage } from '../engine.js';
import { type RemoteEngineStats, emptyRemoteEngineStats } from '../engine-stats.js';
import { buildChatRequest } from './chat-request.js';

export interface RemoteEngineOptions {
  /** Base URL of the engine's OpenAI-compatible API, e.g. `http://vllm:8000/v1`. */
  url: string;
  /** Sent as `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** The engine's model id. @default the first id of the engine's `GET /models`, asked on first use */
  model?: string;
  /** Attempts repeated after a connection failure or a 502/503, before any token arrived. @default 2 */
  maxRetries?: number;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
}

/** A failed answer's message is shown to callers and operators: enough to read, not a whole HTML error page. */
const MAX_ERROR_MESSAGE_CHARS = 500;

/** One chunk of the engine's stream, as OpenAI and vLLM send it (only the fields we read). */
interface ChatChunk {
  choices?: Array<{ delta?: { content?: string | null }; message?: { content?: string | null }; finish_reason?: string | null; token_ids?: number[] }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  error?: unknown;
}

export class RemoteEngine implements Engine {
  readonly stats: RemoteEngineStats = emptyRemoteEngineStats();
  private readonly baseUrl: string;
  private readonly maxRetries: number;
  private modelId: Promise<string> | undefined;
  private inFlight = 0;

  /**
   * Nothing is sent yet: the engine may come up after this server does, and readiness follows it.
   * @example const engine = new RemoteEngine({ url: 'http://vllm:8000/v1' })
   */
  constructor(private readonly options: RemoteEngineOptions) {
    this.baseUrl = options.url.replace(/\/+$/, '');
    this.maxRetries = options.maxRetries ?? DEFAULT_ENGINE_MAX_RETRIES;
    if (options.model) this.modelId = Promise.resolve(options.model);
  }

  /** The engine queues on its side; what is in flight here counts as decoding. */
  get waiting(): number {
    return 0;
  }

  get decoding(): number {
    return this.inFlight;
  }

  async generate(request: EngineRequest): Promise<EngineOutput> {
    const started = performance.now();
    this.stats.engineRequests++;
    this.inFlight++;
    try {
      const model = await this.model(request.signal);
      // buildChatRequest reads its fields by name, so the request's signal and callback are never sent.
      const body = buildChatRequest({ ...request, model, image: await dataUri(request.image) });
      const response = await this.send('POST', '/chat/completions', request.signal, JSON.stringify(body));
      return await this.readAnswer(response, request, started);
    } catch (error) {
      if (!request.signal?.aborted) this.stats.engineFailures++;
      throw error;
    } finally {
      this.inFlight--;
      this.stats.engineRequestMs += performance.now() - started;
    }
  }

  /** Ready while the engine answers `GET /models` (one try: a probe must answer quickly). */
  async checkReady(signal?: AbortSignal): Promise<void> {
    const response = await this.send('GET', '/models', signal, undefined, 0);
    await response.body?.cancel();
  }

  async close(): Promise<void> {}

  /** The configured model id, else the first one the engine lists (asked once; a failure is asked again next time). */
  private model(signal: AbortSignal | undefined): Promise<string> {
    this.modelId ??= (async () => {
      const response = await this.send('GET', '/models', signal);
      const list = (await response.json().catch(() => undefined)) as { data?: Array<{ id?: unknown }> } | undefined;
      const id = list?.data?.find((entry) => typeof entry.id === 'string')?.id;
      if (typeof id !== 'string') throw new EngineError('engine_failed', `the engine at ${this.baseUrl} lists no model in GET /models`);
      return id;
    })();
    this.modelId.catch(() => {
      this.modelId = undefined;
    });
    return this.modelId;
  }

  /**
   * One request with bounded retries: a connection failure or a 502/503 is tried again after a backoff (honouring
   * `Retry-After`), then answered `engine_unavailable`; a 504 is `engine_timeout`; any other error `engine_failed`.
   */
  private async send(method: 'GET' | 'POST', path: string, signal: AbortSignal | undefined, body?: string, maxRetries = this.maxRetries): Promise<Response> {
    const url = `${this.baseUrl}${path}`;
    const headers: Record<string, string> = { accept: method === 'POST' ? 'text/event-stream' : 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    for (let attempt = 0; ; attempt++) {
      let failure: EngineError;
      let retryHeaders: Headers | undefined;
      try {
        const response = await (this.options.fetch ?? fetch)(url, { method, headers, body, signal });
        if (response.ok) return response;
        const message = await errorMessage(response);
        if (response.status === 504) throw new EngineError('engine_timeout', `the engine at ${url} timed out (504): ${message}`);
        if (response.status !== 502 && response.status !== 503) {
          throw new EngineError('engine_failed', `the engine at ${url} answered ${response.status}: ${message}`);
        }
        failure = new EngineError('engine_unavailable', `the engine at ${url} answered ${response.status}: ${message}`);
        retryHeaders = response.headers;
      } catch (error) {
        signal?.throwIfAborted();
        if (EngineError.isInstance(error)) throw error;
        failure = new EngineError('engine_unavailable', `the engine at ${url} cannot be reached: ${describeError(error)}`, { cause: error });
      }
      if (attempt >= maxRetries) throw failure;
      this.stats.engineRetries++;
      await sleep(retryDelayMs(retryHeaders, attempt), signal);
    }
  }

  /** Relays the streamed answer token by token; a JSON answer (a server that does not stream) is read whole. */
  private async readAnswer(response: Response, request: EngineRequest, started: number): Promise<EngineOutput> {
    let text = '';
    const tokenIds: number[] = [];
    let finishReason: string | undefined;
    let usage: ChatChunk['usage'];
    let firstTokenAt: number | undefined;
    const take = (chunk: ChatChunk) => {
      if (chunk.error !== undefined) {
        throw new EngineError('engine_failed', `the engine failed while answering: ${describeChunkError(chunk.error)}`);
      }
      usage = chunk.usage ?? usage;
      const choice = chunk.choices?.[0];
      if (!choice) return;
      const piece = choice.delta?.content ?? choice.message?.content ?? '';
      const ids = choice.token_ids ?? [];
      tokenIds.push(...ids);
      if (piece || ids.length > 0) {
        firstTokenAt ??= performance.now();
        text += piece;
        // One event per token where the engine names them (vLLM's return_token_ids), else one per piece of text.
        if (ids.length === 0) request.onToken?.({ id: -1, text: piece });
        ids.forEach((id, index) => request.onToken?.({ id, text: index === ids.length - 1 ? piece : '' }));
      }
      finishReason = choice.finish_reason ?? finishReason;
    };
    if (!(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
      take((await response.json().catch((error: unknown) => {
        throw new EngineError('engine_failed', `the engine's answer is not JSON: ${describeError(error)}`, { cause: error });
      })) as ChatChunk);
    } else {
      try {
        for await (const event of readServerSentEvents(response.body as ReadableStream<Uint8Array>, request.signal)) {
          if (event.data === '[DONE]') break;
          let chunk: ChatChunk;
          try {
            chunk = JSON.parse(event.data) as ChatChunk;
          } catch (error) {
            throw new EngineError('engine_failed', `the engine sent a chunk that is not JSON: ${event.data.slice(0, 80)}`, { cause: error });
          }
          take(chunk);
        }
      } catch (error) {
        request.signal?.throwIfAborted();
        if (EngineError.isInstance(error)) throw error;
        throw new EngineError('engine_failed', `the engine's stream broke off: ${describeError(error)}`, { cause: error });
      }
      request.signal?.throwIfAborted();
    }
    if (!finishReason) throw new EngineError('engine_failed', "the engine's answer ended before it said why (no finish_reason)");
    const completionTokens = usage?.completion_tokens ?? tokenIds.length;
    const ended = performance.now();
    return {
      text,
      tokenIds,
      completionTokens,
      promptTokens: usage?.prompt_tokens ?? 0,
      finishReason: finishReason === 'length' ? 'length' : 'stop',
      timing: {
        queueMs: 0,
        prefillMs: (firstTokenAt ?? ended) - started,
        decodeMs: ended - (firstTokenAt ?? ended),
        imageCacheHit: false,
        prefixCacheHit: false,
      },
    };
  }
}

/** The image's original bytes as a `data:` URI (pixels given directly are sent as PNG). */
async function dataUri(image: PreparedImage): Promise<string> {
  const bytes = image.bytes ?? new Uint8Array(
    await sharp(image.pixels.data, { raw: { width: image.pixels.width, height: image.pixels.height, channels: 3 } }).png().toBuffer(),
  );
  const format = sniffImageFormat(bytes) ?? 'png';
  return `data:image/${format};base64,${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}`;
}

/** The message of an error answer, whichever shape it has (OpenAI's, vLLM's flat one, `{error: "…"}`, plain text). */
async function errorMessage(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  let message = text;
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown };
    message = describeChunkError(body.error ?? body.message ?? text);
  } catch {
    // not JSON: the text itself
  }
  return (message.trim() || response.statusText || 'no message').slice(0, MAX_ERROR_MESSAGE_CHARS);
}

function describeChunkError(error: unknown): string {
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') {
    return (error as { message: string }).message;
  }
  return JSON.stringify(error).slice(0, MAX_ERROR_MESSAGE_CHARS);
}
