/** The baseline users have today: transformers.js `model.generate()` once per request, one after another. */
import { AutoProcessor, PaliGemmaForConditionalGeneration, RawImage } from '@huggingface/transformers';
import { parseDtypeOption, resolveDtypes } from '../src/model-files/dtype.js';
import { median, sum } from './statistics.js';
import type { BenchOptions, ScenarioResult } from './scenario-types.js';
import { makeWorkload } from './workload.js';

export async function runNaive(options: BenchOptions): Promise<ScenarioResult> {
  const loadStarted = performance.now();
  const processor = await AutoProcessor.from_pretrained(options.model, { local_files_only: true });
  const model = await PaliGemmaForConditionalGeneration.from_pretrained(options.model, { dtype: resolveDtypes(parseDtypeOption(options.dtype)) as never, local_files_only: true });
  const loadMs = performance.now() - loadStarted;

  /** One request; a streamer timestamps each token (its first `put` is the prompt, before any model run). */
  const generate = async (image: string, prompt: string, maxNewTokens: number) => {
    const inputs = await processor(await RawImage.read(image), `<image>${prompt}`);
    const puts: number[] = [];
    const started = performance.now();
    await model.generate({
      ...inputs,
      max_new_tokens: maxNewTokens,
      ...(options.ignoreEos ? { min_new_tokens: maxNewTokens } : {}),
      do_sample: false,
      streamer: { put: () => { puts.push(performance.now()); }, end: () => undefined } as never,
    });
    const tokenTimes = puts.slice(1);
    return { tokens: tokenTimes.length, prefillMs: tokenTimes[0] - started, decodeMs: (tokenTimes.at(-1) ?? 0) - tokenTimes[0] };
  };

  const workload = makeWorkload(options.requests);
  await generate(workload[0].image, workload[0].prompt, 2); // warm-up
  const latencies: number[] = [];
  const runs: Array<Awaited<ReturnType<typeof generate>>> = [];
  const started = performance.now();
  for (const request of workload) {
    const requestStarted = performance.now();
    runs.push(await generate(request.image, request.prompt, options.maxNewTokens));
    latencies.push(performance.now() - requestStarted);
  }
  const wallMs = performance.now() - started;
  const decodeTokens = sum(runs.map((run) => run.tokens - 1));
  const decodeMs = sum(runs.map((run) => run.decodeMs));
  return {
    loadMs,
    wallMs,
    latencies,
    completionTokens: sum(runs.map((run) => run.tokens)),
    prefillMs: median(runs.map((run) => run.prefillMs)),
    decodeMsPerToken: decodeMs / Math.max(1, decodeTokens),
    decodeTokensPerSecond: decodeTokens / Math.max(1e-9, decodeMs / 1000),
  };
}
