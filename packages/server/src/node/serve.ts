/** The Node entry: `serve(options)` opens the port first, then loads the model; `close()` drains and disposes. */
import type { AddressInfo } from 'node:net';
import { serve as serveNode } from '@hono/node-server';
import type { Server } from 'node:http';
import { type AppOptions, type PaliGemmaApp, createApp } from '../app.js';
import { resolveServerConfig } from '../config.js';
import { jsonLineLogger } from '../logger.js';
import { loadModel, logDownloadProgress } from '../model/load-model.js';
import type { ModelSource } from '../model/model.js';

export interface ServeOptions extends Omit<AppOptions, 'modelSource'> {
  /** The model or its loader. @default `PaliGemma.load` from `@paligemma/core` with the configured `model` */
  modelSource?: ModelSource;
}

export interface ServerHandle {
  /** `http://host:port`, with the port actually bound (useful with `port: 0`). */
  url: string;
  port: number;
  service: PaliGemmaApp;
  /** Settles when the model has loaded (rejects with the load error; the server keeps answering `/readyz`). */
  ready: Promise<void>;
  /** Graceful stop: 503 for new model requests, wait for in-flight work (grace period), dispose, close. */
  close(graceMs?: number): Promise<boolean>;
}

/**
 * Starts listening, then loads the model.
 * @example
 * const server = await serve({ model: 'fixtures/tiny-paligemma', port: 0 });
 * await server.ready; console.log(server.url); await server.close();
 */
export async function serve(options: ServeOptions = {}): Promise<ServerHandle> {
  const config = options.config ?? resolveServerConfig(options, options.environment);
  const logger = options.logger ?? jsonLineLogger;
  const load = () => loadModel(config, { environment: options.environment, onProgress: logDownloadProgress(logger) });
  const service = createApp({ ...options, modelSource: options.modelSource ?? load, config, logger });
  const { server, address } = await new Promise<{ server: Server; address: AddressInfo }>((resolve, reject) => {
    const server = serveNode({ fetch: service.fetch, port: config.port, hostname: config.host }, (address) =>
      resolve({ server: server as Server, address }),
    ) as Server;
    server.once('error', reject);
  });
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  logger({ level: 'info', message: 'listening', url, ...(config.engineUrl ? { engine: config.engineUrl } : { model: config.model }) });
  const ready = service.load();
  ready.catch(() => {}); // the failure is logged and reported by /readyz; callers may still await `ready`
  let closing: Promise<boolean> | undefined;
  return {
    url,
    port: address.port,
    service,
    ready,
    close(graceMs) {
      closing ??= (async () => {
        const drained = await service.shutdown(graceMs);
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        return drained;
      })();
      return closing;
    },
  };
}
