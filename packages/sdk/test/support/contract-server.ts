/**
 * A stand-in PaliGemma service on node:http for runtime tests (Chromium, workerd): contract-shaped answers
 * derived from each request, SSE for streams, and a few scripted failures under path prefixes.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A contract-valid `usage`. */
const USAGE = { promptTokens: 260, completionTokens: 3, durationMs: 1.5 };
/** The size the stand-in claims every image has. */
const IMAGE_SIZE = { width: 64, height: 48 };

export interface ContractServer {
  baseURL: string;
  /** Requests seen per path, e.g. `/flaky/v1/caption` → 2. */
  counts: Map<string, number>;
  close(): Promise<void>;
}

export type ExtraRoute = (request: IncomingMessage, response: ServerResponse) => boolean;

/**
 * Starts the stand-in on 127.0.0.1 with an ephemeral port. Paths:
 * - `/v1/{caption,ask,detect,segment,generate}`: answers shaped by the request (`generate` streams when asked);
 * - `/fail-400/…`: 400 `invalid_request` with a request id; `/flaky/…`: 503 on the first request, then as `/v1`;
 * - `/stall/…`: never answers. `extraRoute` may serve anything else (a test page) by returning true.
 * With `apiKey`, requests without `Authorization: Bearer <apiKey>` get 401. CORS is open for browser pages.
 *
 * @example
 * const server = await startContractServer({ apiKey: 'k' });
 */
export async function startContractServer(options: { apiKey?: string; extraRoute?: ExtraRoute } = {}): Promise<ContractServer> {
  const counts = new Map<string, number>();
  const server = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    response.setHeader('access-control-allow-origin', '*');
    response.setHeader('access-control-allow-headers', 'authorization, content-type, x-request-id');
    if (request.method === 'OPTIONS') return void response.writeHead(204).end();
    if (options.extraRoute?.(request, response)) return;
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const requestId = String(request.headers['x-request-id'] ?? `stand-in-${counts.get(path)}`);
    if (options.apiKey && request.headers.authorization !== `Bearer ${options.apiKey}`) {
      return sendJson(response, 401, { error: { code: 'unauthorized', message: 'missing or wrong API key', requestId } });
    }
    if (path.startsWith('/stall/')) return;
    if (path.startsWith('/fail-400/')) {
      return sendJson(response, 400, { error: { code: 'invalid_request', message: 'labels: rejected', requestId } });
    }
    if (path.startsWith('/flaky/') && counts.get(path) === 1) {
      return sendJson(response, 503, { error: { code: 'unavailable', message: 'warming up', requestId } }, { 'retry-after-ms': '20' });
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
    const task = path.slice(path.lastIndexOf('/') + 1);
    if (task === 'generate' && body.stream === true) return streamTokens(response, String(body.prompt));
    const result = answer(task, body);
    if (!result) return sendJson(response, 404, { error: { code: 'not_found', message: `no route ${path}`, requestId } });
    sendJson(response, 200, result, { 'x-request-id': requestId });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Describes the image it got, so tests can check how the client encoded it. */
function imageKind(image: unknown): string {
  const source = image as { url?: string; data?: string };
  if (source.url) return `url ${source.url}`;
  return `data ${String(source.data).length} chars`;
}

function answer(task: string, body: Record<string, unknown>): object | undefined {
  const labels = (body.labels as string[] | undefined) ?? [];
  const box = { xMin: 4, yMin: 6, xMax: 40, yMax: 30 };
  switch (task) {
    case 'caption':
      return { caption: `caption of ${imageKind(body.image)}`, usage: USAGE };
    case 'ask':
      return { answer: `answer to ${String(body.question)}`, usage: USAGE };
    case 'detect':
      return { objects: labels.map((label) => ({ label, box })), image: IMAGE_SIZE, raw: labels.join(' ; '), usage: USAGE };
    case 'segment':
      return {
        objects: labels.map((label) => ({
          label,
          box,
          codes: Array.from({ length: 16 }, (_, index) => index),
          mask: { size: [IMAGE_SIZE.height, IMAGE_SIZE.width], counts: [100, 50, IMAGE_SIZE.width * IMAGE_SIZE.height - 150] },
          polygons: [[4, 6, 40, 6, 40, 30, 4, 30]],
        })),
        image: IMAGE_SIZE,
        raw: labels.join(' ; '),
        usage: USAGE,
      };
    case 'generate':
      return { text: `text for ${String(body.prompt)}`, usage: USAGE };
    default:
      return undefined;
  }
}

/** Streams the prompt's words as tokens, split across writes at awkward places, then `done`. */
async function streamTokens(response: ServerResponse, prompt: string): Promise<void> {
  const words = prompt.split(' ').map((word, index) => (index === 0 ? word : ` ${word}`));
  let text = '';
  words.forEach((word, index) => (text += `event: token\ndata: ${JSON.stringify({ id: 100 + index, text: word })}\n\n`));
  text += `event: done\ndata: ${JSON.stringify({ text: words.join(''), usage: USAGE })}\n\n`;
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const bytes = Buffer.from(text);
  for (let offset = 0; offset < bytes.length; offset += 7) {
    response.write(bytes.subarray(offset, offset + 7));
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  response.end();
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}
