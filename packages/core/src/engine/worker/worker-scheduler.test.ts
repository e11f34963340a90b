import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TINY_MODEL_DIR, readReference } from '@paligemma/test-support';
import { TINY_CONFIG, referenceRequest } from '../../../test/tiny-engine.js';
import { ModelLoadError } from '../../errors/index.js';
import { BatchScheduler, type DecodeRequest } from '../batch-scheduler.js';
import { ImageFeatureCache } from '../image-feature-cache.js';
import { openSessions } from '../onnx-sessions.js';
import { type PromptTokenizer, loadPromptTokenizer } from '../prompt-tokenizer.js';
import type { EngineWorkerInit } from './protocol.js';
import { WorkerScheduler } from './worker-scheduler.js';

const reference = readReference();
const init: EngineWorkerInit = {
  directory: TINY_MODEL_DIR,
  dtypes: { vision_encoder: 'fp32', embed_tokens: 'fp32', decoder_model_merged: 'fp32' },
  device: 'cpu',
  sessionOptions: {},
  model: { imageSize: 224, imageTokenId: TINY_CONFIG.imageTokenId, eosTokenIds: TINY_CONFIG.eosTokenIds },
  batching: { maxBatchSize: 4, maxWaitMs: 10 },
  featureCacheBytes: undefined,
  prefixCacheBytes: undefined,
};
let tokenizer: PromptTokenizer;
let scheduler: WorkerScheduler;

beforeAll(async () => {
  tokenizer = await loadPromptTokenizer(TINY_MODEL_DIR);
  scheduler = await WorkerScheduler.start(init);
});
afterAll(() => scheduler?.close());

/** A scheduler on this thread over the same model, for comparison (its sessions released after the test run). */
async function openTinyScheduler(): Promise<ConstructorParameters<typeof BatchScheduler>> {
  const sessions = await openSessions(TINY_MODEL_DIR, init.dtypes);
  releaseAfter.push(() => sessions.release());
  return [sessions, init.model, new ImageFeatureCache(), { maxWaitMs: 0 }];
}
const releaseAfter: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const release of releaseAfter) await release();
});

const request = (index: number, extra: Partial<DecodeRequest> = {}) => referenceRequest(tokenizer, index, extra);

describe('WorkerScheduler (the engine on its own thread)', () => {
  it('gives the reference tokens to sequences batched on the engine thread, and never runs ONNX Runtime on this one', async () => {
    // The class core's sessions are made from, in this thread; the engine thread has its own copy of the module.
    const prototype = (ort.InferenceSession as unknown as { prototype: { run(...args: unknown[]): Promise<unknown> } }).prototype;
    const run = prototype.run;
    let callsHere = 0;
    prototype.run = function counted(...args: unknown[]) {
      callsHere++;
      return run.apply(this, args);
    };
    try {
      const streamed: number[] = [];
      const results = await Promise.all([0, 1, 2, 3, 4].map((index) => scheduler.submit(request(index, index === 2 ? { onToken: (id) => streamed.push(id) } : {}))));
      results.forEach((result, index) => expect(result.tokenIds).toEqual(reference.cases[index].greedy_new_ids));
      expect(streamed).toEqual(reference.cases[2].greedy_new_ids);
      expect(callsHere).toBe(0);
      expect(scheduler.stats.decodeTokens).toBeGreaterThan(0);
      expect([scheduler.waiting, scheduler.decoding]).toEqual([0, 0]);
    } finally {
      prototype.run = run;
    }
  });

  it('stops a sequence whose signal aborts, delivering no tokens after it, and one whose token callback throws', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const aborted = scheduler.submit(request(5, {
      maxNewTokens: 500,
      signal: controller.signal,
      onToken: (id) => {
        seen.push(id);
        if (seen.length === 3) controller.abort(new Error('client went away'));
      },
    }));
    await expect(aborted).rejects.toThrow('client went away');
    expect(seen).toEqual(reference.cases[5].greedy_new_ids.slice(0, 3));
    const throwing = scheduler.submit(request(6, { onToken: () => { throw new Error('consumer broke'); } }));
    await expect(throwing).rejects.toThrow('consumer broke');
    expect(() => scheduler.submit(request(6, { signal: AbortSignal.abort(new Error('already gone')) }))).toThrow('already gone');
    expect((await scheduler.submit(request(7))).tokenIds).toEqual(reference.cases[7].greedy_new_ids);
  });

  it('fails a request whose ONNX Runtime run fails on the engine thread, and serves the next one', async () => {
    // A token id beyond the vocabulary makes the embedding's Gather fail inside ONNX Runtime.
    const bad = request(8);
    await expect(scheduler.submit({ ...bad, promptIds: [...bad.promptIds, 999_999] })).rejects.toThrow(/indices|out of bounds|invalid/i);
    expect((await scheduler.submit(request(8))).tokenIds).toEqual(reference.cases[8].greedy_new_ids);
  });

  it('reports a load failure as a ModelLoadError, and refuses work once closed', async () => {
    await expect(WorkerScheduler.start({ ...init, directory: `${TINY_MODEL_DIR}-missing` })).rejects.toSatisfy(
      (error) => error instanceof ModelLoadError && /could not open .*-missing/.test(error.message),
    );
    const closed = await WorkerScheduler.start(init);
    await closed.close();
    await expect(closed.submit(request(0))).rejects.toThrow(/disposed/);
  });

  it('carries sampling options and the finish signal to the engine thread: seeded tokens as on this thread', async () => {
    const sampled = request(2, { temperature: 1, topK: 50, seed: 123 });
    const here = new BatchScheduler(...(await openTinyScheduler()));
    const expected = (await here.submit(sampled)).tokenIds;
    expect((await scheduler.submit(sampled)).tokenIds).toEqual(expected);
    const finish = new AbortController();
    const seen: number[] = [];
    const finished = await scheduler.submit(request(3, {
      maxNewTokens: 400,
      finishSignal: finish.signal,
      onToken: (id) => {
        seen.push(id);
        if (seen.length === 3) finish.abort();
      },
    }));
    // The engine thread hears of the finish a few tokens late; it stops long before its 400-token budget.
    expect(finished.tokenIds.slice(0, 3)).toEqual(reference.cases[3].greedy_new_ids.slice(0, 3));
    expect(finished.tokenIds.length).toBeLessThan(400);
    expect(finished.stoppedAtEos).toBe(false);
  });
});
