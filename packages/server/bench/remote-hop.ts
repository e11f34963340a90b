/**
 * `pnpm bench:remote`: what the remote-engine hop costs. Server A runs the model; server B has A as its engine
 * (PALIGEMMA_ENGINE_URL). The same requests go to A and to B, at concurrency 1 and 8, alternating A and B, and each
 * figure is B ÷ A from the same run. A's image-feature and prefix caches are off, so B's requests (which reach A after
 * A answered the same ones) are not answered from them. Prints one `name: value` line per figure.
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { IMAGES_DIR, TINY_MODEL_DIR } from '@paligemma/test-support';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ServerHandle, serve } from '../src/node/serve.js';

const USAGE = 'usage: pnpm bench:remote [--model <dir|hub id>] [--dtype <dtype>] [--requests N] [--max-new-tokens N] [--concurrency 1,8]';
const PROMPTS = ['caption en', 'answer en what is in the image?', 'detect cat ; dog', 'ocr', 'caption es'];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      dtype: { type: 'string' },
      requests: { type: 'string' },
      'max-new-tokens': { type: 'string' },
      concurrency: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return console.log(USAGE);
  const requests = Number(values.requests ?? 24);
  const maxNewTokens = Number(values['max-new-tokens'] ?? 16);
  const levels = (values.concurrency ?? '1,8').split(',').map(Number);
  const model = values.model ?? TINY_MODEL_DIR;
  console.log(`# model=${model} dtype=${values.dtype ?? 'default'} requests=${requests} max_new_tokens=${maxNewTokens} cpu=${cpus()[0]?.model ?? '?'}`);
  const common = { logger: () => {}, environment: {}, host: '127.0.0.1', port: 0, maxInFlight: Math.max(...levels), maxQueue: 64, maxNewTokensCap: 4096 };
  const a = await serve({ ...common, model, dtype: values.dtype, featureCacheBytes: 0, prefixCacheBytes: 0 });
  await a.ready;
  const b = await serve({ ...common, engineUrl: `${a.url}/v1` });
  await b.ready;
  try {
    const workload = makeWorkload(requests, maxNewTokens);
    await run(a, workload.slice(0, 2), 1); // warm-up of both paths
    await run(b, workload.slice(0, 2), 1);
    for (const concurrency of levels) {
      const onA = await run(a, workload, concurrency);
      const onB = await run(b, workload, concurrency);
      for (const [name, result] of [['a', onA], ['b', onB]] as const) {
        console.log(`${name}_c${concurrency}_requests_per_s: ${result.requestsPerSecond.toFixed(3)}`);
        console.log(`${name}_c${concurrency}_latency_p50_ms: ${result.p50.toFixed(1)}`);
        console.log(`${name}_c${concurrency}_latency_mean_ms: ${result.mean.toFixed(1)}`);
      }
      console.log(`ratio_c${concurrency}_b_vs_a_latency_mean: ${(onB.mean / onA.mean).toFixed(3)}x`);
      console.log(`ratio_c${concurrency}_b_vs_a_requests_per_s: ${(onB.requestsPerSecond / onA.requestsPerSecond).toFixed(3)}x`);
      console.log(`hop_c${concurrency}_added_ms_per_request: ${(onB.mean - onA.mean).toFixed(1)}`);
    }
  } finally {
    await b.close(0);
    await a.close(0);
  }
}

/** Every request goes to this route, on A and on B. */
const ROUTE = '/v1/generate';

/** Requests over the fixture images and prompts, each (image, prompt) pair once while they last. */
function makeWorkload(count: number, maxNewTokens: number): string[] {
  const images = readdirSync(IMAGES_DIR).filter((file) => /\.(jpe?g|png)$/i.test(file)).sort()
    .map((file) => `data:image/${file.endsWith('.png') ? 'png' : 'jpeg'};base64,${readFileSync(join(IMAGES_DIR, file)).toString('base64')}`);
  return Array.from({ length: count }, (_, index) =>
    JSON.stringify({ image: { data: images[index % images.length] }, prompt: PROMPTS[Math.floor(index / images.length) % PROMPTS.length], maxNewTokens }));
}

async function run(server: ServerHandle, workload: string[], concurrency: number) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < workload.length) {
      const body = workload[next++];
      const sent = performance.now();
      const response = await fetch(`${server.url}${ROUTE}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      if (response.status !== 200) throw new Error(`${ROUTE} answered ${response.status}: ${await response.text()}`);
      await response.arrayBuffer();
      latencies.push(performance.now() - sent);
    }
  }));
  const wallMs = performance.now() - started;
  latencies.sort((left, right) => left - right);
  return {
    requestsPerSecond: workload.length / (wallMs / 1000),
    p50: latencies[Math.floor(latencies.length / 2)],
    mean: latencies.reduce((sum, value) => sum + value, 0) / latencies.length,
  };
}

await main();
