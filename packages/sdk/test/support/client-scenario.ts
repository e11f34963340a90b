/**
 * One run of every client method plus the error paths, written once and bundled for each runtime under test
 * (Chromium page, workerd worker). Returns plain JSON so the test can check it from Node.
 */
import {
  AbortError,
  InvalidRequestError,
  PaliGemma,
  TimeoutError,
  boxToXywh,
  polygonsToSvgPath,
  type TokenEvent,
} from '../../src/index.js';

/** What a scenario run reports; `errors` hold `isInstance` checks done inside the runtime. */
export interface ScenarioReport {
  runtime: string;
  caption: unknown;
  captionFromBytes: unknown;
  captionFromBlob: unknown;
  ask: unknown;
  detect: unknown;
  /** `undefined` when the run had `withSegment: false`. */
  segment: unknown;
  generate: unknown;
  streamTokens: TokenEvent[];
  streamResult: unknown;
  xywh: unknown;
  svgPath: string;
  errors?: { invalidRequest: unknown; retriedFlaky: unknown; timeout: boolean; abort: boolean };
}

/** A 1×1 PNG, so the scenario also sends real image bytes. */
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

function pngBytes(): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(PNG_BASE64), (character) => character.charCodeAt(0));
}

/**
 * Runs the scenario against `baseURL`. `withErrorPaths` adds the stand-in's scripted failures (`/fail-400`,
 * `/flaky`, `/stall`), which the real server does not have.
 */
export async function runClientScenario(options: {
  baseURL: string;
  runtime: string;
  imageUrl: string;
  apiKey?: string;
  withErrorPaths: boolean;
  /** False against a server without segmentation masks (the real server in tests has no VQ-VAE file). */
  withSegment: boolean;
  maxNewTokens?: number;
}): Promise<ScenarioReport> {
  const { baseURL, apiKey, maxNewTokens } = options;
  const client = new PaliGemma({ baseURL, apiKey, maxRetries: 1 });
  const bytes = pngBytes();
  const tokens = maxNewTokens === undefined ? {} : { maxNewTokens };
  const stream = client.stream(bytes, 'caption en', tokens);
  const streamTokens: TokenEvent[] = [];
  for await (const token of stream) streamTokens.push(token);
  const detect = await client.detect(bytes, ['cat', 'dog'], tokens);
  const segment = options.withSegment ? await client.segment(bytes, ['cat'], tokens) : undefined;
  const report: ScenarioReport = {
    runtime: options.runtime,
    caption: await client.caption(options.imageUrl, tokens),
    captionFromBytes: await client.caption(bytes.buffer, tokens),
    captionFromBlob: await client.caption(new Blob([bytes], { type: 'image/png' }), tokens),
    ask: await client.ask(`data:image/png;base64,${PNG_BASE64}`, 'what is this?', tokens),
    detect,
    segment,
    generate: await client.generate({ data: PNG_BASE64 }, 'caption en', tokens),
    streamTokens,
    streamResult: await stream.result,
    xywh: detect.objects[0] ? boxToXywh(detect.objects[0].box) : undefined,
    svgPath: segment?.objects[0] ? polygonsToSvgPath(segment.objects[0].polygons) : '',
  };
  if (options.withErrorPaths) report.errors = await runErrorPaths(baseURL, apiKey, bytes);
  return report;
}

async function runErrorPaths(baseURL: string, apiKey: string | undefined, bytes: Uint8Array) {
  const invalid = await new PaliGemma({ baseURL: `${baseURL}/fail-400`, apiKey })
    .detect(bytes, ['x'])
    .catch((error: unknown) => error);
  const flaky = await new PaliGemma({ baseURL: `${baseURL}/flaky`, apiKey, maxRetries: 2 }).ask(bytes, 'retried?');
  const timeout = await new PaliGemma({ baseURL: `${baseURL}/stall`, apiKey, timeoutMs: 100, maxRetries: 0 })
    .caption(bytes)
    .catch((error: unknown) => error);
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 50);
  const abort = await new PaliGemma({ baseURL: `${baseURL}/stall`, apiKey })
    .caption(bytes, { signal: controller.signal })
    .catch((error: unknown) => error);
  return {
    invalidRequest: InvalidRequestError.isInstance(invalid)
      ? { status: invalid.status, code: invalid.code, hasRequestId: typeof invalid.requestId === 'string' }
      : String(invalid),
    retriedFlaky: flaky,
    timeout: TimeoutError.isInstance(timeout),
    abort: AbortError.isInstance(abort),
  };
}
