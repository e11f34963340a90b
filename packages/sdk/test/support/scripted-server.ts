/** A real node:http server on 127.0.0.1 whose answers a test scripts request by request. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the server saw of one request. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type ScriptedHandler = (
  request: IncomingMessage & { body: string },
  response: ServerResponse,
  index: number,
) => void | Promise<void>;

export interface ScriptedServer {
  baseURL: string;
  requests: SeenRequest[];
  /** Sets how the next requests are answered; `index` counts requests since the last `answer`. */
  answer(handler: ScriptedHandler): void;
  close(): Promise<void>;
}

/**
 * Starts the server on an ephemeral port. Unanswered (stalled) responses are destroyed on `close`.
 *
 * @example
 * const server = await startScriptedServer();
 * server.answer((request, response) => sendJson(response, 200, { caption: 'a cat', usage }));
 */
export async function startScriptedServer(): Promise<ScriptedServer> {
  let handler: ScriptedHandler = (_request, response) => sendJson(response, 404, { error: { code: 'not_found', message: 'no script' } });
  let index = 0;
  const requests: SeenRequest[] = [];
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
    await handler(Object.assign(request, { body }), response, index++);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}`,
    requests,
    answer(next) {
      handler = next;
      index = 0;
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/** A contract-valid `usage`. */
export const USAGE = { promptTokens: 260, completionTokens: 3, durationMs: 12.5 };
