/** The inference engine: ONNX sessions, prompt embedding and greedy decoding. */
export { type GreedyDecodeOptions, type GreedyDecodeResult, argmax, greedyDecode } from './greedy-decode.js';
export { IncrementalDetokenizer } from './incremental-detokenizer.js';
export { type Device, type KvLayout, type PaliGemmaSessions, type SessionTuning, openSessions } from './onnx-sessions.js';
export { type ImageFeatures, embedPrompt, embedTokens, encodeImage } from './prompt-embeddings.js';
export { type PromptTokenizer, buildPromptIds, loadPromptTokenizer } from './prompt-tokenizer.js';
