/**
 * `pnpm bench:event-loop --model <dir>`: how long the calling thread's event loop stalls while the engine runs one
 * request (a never-seen image, so vision encoder and prefill run), with the engine on a worker thread (the default)
 * and on the calling thread. Each in its own child process. Prints `name: value` lines.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs, promisify } from 'node:util';
import { parseDtypeOption } from '../src/model-files/dtype.js';
import { PaliGemma } from '../src/paligemma.js';
import { TINY_MODEL_DIR, noiseImage as noise } from './workload.js';

const { values } = parseArgs({
  options: { model: { type: 'string' }, dtype: { type: 'string' }, 'max-new-tokens': { type: 'string' }, thread: { type: 'string' } },
});
const model = values.model ?? TINY_MODEL_DIR;
const dtype = values.dtype ?? 'fp32';
const maxNewTokens = Number(values['max-new-tokens'] ?? 16);

if (values.thread) {
  const engine = await PaliGemma.load({ model, dtype: parseDtypeOption(dtype), engineThread: values.thread as 'worker' | 'main' });
  await engine.generate({ image: await noise(1), prompt: 'caption en', maxNewTokens: 2, ignoreEos: true }); // warm-up
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const started = performance.now();
  await engine.generate({ image: await noise(2), prompt: 'caption en', maxNewTokens, ignoreEos: true });
  const requestMs = performance.now() - started;
  delay.disable();
  await engine.dispose();
  console.log(JSON.stringify({ requestMs, maxDelayMs: delay.max / 1e6, p99DelayMs: delay.percentile(99) / 1e6 }));
} else {
  console.log(`# model=${model} dtype=${dtype} max_new_tokens=${maxNewTokens}`);
  for (const thread of ['worker', 'main']) {
    const self = fileURLToPath(import.meta.url);
    const { stdout } = await promisify(execFile)(process.execPath, [...process.execArgv, self, ...process.argv.slice(2), '--thread', thread], { maxBuffer: 1 << 20 });
    const result = JSON.parse(stdout.trim().split('\n').at(-1) as string) as { requestMs: number; maxDelayMs: number; p99DelayMs: number };
    console.log(`${thread}_request_ms: ${result.requestMs.toFixed(0)}`);
    console.log(`${thread}_event_loop_max_stall_ms: ${result.maxDelayMs.toFixed(1)}`);
    console.log(`${thread}_event_loop_p99_stall_ms: ${result.p99DelayMs.toFixed(1)}`);
  }
}
