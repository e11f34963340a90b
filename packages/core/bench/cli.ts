/**
 * `pnpm bench`: the naive transformers.js pipeline and our engine at concurrency 1, 4 and 8, side by side in one
 * run. Each scenario runs in its own child process so its load time and peak memory are its own.
 * Prints one `name: value` line per figure, ratios included.
 */
import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { onnxFileName, parseDtypeOption, resolveDtypes } from '../src/model-files/dtype.js';
import { runEngine } from './scenario-engine.js';
import { runNaive } from './scenario-naive.js';
import type { BenchOptions, ScenarioResult } from './scenario-types.js';
import { quantile } from './statistics.js';
import { measureMemoryBandwidth } from './tools/measure-memory-bandwidth.js';
import { TINY_MODEL_DIR } from './workload.js';

const USAGE = `usage: pnpm bench [--quick] [--model <dir>] [--dtype fp32|q4|vision_encoder=fp32,decoder_model_merged=q4]
                  [--requests N] [--max-new-tokens N] [--ignore-eos] [--concurrency 1,4,8] [--skip-naive]`;

/** `--quick` keeps the whole run under two minutes on the tiny model. */
const QUICK = { requests: 16, maxNewTokens: 24 };
const FULL = { requests: 48, maxNewTokens: 32 };

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean' },
      model: { type: 'string' },
      dtype: { type: 'string' },
      requests: { type: 'string' },
      'max-new-tokens': { type: 'string' },
      'ignore-eos': { type: 'boolean' },
      concurrency: { type: 'string' },
      'skip-naive': { type: 'boolean' },
      scenario: { type: 'string' },
      options: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return console.log(USAGE);
  if (values.scenario) return runChild(values.scenario, JSON.parse(values.options ?? '{}'));

  const size = values.quick ? QUICK : FULL;
  const base: Omit<BenchOptions, 'concurrency'> = {
    model: values.model ?? TINY_MODEL_DIR,
    dtype: values.dtype ?? 'fp32',
    requests: Number(values.requests ?? size.requests),
    maxNewTokens: Number(values['max-new-tokens'] ?? size.maxNewTokens),
    ignoreEos: values['ignore-eos'] ?? values.model === undefined, // the random tiny model never emits EOS anyway
  };
  const levels = (values.concurrency ?? '1,4,8').split(',').map(Number);
  console.log(`# model=${base.model} dtype=${base.dtype} requests=${base.requests} max_new_tokens=${base.maxNewTokens} ignore_eos=${base.ignoreEos}`);
  const naive = values['skip-naive'] ? undefined : await inChild('naive', { ...base, concurrency: 1 });
  if (naive) report('naive', naive);
  const engine = new Map<number, ScenarioResult>();
  for (const concurrency of levels) {
    const result = await inChild('engine', { ...base, concurrency });
    engine.set(concurrency, result);
    report(`engine_c${concurrency}`, result);
  }
  const one = engine.get(1);
  for (const [concurrency, result] of engine) {
    if (naive) line(`ratio_engine_c${concurrency}_vs_naive_requests_per_s`, throughput(result) / throughput(naive), 'x');
    if (one) line(`ratio_engine_c${concurrency}_vs_c1_decode_tokens_per_s`, result.decodeTokensPerSecond / one.decodeTokensPerSecond, 'x');
  }
  if (naive && one) line('ratio_engine_c1_vs_naive_decode_ms_per_token', naive.decodeMsPerToken / one.decodeMsPerToken, 'x faster');
  if (one?.firstImageMs && one.repeatedRequestMs) line('ratio_repeated_image_same_prompt_speedup', one.firstImageMs / one.repeatedRequestMs, 'x');
  if (one?.firstImageMs && one.newQuestionMs) line('ratio_repeated_image_new_question_speedup', one.firstImageMs / one.newQuestionMs, 'x');

  // The floor for one decode step: every decoder weight is read once per step.
  const bandwidth = await measureMemoryBandwidth();
  const weightBytes = await decoderWeightBytes(base.model, base.dtype);
  const boundMs = (weightBytes / bandwidth) * 1000;
  line('memory_read_bandwidth_gb_per_s', bandwidth / 1e9);
  line('decoder_weight_gb_per_token', weightBytes / 1e9);
  line('decode_bound_ms_per_token', boundMs);
  if (one) line('ratio_engine_c1_decode_ms_per_token_vs_bound', one.decodeMsPerToken / boundMs, 'x');
}

/** Bytes of the decoder graph and its external data for the chosen dtype. */
async function decoderWeightBytes(model: string, dtype: string): Promise<number> {
  const graph = onnxFileName('decoder_model_merged', resolveDtypes(parseDtypeOption(dtype)).decoder_model_merged);
  const [folder, name] = [join(model, 'onnx'), graph.slice('onnx/'.length)];
  let bytes = 0;
  for (const file of await readdir(folder)) {
    if (file === name || file.startsWith(`${name}_data`)) bytes += (await stat(join(folder, file))).size;
  }
  return bytes;
}

function throughput(result: ScenarioResult): number {
  return result.latencies.length / (result.wallMs / 1000);
}

function report(name: string, result: ScenarioResult): void {
  line(`${name}_load_s`, result.loadMs / 1000);
  line(`${name}_requests_per_s`, throughput(result));
  line(`${name}_generated_tokens_per_s`, result.completionTokens / (result.wallMs / 1000));
  line(`${name}_latency_p50_ms`, quantile(result.latencies, 0.5));
  line(`${name}_latency_p95_ms`, quantile(result.latencies, 0.95));
  line(`${name}_prefill_ms`, result.prefillMs);
  line(`${name}_decode_ms_per_token`, result.decodeMsPerToken);
  line(`${name}_decode_tokens_per_s`, result.decodeTokensPerSecond);
  if (result.firstImageMs !== undefined) line(`${name}_first_image_ms`, result.firstImageMs);
  if (result.repeatedRequestMs !== undefined) line(`${name}_repeated_image_same_prompt_ms`, result.repeatedRequestMs);
  if (result.newQuestionMs !== undefined) line(`${name}_repeated_image_new_question_ms`, result.newQuestionMs);
  if (result.prefixCacheHits !== undefined) line(`${name}_prefix_cache_hits_during_throughput`, result.prefixCacheHits);
  line(`${name}_peak_rss_mb`, result.peakRssMb ?? Number.NaN);
  line(`${name}_completion_tokens`, result.completionTokens);
  line(`${name}_mean_tokens_per_request`, result.completionTokens / Math.max(1, result.latencies.length));
}

function line(name: string, value: number, unit = ''): void {
  const shown = Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(value >= 10 ? 1 : 3);
  console.log(`${name}: ${shown}${unit}`);
}

/** Runs one scenario in a fresh Node process and reads its JSON result. */
async function inChild(scenario: string, options: BenchOptions): Promise<ScenarioResult> {
  const self = fileURLToPath(import.meta.url);
  const { stdout } = await promisify(execFile)(process.execPath, [...process.execArgv, self, '--scenario', scenario, '--options', JSON.stringify(options)], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as ScenarioResult;
}

async function runChild(scenario: string, options: BenchOptions): Promise<void> {
  const run = scenario === 'naive' ? runNaive : runEngine;
  const result = await run(options);
  result.peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`\n${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
