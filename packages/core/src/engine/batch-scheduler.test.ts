import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readReference } from '@paligemma/test-support';
import { BatchScheduler, type DecodeRequest, type DecodeResult } from './batch-scheduler.js';
import { ImageFeatureCache } from './image-feature-cache.js';
import type { PaliGemmaSessions } from './onnx-sessions.js';
import { PrefixCache } from './prefix-cache.js';
import type { PromptTokenizer } from './prompt-tokenizer.js';
import { TINY_CONFIG, openTinyEngine, referenceRequest } from '../../test/tiny-engine.js';

const reference = readReference();
const config = TINY_CONFIG;
/** Logits per token of the tiny model. */
const TINY_VOCABULARY = 2753;
const model = { imageSize: 224, imageTokenId: config.imageTokenId, eosTokenIds: config.eosTokenIds };
let sessions: PaliGemmaSessions;
let tokenizer: PromptTokenizer;

beforeAll(async () => {
  ({ sessions, tokenizer } = await openTinyEngine());
});
afterAll(async () => sessions?.release());

const request = (index: number, extra: Partial<DecodeRequest> = {}) => referenceRequest(tokenizer, index, extra);

describe('BatchScheduler', () => {
  it('gives every reference case its reference tokens when all 18 are decoded in batches of 8', async () => {
    const scheduler = new BatchScheduler(sessions, model, new ImageFeatureCache(), { maxBatchSize: 8, maxWaitMs: 20 });
    const results = await Promise.all(reference.cases.map((_, index) => scheduler.submit(request(index))));
    results.forEach((result, index) => expect(result.tokenIds, reference.cases[index].prompt).toEqual(reference.cases[index].greedy_new_ids));
  });

  it('gives batched sequences with different lengths and limits the same tokens as unbatched ones', async () => {
    const limits = [3, 24, 11, 17, 1, 24];
    const unbatched = new BatchScheduler(sessions, model, new ImageFeatureCache(0), { maxBatchSize: 1, maxWaitMs: 0 });
    const batched = new BatchScheduler(sessions, model, new ImageFeatureCache(0), { maxBatchSize: 4, maxWaitMs: 10 });
    const alone = [];
    for (const [index, limit] of limits.entries()) alone.push(await unbatched.submit(request(index + 7, { maxNewTokens: limit })));
    // Submitted at different times, so later ones join a batch that is already decoding.
    const together = await Promise.all(limits.map(async (limit, index) => {
      await new Promise((resolve) => setTimeout(resolve, index * 3));
      return batched.submit(request(index + 7, { maxNewTokens: limit }));
    }));
    expect(together.map((result) => result.tokenIds)).toEqual(alone.map((result) => result.tokenIds));
    expect(together.map((result) => result.tokenIds.length)).toEqual(limits);
  });

  it('streams tokens per sequence and stops only the aborted one', async () => {
    const scheduler = new BatchScheduler(sessions, model, new ImageFeatureCache(), { maxBatchSize: 4, maxWaitMs: 10 });
    const controller = new AbortController();
    const streamed: number[][] = [[], [], []];
    const runs = [0, 1, 2].map((row) => scheduler.submit(request(row + 3, {
      signal: row === 1 ? controller.signal : undefined,
      onToken: (id) => {
        streamed[row].push(id);
        if (row === 1 && streamed[row].length === 4) controller.abort(new Error('cancelled'));
      },
    })));
    const [first, second, third] = await Promise.allSettled(runs);
    expect(second).toMatchObject({ status: 'rejected', reason: new Error('cancelled') });
    expect(streamed[1]).toEqual(reference.cases[4].greedy_new_ids.slice(0, 4));
    expect(first.status === 'fulfilled' && first.value.tokenIds).toEqual(reference.cases[3].greedy_new_ids);
    expect(third.status === 'fulfilled' && third.value.tokenIds).toEqual(reference.cases[5].greedy_new_ids);
    expect(streamed[0]).toEqual(reference.cases[3].greedy_new_ids);
    expect(scheduler.decoding).toBe(0);
  });

  it('drops a queued sequence whose signal aborts before it runs', async () => {
    const scheduler = new BatchScheduler(sessions, model, new ImageFeatureCache(), { maxBatchSize: 1, maxWaitMs: 0 });
    const controller = new AbortController();
    const running = scheduler.submit(request(0));
    const queued = scheduler.submit(request(1, { signal: controller.signal }));
    expect(scheduler.waiting).toBe(1);
    controller.abort(new Error('never mind'));
    await expect(queued).rejects.toThrow('never mind');
    await expect(running).resolves.toMatchObject({ tokenIds: reference.cases[0].greedy_new_ids });
  });

  it('skips the vision encoder for an image it has seen', async () => {
    const cache = new ImageFeatureCache();
    const scheduler = new BatchScheduler(sessions, model, cache, { maxBatchSize: 2, maxWaitMs: 0 });
    const first = await scheduler.submit(request(0, { maxNewTokens: 2 }));
    const second = await scheduler.submit(request(1, { maxNewTokens: 2 }));
    expect([first.imageCacheHit, second.imageCacheHit]).toEqual([false, true]);
    expect(cache.bytes).toBe(256 * 64 * 4);
    expect(second.tokenIds).toEqual(reference.cases[1].greedy_new_ids.slice(0, 2));
  });

  it('skips the vision encoder and the prefill for a prompt it has seen, with the same tokens', async () => {
    const prefixes = new PrefixCache();
    const scheduler = new BatchScheduler(sessions, model, new ImageFeatureCache(), { maxBatchSize: 2, maxWaitMs: 0 }, prefixes);
    const first = await scheduler.submit(request(8));
    const runs = { prefillRuns: scheduler.stats.prefillRuns, visionRuns: scheduler.stats.visionRuns };
    const again = await scheduler.submit(request(8));
    expect(scheduler.stats).toMatchObject({ ...runs, prefixCacheHits: 1 });
    expect([first.prefixCacheHit, again.prefixCacheHit]).toEqual([false, true]);
    expect(again.tokenIds).toEqual(reference.cases[8].greedy_new_ids);
    // Same image, another question: the prompt is prefilled again, only the vision features are reused.
    const otherQuestion = await scheduler.submit(request(9));
    expect(otherQuestion).toMatchObject({ prefixCacheHit: false, imageCacheHit: true, tokenIds: reference.cases[9].greedy_new_ids });
    expect(scheduler.stats).toMatchObject({ prefillRuns: runs.prefillRuns + 1, visionRuns: runs.visionRuns });
    // Keys and values of the 260- and 259-token prompts, plus their first logits.
    const { numLayers, numKeyValueHeads, headDim } = sessions.kv;
    expect(prefixes.bytes).toBe((260 + 259) * numLayers * 2 * numKeyValueHeads * headDim * 4 + 2 * TINY_VOCABULARY * 4);
  });

  it('lets a cached prompt join a batch that is already decoding, and keeps the cached logits unchanged', async () => {
    // The first token is declared end-of-sequence: masked, it yields another first token; unmasked, none at all.
    const eos = reference.cases[3].greedy_new_ids[0];
    const scheduler = new BatchScheduler(sessions, { ...model, eosTokenIds: [eos] }, new ImageFeatureCache(), { maxBatchSize: 4, maxWaitMs: 0 }, new PrefixCache());
    // minNewTokens masks <eos> in the first logits; the cached copy must not be masked for the next request.
    await scheduler.submit(request(3, { ignoreEos: false, minNewTokens: 24 }));
    let joined: Promise<DecodeResult> | undefined;
    const long = await scheduler.submit(request(5, {
      onToken: () => { joined ??= scheduler.submit(request(3, { ignoreEos: false })); },
    }));
    expect(long.tokenIds).toEqual(reference.cases[5].greedy_new_ids);
    expect(await joined).toMatchObject({ prefixCacheHit: true, stoppedAtEos: true, tokenIds: [] });
  });

  it('prefills identical prompts that arrive together once, with the prefix cache off too', async () => {
    for (const prefixes of [new PrefixCache(0), new PrefixCache()]) {
      const scheduler = new BatchScheduler(sessions, model, new ImageFeatureCache(0), { maxBatchSize: 4, maxWaitMs: 20 }, prefixes);
      const results = await Promise.all([request(2), request(2), request(6), request(2, { maxNewTokens: 3 })].map((each) => scheduler.submit(each)));
      expect(scheduler.stats).toMatchObject({ prefillRuns: 1, visionRuns: 1, prefixCacheHits: 2 });
      expect(results.map((result) => result.prefixCacheHit)).toEqual([false, true, false, true]);
      expect(results.map((result) => result.tokenIds)).toEqual([
        reference.cases[2].greedy_new_ids, reference.cases[2].greedy_new_ids, reference.cases[6].greedy_new_ids,
        reference.cases[2].greedy_new_ids.slice(0, 3),
      ]);
    }
  });

  it('keeps no prompt larger than its byte budget, and none at all with a budget of 0', async () => {
    const tiny = new PrefixCache(1024);
    const off = new PrefixCache(0);
    for (const prefixes of [tiny, off]) {
      const scheduler = new BatchScheduler(sessions, model, new ImageFeatureCache(), { maxWaitMs: 0 }, prefixes);
      await scheduler.submit(request(0, { maxNewTokens: 1 }));
      expect(await scheduler.submit(request(0, { maxNewTokens: 1 }))).toMatchObject({ prefixCacheHit: false });
      expect(prefixes.entries).toBe(0);
    }
    expect(off.enabled).toBe(false);
  });

  it('stops at end-of-sequence, suppresses it before minNewTokens, and ignores it on request', async () => {
    // The random tiny model never emits <eos>, so declare a token it does emit (the 6th of a reference case) as one.
    const expected = reference.cases[0].greedy_new_ids;
    const eos = expected[5];
    const firstAt = expected.indexOf(eos);
    const scheduler = new BatchScheduler(sessions, { ...model, eosTokenIds: [eos] }, new ImageFeatureCache(), { maxWaitMs: 0 });
    const stopped = await scheduler.submit(request(0, { ignoreEos: false }));
    expect(stopped).toMatchObject({ stoppedAtEos: true, tokenIds: expected.slice(0, firstAt) });
    const suppressed = await scheduler.submit(request(0, { ignoreEos: false, minNewTokens: 24 }));
    expect(suppressed.tokenIds).toHaveLength(24);
    expect(suppressed.tokenIds).not.toContain(eos);
    const ignored = await scheduler.submit(request(0, { ignoreEos: true }));
    expect(ignored).toMatchObject({ stoppedAtEos: false, tokenIds: expected });
  });

  it('decodes greedily at temperature 0, whatever the other sampling options say', async () => {
    const scheduler = new BatchScheduler(sessions, model, new ImageFeatureCache(), { maxWaitMs: 0 });
    const result = await scheduler.submit(request(1, { temperature: 0, topP: 0.5, topK: 3, seed: 9 }));
    expect(result.tokenIds).toEqual(reference.cases[1].greedy_new_ids);
  });

  it('samples reproducibly: the same seed gives the same tokens, other seeds other tokens', async () => {
    const scheduler = new BatchScheduler(sessions, model, new ImageFeatureCache(), { maxWaitMs: 0 }, new PrefixCache());
    const sampled = (seed: number) => scheduler.submit(request(2, { temperature: 1, seed })).then((result) => result.tokenIds);
    const first = await sampled(1);
    // The second run starts from the prefix cache's copy of the first step's logits: it must draw the same way.
    expect(await sampled(1)).toEqual(first);
    expect(first).not.toEqual(reference.cases[2].greedy_new_ids);
    const others = await Promise.all([2, 3, 4].map(sampled));
    for (const other of others) expect(other).not.toEqual(first);
    // Top-k 1 leaves only the most likely token: greedy again, whatever the seed.
    expect((await scheduler.submit(request(2, { temperature: 1, topK: 1, seed: 5 }))).tokenIds).toEqual(reference.cases[2].greedy_new_ids);
  });

  it('batches sampled and greedy sequences together: the greedy ones keep their reference tokens, the sampled their seeded ones', async () => {
    const alone = new BatchScheduler(sessions, model, new ImageFeatureCache(0), { maxBatchSize: 1, maxWaitMs: 0 });
    const sampledAlone = await alone.submit(request(4, { temperature: 0.8, topP: 0.9, seed: 77 }));
    const batched = new BatchScheduler(sessions, model, new ImageFeatureCache(0), { maxBatchSize: 4, maxWaitMs: 20 });
    const [greedy, sampled, greedyToo] = await Promise.all([
      batched.submit(request(3)), batched.submit(request(4, { temperature: 0.8, topP: 0.9, seed: 77 })), batched.submit(request(5)),
    ]);
    expect(batched.stats.prefillRuns).toBe(1);
    expect(greedy.tokenIds).toEqual(reference.cases[3].greedy_new_ids);
    expect(greedyToo.tokenIds).toEqual(reference.cases[5].greedy_new_ids);
    expect(sampled.tokenIds).toEqual(sampledAlone.tokenIds);
  });

  it('ends a sequence whose finish signal fires, with the tokens so far, and keeps the others going', async () => {
    const scheduler = new BatchScheduler(sessions, model, new ImageFeatureCache(), { maxBatchSize: 2, maxWaitMs: 10 });
    const finish = new AbortController();
    const [finished, other] = await Promise.all([
      scheduler.submit(request(6, { finishSignal: finish.signal, onToken: (id) => { if (id === reference.cases[6].greedy_new_ids[4]) finish.abort(); } })),
      scheduler.submit(request(7)),
    ]);
    const firstAt = reference.cases[6].greedy_new_ids.indexOf(reference.cases[6].greedy_new_ids[4]);
    expect(finished).toMatchObject({ stoppedAtEos: false, tokenIds: reference.cases[6].greedy_new_ids.slice(0, firstAt + 1) });
    expect(other.tokenIds).toEqual(reference.cases[7].greedy_new_ids);
  });
});
