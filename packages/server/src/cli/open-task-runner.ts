/** The model a task subcommand talks to: in this process (`--model`) or a running service (`--url`). */
import type { PaliGemmaTasks } from '@paligemma/sdk/contract';
import { type ServerConfigOptions, resolveServerConfig } from '../config.js';
import { loadModel } from '../model/load-model.js';
import type { ProgressOutput } from './download-progress.js';
import { downloadProgressBar } from './download-progress.js';
import type { TaskTarget } from './target-flags.js';

export interface OpenTaskRunnerOptions {
  /** Where the model download's progress bar is drawn. */
  progress: ProgressOutput;
  /** Where settings not given in the target are read. @default process.env */
  environment?: Record<string, string | undefined>;
  /**
   * Requests the caller keeps in flight at once. The model loaded here batches that many together (its max batch
   * size); a service batches by its own settings. @default 1 (one request per process: nothing to batch)
   */
  concurrency?: number;
}

export interface TaskRunner {
  tasks: PaliGemmaTasks<Uint8Array>;
  /** `local` or the service's URL, for messages. */
  where: string;
  close(): Promise<void>;
}

/**
 * Opens the target: an SDK client for `url`, else the core model (downloading it with a progress bar on `progress`).
 * Settings not given fall back to the server's environment variables (PALIGEMMA_MODEL, PALIGEMMA_DTYPE, …), so
 * the CLI and `paligemma serve` load the same model on the same machine.
 * @example
 * const runner = await openTaskRunner({ model: 'fixtures/tiny-paligemma' }, { progress: process.stderr });
 * const { caption } = await runner.tasks.caption(bytes); await runner.close();
 */
export async function openTaskRunner(target: TaskTarget, options: OpenTaskRunnerOptions): Promise<TaskRunner> {
  const { progress, environment, concurrency } = options;
  if (target.url !== undefined) {
    const { PaliGemma } = await import('@paligemma/sdk');
    const apiKey = target.apiKey ?? environment?.PALIGEMMA_API_KEY;
    const client = new PaliGemma({ baseURL: target.url, ...(apiKey ? { apiKey } : {}) });
    return { tasks: client, where: client.baseURL, close: async () => {} };
  }
  // Every other target field is a server setting of the same name, so a new one needs no code here.
  const { url: _url, apiKey: _apiKey, ...settings } = target;
  // The CLI sends each image once (per prompt), so the caches would only hold memory; the batch is as wide as the
  // requests the caller keeps in flight.
  const cliSettings = { ...settings, featureCacheBytes: 0, prefixCacheBytes: 0, maxBatchSize: concurrency ?? 1 };
  const config = resolveServerConfig(cliSettings as ServerConfigOptions, environment);
  const model = await loadModel(config, { environment, onProgress: downloadProgressBar(progress) });
  return { tasks: model, where: config.engineUrl ?? 'local', close: () => model.dispose() };
}
