/** The model a task subcommand talks to: in this process (`--model`) or a running service (`--url`). */
import type { PaliGemmaTasks } from '@paligemma/sdk/contract';
import { resolveServerConfig } from '../config.js';
import { loadModel } from '../model/load-model.js';
import type { ProgressOutput } from './download-progress.js';
import { downloadProgressBar } from './download-progress.js';

/** Where a task runs. `url` selects a remote service; otherwise the model loads here. */
export interface TaskTarget {
  /** A running service, e.g. `http://localhost:8080`. */
  url?: string;
  /** Sent as a bearer token to `url`. @default $PALIGEMMA_API_KEY */
  apiKey?: string;
  /** A remote engine (an OpenAI-compatible PaliGemma server such as vLLM): tasks run here, tokens there. */
  engineUrl?: string;
  engineApiKey?: string;
  /** Local model directory or hub id. @default $PALIGEMMA_MODEL or the default hub model */
  model?: string;
  dtype?: string;
  device?: string;
  cacheDir?: string;
  vae?: string;
}

export interface TaskRunner {
  tasks: PaliGemmaTasks<Uint8Array>;
  /** `local` or the service's URL, for messages. */
  where: string;
  close(): Promise<void>;
}

/**
 * Opens the target: an SDK client for `url`, else the core model — on the remote engine at `engineUrl`, or loaded here
 * (downloading it with a progress bar on `progress`).
 * Settings not given fall back to the server's environment variables (PALIGEMMA_MODEL, PALIGEMMA_DTYPE, …), so
 * the CLI and `paligemma serve` load the same model on the same machine.
 * @example
 * const runner = await openTaskRunner({ model: 'fixtures/tiny-paligemma' }, { progress: process.stderr });
 * const { caption } = await runner.tasks.caption(bytes); await runner.close();
 */
export async function openTaskRunner(
  target: TaskTarget,
  { progress, environment }: { progress: ProgressOutput; environment?: Record<string, string | undefined> },
): Promise<TaskRunner> {
  if (target.url !== undefined) {
    const { PaliGemma } = await import('@paligemma/sdk');
    const apiKey = target.apiKey ?? environment?.PALIGEMMA_API_KEY;
    const client = new PaliGemma({ baseURL: target.url, ...(apiKey ? { apiKey } : {}) });
    return { tasks: client, where: client.baseURL, close: async () => {} };
  }
  const config = resolveServerConfig(
    {
      model: target.model, dtype: target.dtype, device: target.device as 'cpu' | 'cuda' | undefined, cacheDir: target.cacheDir, vae: target.vae,
      engineUrl: target.engineUrl, engineApiKey: target.engineApiKey,
    },
    environment,
  );
  // One request per process: nothing to batch with and no repeated image worth caching.
  const model = await loadModel(config, { environment, overrides: { featureCacheBytes: 0, prefixCacheBytes: 0 }, onProgress: downloadProgressBar(progress) });
  return { tasks: model, where: config.engineUrl ?? 'local', close: () => model.dispose() };
}
