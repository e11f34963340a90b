/** Our engine: dynamic batching, the image-feature and prefix caches, driven by `concurrency` clients at once. */
import { fromFile } from '../src/image/image-input.js';
import { parseDtypeOption } from '../src/model-files/dtype.js';
import { PaliGemma } from '../src/paligemma.js';
import { median } from './statistics.js';
import type { BenchOptions, ScenarioResult } from './scenario-types.js';
import { makeWorkload, noiseImage } from './workload.js';

export async function runEngine(options: BenchOptions): Promise<ScenarioResult> {
  const loadStarted = performance.now();
  const model = await PaliGemma.load({ model: options.model, dtype: parseDtypeOption(options.dtype), batching: { maxBatchSize: Math.max(1, options.concurrency) } });
  const loadMs = performance.now() - loadStarted;
  // A path is read inside the timed call, as the naive pipeline reads its file.
  const generate = async (image: string | Uint8Array, prompt: string, maxNewTokens: number) =>
    model.generate({ image: typeof image === 'string' ? await fromFile(image) : image, prompt, maxNewTokens, ignoreEos: options.ignoreEos });
  const workload = makeWorkload(options.requests);
  await generate(await noiseImage(99), workload[0].prompt, 2); // warm-up, on an image the workload never uses
  const prefills: number[] = [];
  for (const request of workload.slice(0, 3)) {
    const output = await generate(await noiseImage(prefills.length + 100), request.prompt, 1);
    prefills.push(output.timing.prefillMs);
  }

  const before = { ...model.stats };
  const latencies: number[] = [];
  let completionTokens = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, async () => {
    while (next < workload.length) {
      const request = workload[next++];
      const requestStarted = performance.now();
      const output = await generate(request.image, request.prompt, options.maxNewTokens);
      latencies.push(performance.now() - requestStarted);
      completionTokens += output.tokenIds.length;
    }
  }));
  const wallMs = performance.now() - started;
  const prefixCacheHits = model.stats.prefixCacheHits - before.prefixCacheHits;
  const decodeTokens = model.stats.decodeTokens - before.decodeTokens;
  const decodeMs = model.stats.decodeMs - before.decodeMs;
  const steps = model.stats.decodeSteps - before.decodeSteps;

  // Repeated image: a never-seen image, the same request again (prefix cache: no vision encoder, no prefill),
  // then another question about it (feature cache: no vision encoder, prefill again).
  const fresh = await noiseImage(7);
  const first = await generate(fresh, 'caption en', options.maxNewTokens);
  const repeated = await generate(fresh, 'caption en', options.maxNewTokens);
  const newQuestion = await generate(fresh, 'answer en what is in the image?', options.maxNewTokens);
  await model.dispose();
  return {
    loadMs,
    wallMs,
    latencies,
    completionTokens,
    prefillMs: median(prefills),
    decodeMsPerToken: decodeMs / Math.max(1, steps),
    decodeTokensPerSecond: decodeTokens / Math.max(1e-9, decodeMs / 1000),
    prefixCacheHits,
    firstImageMs: first.usage.durationMs,
    repeatedRequestMs: repeated.usage.durationMs,
    newQuestionMs: newQuestion.usage.durationMs,
  };
}
