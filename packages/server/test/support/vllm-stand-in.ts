/**
 * A stand-in for vLLM's OpenAI-compatible server, which cannot run on these machines (it needs a GPU): a loopback
 * server that behaves as vLLM's documented API does for PaliGemma, with our tiny model computing the tokens.
 * - Prompt: vLLM's PaliGemma chat template concatenates the messages' contents (text parts joined by "\n"), takes
 *   at most one image, and its processor adds `<image>`×N, `<bos>` and a trailing "\n" unless the text ends in one.
 * - Detokenizer: `skip_special_tokens` (default true) drops special tokens — as vLLM issue #7115 reports for
 *   PaliGemma's `<loc>`/`<seg>` tokens, the stand-in treats them as special — and `spaces_between_special_tokens`
 *   (default true) puts a space between two consecutive such tokens; `return_token_ids` adds `token_ids`.
 * - Errors as `{"error": {message, type, param, code}}` with the status in `code`; a stream ends with `[DONE]`.
 * Every request body is recorded, so tests can check what our remote engine sends.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PaliGemma } from '@paligemma/core';
import type { TokenEvent } from '@paligemma/sdk';

export interface VllmStandIn {
  /** Base URL of its OpenAI-compatible API, `http://127.0.0.1:<port>/v1`. */
  url: string;
  /** The served model name. */
  model: string;
  /** Every chat-completion body received, in order. */
  requests: Array<Record<string, unknown>>;
  /** Faults to play, changed by tests between requests. */
  faults: {
    /** Answer every request with this status (e.g. 503 while "restarting"). */
    status?: number;
    /** Wait this long before answering a chat completion (an engine slower than the deadline). */
    delayMs?: number;
    /** Cut the connection after this many streamed tokens (an engine lost mid-stream). */
    dropAfterTokens?: number;
  };
  /** Chat completions whose client went away before the answer ended. */
  abandoned: number;
  close(): Promise<void>;
}

const ADDED_TOKEN = /<loc\d{4}>|<seg\d{3}>/g;

/**
 * @example const vllm = await startVllmStandIn(await PaliGemma.load({ model: TINY_MODEL_DIR })); … await vllm.close();
 */
export async function startVllmStandIn(model: PaliGemma, options: { served?: string; apiKey?: string } = {}): Promise<VllmStandIn> {
  const served = options.served ?? 'google/paligemma-3b-mix-224';
  const requests: Array<Record<string, unknown>> = [];
  const faults: VllmStandIn['faults'] = {};
  let abandoned = 0;
  const server: Server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendError(response, 500, String(error), 'InternalServerError');
      else response.end();
    });
  });
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    if (options.apiKey && request.headers.authorization !== `Bearer ${options.apiKey}`) {
      return void response.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'Unauthorized' }));
    }
    if (faults.status) return sendError(response, faults.status, 'the engine is restarting', 'ServiceUnavailableError');
    if (request.method === 'GET' && request.url === '/v1/models') {
      return sendJson(response, 200, { object: 'list', data: [{ id: served, object: 'model', created: 1_700_000_000, owned_by: 'vllm', root: served, parent: null, max_model_len: 8192 }] });
    }
    if (request.method !== 'POST' || request.url !== '/v1/chat/completions') return sendError(response, 404, 'Not Found', 'NotFoundError');
    const body = JSON.parse(await readBody(request)) as Record<string, unknown>;
    requests.push(body);
    if (body.model !== served) return sendError(response, 404, `The model \`${String(body.model)}\` does not exist.`, 'NotFoundError', 'model');
    const { text, images } = renderMessages(body.messages);
    if (images.length > 1) return sendError(response, 400, 'At most 1 image(s) may be provided in one prompt.', 'BadRequestError');
    if (images.length === 0) return sendError(response, 400, 'PaliGemma needs an image here', 'BadRequestError');
    const image = new Uint8Array(Buffer.from(images[0].replace(/^data:[^,]*;base64,/, ''), 'base64'));
    // vLLM's PaliGemma processor appends "\n" unless the prompt already ends with it; our engine always appends one.
    const prompt = text.endsWith('\n') ? text.slice(0, -1) : text;
    const skipSpecial = body.skip_special_tokens !== false;
    const spaced = skipSpecial || body.spaces_between_special_tokens !== false;
    const withIds = body.return_token_ids === true;
    const render = detokenizer(skipSpecial, spaced);
    const maxTokens = Number(body.max_tokens ?? body.max_completion_tokens ?? 16);
    const controller = new AbortController();
    response.on('close', () => {
      if (!response.writableFinished) abandoned++;
      controller.abort();
    });
    if (faults.delayMs) await new Promise((resolve) => setTimeout(resolve, faults.delayMs));
    if (controller.signal.aborted) return;
    if (body.stream !== true) {
      const output = await model.generate({ image, prompt, maxNewTokens: maxTokens, signal: controller.signal });
      const content = render(output.text);
      return sendJson(response, 200, {
        id: 'chatcmpl-standin', object: 'chat.completion', created: 1_700_000_001, model: served,
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: output.finishReason, logprobs: null, ...(withIds ? { token_ids: output.tokenIds } : {}) }],
        usage: usageOf(output),
      });
    }
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
      response.write(`data: ${JSON.stringify({ id: 'chatcmpl-standin', object: 'chat.completion.chunk', created: 1_700_000_001, model: served, choices, ...extra })}\n\n`);
    chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]);
    let streamed = 0;
    try {
      const output = await model.generate({
        image, prompt, maxNewTokens: maxTokens, signal: controller.signal,
        onToken: (token: TokenEvent) => {
          if (faults.dropAfterTokens !== undefined && streamed++ >= faults.dropAfterTokens) {
            response.socket?.destroy();
            controller.abort();
            return;
          }
          chunk([{ index: 0, delta: { content: render(token.text) }, finish_reason: null, ...(withIds ? { token_ids: [token.id] } : {}) }]);
        },
      });
      chunk([{ index: 0, delta: {}, finish_reason: output.finishReason }]);
      if ((body.stream_options as { include_usage?: boolean } | undefined)?.include_usage) chunk([], { usage: usageOf(output) });
    } catch (error) {
      if (controller.signal.aborted) return;
      response.write(`data: ${JSON.stringify({ error: { message: String(error), type: 'InternalServerError', param: null, code: 500 } })}\n\n`);
    }
    response.end('data: [DONE]\n\n');
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    model: served,
    requests,
    faults,
    get abandoned() {
      return abandoned;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** vLLM's PaliGemma chat template: every message's content concatenated; a message's text parts joined by "\n". */
function renderMessages(messages: unknown): { text: string; images: string[] } {
  const images: string[] = [];
  let text = '';
  for (const message of (messages as Array<{ content: unknown }>) ?? []) {
    if (typeof message.content === 'string') {
      text += message.content;
      continue;
    }
    const texts: string[] = [];
    for (const part of (message.content as Array<{ type: string; text?: string; image_url?: { url: string } }>) ?? []) {
      if (part.type === 'text' && part.text !== undefined) texts.push(part.text);
      if (part.type === 'image_url' && part.image_url) images.push(part.image_url.url);
    }
    text += texts.join('\n');
  }
  return { text, images };
}

/** Renders each generated piece as vLLM's detokenizer would with these flags (it keeps state between pieces). */
function detokenizer(skipSpecial: boolean, spaced: boolean): (piece: string) => string {
  let previousWasAdded = false;
  return (piece) => {
    let out = '';
    let last = 0;
    for (const match of piece.matchAll(ADDED_TOKEN)) {
      out += piece.slice(last, match.index);
      if (match.index > last) previousWasAdded = false;
      if (!skipSpecial) out += `${spaced && previousWasAdded ? ' ' : ''}${match[0]}`;
      previousWasAdded = true;
      last = match.index + match[0].length;
    }
    if (last < piece.length) {
      out += piece.slice(last);
      previousWasAdded = false;
    }
    return out;
  };
}

function usageOf(output: { tokenIds: number[]; usage: { promptTokens: number } }) {
  return { prompt_tokens: output.usage.promptTokens, completion_tokens: output.tokenIds.length, total_tokens: output.usage.promptTokens + output.tokenIds.length };
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function sendError(response: ServerResponse, status: number, message: string, type: string, param: string | null = null): void {
  sendJson(response, status, { error: { message, type, param, code: status } });
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
