/** How to load a model: what to load, where from, and how the engine runs it. */
import type { BatchingOptions } from './engine/batch-scheduler.js';
import type { Device, SessionTuning } from './engine/onnx-sessions.js';
import type { DtypeOption } from './model-files/dtype.js';
import type { DownloadProgress } from './model-files/hub-download.js';

export interface LoadOptions {
  /** Local directory or Hugging Face hub id in the transformers.js layout. @default 'Xenova/paligemma-3b-mix-224' */
  model?: string;
  /** Weight format, for all sub-models or per sub-model. @default fp32 vision and embeddings, q4 decoder */
  dtype?: DtypeOption;
  /** `cuda` selects ONNX Runtime's CUDA execution provider. @default 'cpu' */
  device?: Device;
  /** Where hub downloads (and the segmentation VAE) are kept. @default $PALIGEMMA_CACHE_DIR or ~/.cache/paligemma */
  cacheDir?: string;
  /** Download progress, per file. */
  onProgress?: (progress: DownloadProgress) => void;
  /** Hub base URL. @default $HF_ENDPOINT or https://huggingface.co */
  hubUrl?: string;
  /**
   * Token for gated and private hub models, sent to the hub's origin only (never to a CDN it redirects to).
   * @default $HF_TOKEN, else the token file `huggingface-cli login` writes ($HF_TOKEN_PATH, $HF_HOME/token, ~/.cache/huggingface/token)
   */
  hubToken?: string;
  /** Path of big_vision's `vae-oid.npz` for segmentation masks. @default $PALIGEMMA_VAE or `<cacheDir>/vae-oid.npz` */
  vae?: string;
  sessionOptions?: SessionTuning;
  /** Dynamic batching: max batch size and how long an idle engine waits to batch prefills. */
  batching?: BatchingOptions;
  /** Bytes of vision features kept for repeated images; 0 turns the cache off. @default 256 MiB */
  featureCacheBytes?: number;
  /**
   * Bytes of prompt keys and values kept, so the same prompt about the same image skips the vision encoder and
   * the prefill; 0 turns the cache off. @default 256 MiB
   */
  prefixCacheBytes?: number;
  /**
   * Where ONNX Runtime computes. Its `run` is synchronous, so on `'main'` a full-size prefill stalls this thread's
   * event loop (timers, sockets, health probes) for seconds; `'worker'` runs the engine on a worker thread.
   * @default 'worker'
   */
  engineThread?: 'worker' | 'main';
  /** Largest encoded image accepted: bytes given, a URL's download, base64 data. @default 10 MiB */
  maxImageBytes?: number;
  /** Images whose header announces more pixels are refused before decoding. @default 50 000 000 */
  maxImagePixels?: number;
  /** Where `PALIGEMMA_CACHE_DIR`, `PALIGEMMA_VAE`, `HF_ENDPOINT` and `HF_TOKEN` are read when their option is not given. @default process.env */
  environment?: Record<string, string | undefined>;
  signal?: AbortSignal;
}
