/** The inference engine: ONNX sessions, prompt embedding, batched greedy decoding, the image-feature and prefix caches. */
export { argmax } from './argmax.js';
export { type BatchingOptions, BatchScheduler, DEFAULT_MAX_BATCH_SIZE, DEFAULT_MAX_BATCH_WAIT_MS, type DecodeRequest, type DecodeResult, type SchedulerStats } from './batch-scheduler.js';
export { ByteBudgetCache } from './byte-budget-cache.js';
export { DecoderBatch, type PrefilledRow } from './decoder-batch.js';
export { DEFAULT_FEATURE_CACHE_BYTES, ImageFeatureCache } from './image-feature-cache.js';
export { IncrementalDetokenizer } from './incremental-detokenizer.js';
export { DEFAULT_PREFIX_CACHE_BYTES, type PrefilledPrompt, PrefixCache } from './prefix-cache.js';
export { type Device, type KvLayout, type PaliGemmaSessions, type SessionTuning, openSessions } from './onnx-sessions.js';
export { type ImageFeatures, embedPrompt, embedTokens, encodeImage } from './prompt-embeddings.js';
export { type PromptTokenizer, buildPromptIds, loadPromptTokenizer } from './prompt-tokenizer.js';
