/**
 * The defaults of loading and running a model, each defined once: core uses them, and `@paligemma/server` imports
 * them for its settings table. Pure (no Node built-ins, no ONNX Runtime), so the edge gateway can bundle it.
 */

/** The model served when none is named: Google's PaliGemma 3B mix 224, exported to ONNX for transformers.js. */
export const DEFAULT_MODEL = 'Xenova/paligemma-3b-mix-224';

/** Where ONNX Runtime computes. */
export const DEFAULT_DEVICE = 'cpu';

/**
 * The engine's own thread: ONNX Runtime's `run` is synchronous, so on the calling thread a full-size prefill stalls
 * its event loop (timers, sockets, health probes) for seconds.
 */
export const DEFAULT_ENGINE_THREAD = 'worker';

/** Sequences decoded together; on a memory-bound CPU a step for 8 rows costs little more than for 1. */
export const DEFAULT_MAX_BATCH_SIZE = 8;

/** How long an idle engine waits for more requests so they share one prefill, in ms; small next to a prefill. */
export const DEFAULT_MAX_BATCH_WAIT_MS = 5;

/** Vision features kept for repeated images: a full-size image is 256×2048 floats = 2 MiB, so about 128 images. */
export const DEFAULT_FEATURE_CACHE_BYTES = 256 * 1024 * 1024;

/** Prompt keys and values kept for repeated requests: about 9.8 + 1 MiB per full-size prompt, so about 23. */
export const DEFAULT_PREFIX_CACHE_BYTES = 256 * 1024 * 1024;

/**
 * Attempts repeated when the remote engine (`PALIGEMMA_ENGINE_URL`) cannot be reached or answers 502/503, before
 * any token: a vLLM pod restarting or draining is back within seconds, but a request should not wait minutes.
 */
export const DEFAULT_ENGINE_MAX_RETRIES = 2;

/**
 * Most pixels decoded. Decoded RGB costs 3 bytes a pixel, so 50 megapixels is 150 MB per image in flight: enough for
 * 48–50 MP phone photos, small enough that a few concurrent requests cannot exhaust memory with a decompression bomb
 * (a few kilobytes of PNG can announce 65535 × 65535 pixels). The model sees 224×224 anyway.
 */
export const DEFAULT_MAX_IMAGE_PIXELS = 50_000_000;

/** Encoded image bytes: photos from phones are 3–8 MB; more is almost always a mistake or an attack. */
export const DEFAULT_MAX_IMAGE_BYTES = 10 * 1024 * 1024;

/** The Hugging Face hub. */
export const DEFAULT_HUB_URL = 'https://huggingface.co';

/** The environment variables core reads when `PaliGemma.load` is not given the option. */
export const CORE_ENVIRONMENT_VARIABLES = {
  cacheDir: 'PALIGEMMA_CACHE_DIR',
  vae: 'PALIGEMMA_VAE',
  hubUrl: 'HF_ENDPOINT',
  /** The token for gated and private models; without it, the file `huggingface-cli login` writes is read. */
  hubToken: 'HF_TOKEN',
} as const;
