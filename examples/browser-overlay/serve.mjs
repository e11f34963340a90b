// Serves this folder and forwards /v1/* to the PaliGemma server, so the page and the API share one origin.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, request as forward } from 'node:http';
import { extname, join, normalize } from 'node:path';

const upstream = new URL(process.env.PALIGEMMA_BASE_URL ?? 'http://localhost:8080');
const port = Number(process.env.PORT ?? 5173);
const root = new URL('.', import.meta.url).pathname;
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css' };

createServer(async (request, response) => {
  if (request.url.startsWith('/v1/')) {
    // The API key, if any, is added here so it never reaches the browser.
    const headers = { ...request.headers, host: upstream.host };
    if (process.env.PALIGEMMA_API_KEY) headers.authorization = `Bearer ${process.env.PALIGEMMA_API_KEY}`;
    const proxied = forward(new URL(request.url, upstream), { method: request.method, headers }, (answer) => {
      response.writeHead(answer.statusCode, answer.headers);
      answer.pipe(response);
    });
    proxied.on('error', (error) => response.writeHead(502).end(String(error)));
    return request.pipe(proxied);
  }
  const path = normalize(join(root, new URL(request.url, 'http://x').pathname === '/' ? 'index.html' : new URL(request.url, 'http://x').pathname));
  if (!path.startsWith(root) || !(await stat(path).then((file) => file.isFile(), () => false))) return response.writeHead(404).end('not found');
  response.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' });
  createReadStream(path).pipe(response);
}).listen(port, () => console.log(`overlay page on http://localhost:${port} → API ${upstream.origin}`));
