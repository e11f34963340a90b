import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendJson, startScriptedServer, USAGE, type ScriptedServer } from '../../test/support/scripted-server.js';
import type { TokenEvent } from '../contract/generate.js';
import { AbortError } from '../errors/abort-error.js';
import { APIError } from '../errors/api-error.js';
import { ConnectionError } from '../errors/connection-error.js';
import { RateLimitError } from '../errors/rate-limit-error.js';
import { ResponseValidationError } from '../errors/response-validation-error.js';
import { PaliGemma } from './paligemma.js';

const IMAGE = 'https://example.com/cat.jpg';
const TOKENS: TokenEvent[] = [
  { id: 17, text: 'a' },
  { id: 23, text: ' cat' },
  { id: 41, text: ' é😀' },
];
const DONE = { text: 'a cat é😀', usage: USAGE };

function sseText(tokens: TokenEvent[], done: object | undefined): string {
  let text = ': keep-alive\n\n';
  for (const token of tokens) text += `event: token\ndata: ${JSON.stringify(token)}\n\n`;
  if (done) text += `event: done\ndata: ${JSON.stringify(done)}\n\n`;
  return text;
}

/** Writes `bytes` in pieces of the given sizes (cycled), flushing each, so chunk boundaries fall anywhere. */
async function writeInPieces(response: ServerResponse, bytes: Uint8Array, sizes: number[]): Promise<void> {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-request-id': 'req-sse' });
  response.flushHeaders();
  let offset = 0;
  for (let piece = 0; offset < bytes.length; piece++) {
    const size = sizes[piece % sizes.length];
    response.write(bytes.subarray(offset, offset + size));
    offset += size;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  response.end();
}

async function collect(iterable: AsyncIterable<TokenEvent>): Promise<TokenEvent[]> {
  const tokens: TokenEvent[] = [];
  for await (const token of iterable) tokens.push(token);
  return tokens;
}

let server: ScriptedServer;
let client: PaliGemma;

beforeAll(async () => {
  server = await startScriptedServer();
  client = new PaliGemma({ baseURL: server.baseURL, maxRetries: 2 });
});
afterAll(() => server.close());

describe('PaliGemma.stream', () => {
  it.each([[[1]], [[2, 3, 5]], [[7]], [[64]], [[1000]]])(
    'parses tokens and the done event written in pieces of %j bytes',
    async (sizes) => {
      const bytes = new TextEncoder().encode(sseText(TOKENS, DONE));
      server.answer((_request, response) => writeInPieces(response, bytes, sizes));
      const stream = client.stream(IMAGE, 'caption en', { maxNewTokens: 8 });
      expect(await collect(stream)).toEqual(TOKENS);
      expect(await stream.result).toEqual(DONE);
      expect(JSON.parse(server.requests[0].body)).toEqual({ image: { url: IMAGE }, prompt: 'caption en', maxNewTokens: 8, stream: true });
      expect(server.requests[0].headers.accept).toBe('text/event-stream');
    },
  );

  it('resolves result without iterating, by reading the stream itself', async () => {
    const bytes = new TextEncoder().encode(sseText(TOKENS, DONE));
    server.answer((_request, response) => writeInPieces(response, bytes, [9]));
    const stream = client.stream(IMAGE, 'caption en');
    expect(await stream.result).toEqual(DONE);
    expect(() => stream[Symbol.asyncIterator]()).toThrow(/only once/);
    expect(server.requests).toHaveLength(1);
  });

  it('retries a 429 before the stream starts', async () => {
    const bytes = new TextEncoder().encode(sseText(TOKENS, DONE));
    server.answer((_request, response, index) => {
      if (index === 0) sendJson(response, 429, { error: { code: 'rate_limited', message: 'busy' } }, { 'retry-after-ms': '10' });
      else return writeInPieces(response, bytes, [16]);
    });
    expect(await collect(client.stream(IMAGE, 'caption en'))).toEqual(TOKENS);
    expect(server.requests).toHaveLength(2);
  });

  it('throws the typed error of a refused stream', async () => {
    server.answer((_request, response) => sendJson(response, 429, { error: { code: 'rate_limited', message: 'busy' } }, { 'retry-after-ms': '1' }));
    const stream = client.stream(IMAGE, 'caption en', { maxRetries: 0 });
    await expect(collect(stream)).rejects.toSatisfy((error) => RateLimitError.isInstance(error));
    await expect(stream.result).rejects.toSatisfy((error) => RateLimitError.isInstance(error));
  });

  it('never retries a stream that broke off after it started', async () => {
    server.answer(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(sseText(TOKENS.slice(0, 1), undefined));
      await new Promise((resolve) => setTimeout(resolve, 20));
      response.destroy();
    });
    const seen: TokenEvent[] = [];
    const stream = client.stream(IMAGE, 'caption en');
    const error = await collect({
      async *[Symbol.asyncIterator]() {
        for await (const token of stream) {
          seen.push(token);
          yield token;
        }
      },
    }).catch((caught: unknown) => caught);
    expect(ConnectionError.isInstance(error)).toBe(true);
    expect(seen).toEqual(TOKENS.slice(0, 1));
    expect(server.requests).toHaveLength(1);
  });

  it('reports a stream that ends without its done event as ConnectionError', async () => {
    server.answer((_request, response) => writeInPieces(response, new TextEncoder().encode(sseText(TOKENS, undefined)), [50]));
    const stream = client.stream(IMAGE, 'caption en');
    await expect(collect(stream)).rejects.toThrow(/ended before its done event/);
    await expect(stream.result).rejects.toSatisfy((error) => ConnectionError.isInstance(error));
  });

  it('turns an error event into an APIError with the server code and request id', async () => {
    const body = { error: { code: 'internal_error', message: 'decoder failed', requestId: 'req-9' } };
    server.answer((_request, response) =>
      writeInPieces(response, new TextEncoder().encode(sseText(TOKENS.slice(0, 2), undefined) + `event: error\ndata: ${JSON.stringify(body)}\n\n`), [5]),
    );
    const error = await collect(client.stream(IMAGE, 'caption en')).catch((caught: unknown) => caught);
    expect(APIError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: undefined, code: 'internal_error', requestId: 'req-9', body });
  });

  it('rejects a malformed token event and a non-SSE answer as ResponseValidationError', async () => {
    server.answer((_request, response) =>
      writeInPieces(response, new TextEncoder().encode('event: token\ndata: {"id":"x"}\n\n'), [100]),
    );
    await expect(collect(client.stream(IMAGE, 'p'))).rejects.toSatisfy((error) => ResponseValidationError.isInstance(error));
    server.answer((_request, response) => sendJson(response, 200, DONE));
    await expect(collect(client.stream(IMAGE, 'p'))).rejects.toThrow(/text\/event-stream/);
  });

  it('stops mid-stream on abort, closing the connection', async () => {
    let closed: () => void = () => undefined;
    const connectionClosed = new Promise<void>((resolve) => (closed = resolve));
    server.answer((_request, response) => {
      response.on('close', closed);
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(sseText(TOKENS.slice(0, 1), undefined));
      // Then stall, as a slow model would.
    });
    const controller = new AbortController();
    const stream = client.stream(IMAGE, 'caption en', { signal: controller.signal });
    const seen: TokenEvent[] = [];
    const started = performance.now();
    const error = await (async () => {
      try {
        for await (const token of stream) {
          seen.push(token);
          controller.abort();
        }
      } catch (caught) {
        return caught;
      }
    })();
    expect(AbortError.isInstance(error)).toBe(true);
    expect(seen).toEqual(TOKENS.slice(0, 1));
    expect(performance.now() - started).toBeLessThan(1_000);
    await expect(stream.result).rejects.toSatisfy((error) => AbortError.isInstance(error));
    await connectionClosed;
  });

  it('closes the connection when the consumer breaks out, and abort() stops a stream', async () => {
    let closed: () => void = () => undefined;
    const connectionClosed = new Promise<void>((resolve) => (closed = resolve));
    server.answer((_request, response) => {
      response.on('close', closed);
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(sseText(TOKENS, undefined));
    });
    const stream = client.stream(IMAGE, 'caption en');
    for await (const token of stream) {
      expect(token).toEqual(TOKENS[0]);
      break;
    }
    await connectionClosed;
    await expect(stream.result).rejects.toSatisfy((error) => AbortError.isInstance(error));

    const second = client.stream(IMAGE, 'caption en');
    setTimeout(() => second.abort(), 50);
    await expect(collect(second)).rejects.toSatisfy((error) => AbortError.isInstance(error));
  });
});
