/** Turns a model option (local directory or hub id) into a local directory holding every file the engine needs. */
import { access, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ModelLoadError } from '../errors/index.js';
import { describeError } from '@paligemma/sdk/internal';
import { DEFAULT_DTYPE, type Dtype, type DtypeOption, SUB_MODELS, type SubModel, onnxFileName, resolveDtypes } from './dtype.js';
import { DEFAULT_MODEL } from '../settings/defaults.js';
import { defaultCacheDir } from '../settings/core-environment.js';
import type { HubToken } from '../settings/hub-token.js';
import {
  type DownloadProgress, HubAccessError, HubFileNotFoundError, type HubDownloadOptions, cachedRepoDirectory, downloadHubFile, hubBaseUrl,
} from './hub-download.js';


/** JSON files the engine reads; the optional ones are fetched when present. */
const REQUIRED_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'preprocessor_config.json'];
const OPTIONAL_FILES = ['generation_config.json', 'special_tokens_map.json'];
/** ONNX files over 2 GB keep their weights in `<file>_data`, `<file>_data_1`, … (transformers.js caps chunks at 100). */
const MAX_EXTERNAL_DATA_CHUNKS = 100;

export interface ResolveModelOptions extends Omit<HubDownloadOptions, 'onProgress' | 'token'> {
  model?: string;
  /**
   * The token for gated and private repos, asked for once per load of a hub id (`PaliGemma.load` reads `HF_TOKEN`
   * or the token file), so an unreadable token file is reported even when every file is cached. @default none
   */
  hubToken?: () => HubToken | undefined;
  dtype?: DtypeOption;
  /** Where hub downloads are kept (`PaliGemma.load` fills it from `PALIGEMMA_CACHE_DIR`). @default ~/.cache/paligemma */
  cacheDir?: string;
  onProgress?: (progress: DownloadProgress) => void;
}

export interface ResolvedModel {
  directory: string;
  /** Model id as given, for messages. */
  model: string;
  dtypes: Record<SubModel, Dtype>;
}

/**
 * A local directory is used as it is (dtype defaults pick what it holds); anything else is a hub id downloaded
 * once into `cacheDir`. Failures say which model, which cache dir, and how to point at a local copy.
 * @example const { directory } = await resolveModel({ model: './fixtures/tiny-paligemma' })
 */
export async function resolveModel(options: ResolveModelOptions = {}): Promise<ResolvedModel> {
  const model = options.model ?? DEFAULT_MODEL;
  if (await exists(model)) return resolveLocalModel(model, options.dtype);
  if (looksLikeLocalPath(model)) throw new ModelLoadError(`model directory ${resolve(model)} does not exist`);
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const directory = cachedRepoDirectory(cacheDir, model);
  const dtypes = resolveDtypes(options.dtype);
  let hubToken: HubToken | undefined;
  try {
    hubToken = options.hubToken?.();
  } catch (error) {
    throw new ModelLoadError(`could not get model "${model}" from the Hugging Face hub: ${describeError(error)}`, { cause: error });
  }
  const download: HubDownloadOptions = { ...options, token: hubToken?.value };
  try {
    for (const file of REQUIRED_FILES) await downloadHubFile(model, file, join(directory, file), download);
    for (const file of OPTIONAL_FILES) await downloadOptional(model, file, directory, download);
    for (const subModel of SUB_MODELS) {
      const file = onnxFileName(subModel, dtypes[subModel]);
      await downloadHubFile(model, file, join(directory, file), download).catch((error: unknown) => {
        if (!(error instanceof HubFileNotFoundError)) throw error;
        // Exports publish some dtypes only (Xenova/paligemma-3b-mix-224: a q4 decoder): say so, not "offline".
        throw new ModelLoadError(
          `"${model}" has no ${file} on the hub (dtype ${dtypes[subModel]} of ${subModel}). Choose a dtype the ` +
            `repository publishes (its onnx/ folder lists them), e.g. PALIGEMMA_DTYPE=${subModel}=<dtype>; the README's dtype table lists the known exports.`,
          { cause: error },
        );
      });
      await downloadExternalData(model, file, directory, download);
    }
  } catch (error) {
    if (options.signal?.aborted || error instanceof ModelLoadError) throw error;
    if (error instanceof HubAccessError) throw new ModelLoadError(accessMessage(model, error.status, options.hubUrl, hubToken), { cause: error });
    throw new ModelLoadError(
      `could not get model "${model}" from the Hugging Face hub into cache dir ${cacheDir}: ${describeError(error)}. ` +
        'If this machine is offline, copy the model there, or download it elsewhere and set PALIGEMMA_MODEL=<local dir>.',
      { cause: error },
    );
  }
  return { directory, model, dtypes };
}

/**
 * The one message for a 401/403: which model, what the hub said with or without which token, and what to do. The
 * hub answers 401 for a private or missing repo as for a gated one, so the id is worth checking too.
 */
function accessMessage(model: string, status: number, hubUrl: string | undefined, hubToken: HubToken | undefined): string {
  const page = `${hubBaseUrl(hubUrl)}/${model}`;
  const sent = hubToken ? `with the token from ${hubToken.source}` : 'without a token';
  return (
    `model "${model}" is gated or private on the Hugging Face hub (it answered ${status} ${sent}): accept the license at ` +
    `its page (${page}) or check the token (and the model id). Set HF_TOKEN to a token of an account that has ` +
    'access (or run `huggingface-cli login`); the token is sent to the hub only.'
  );
}

async function resolveLocalModel(directory: string, dtype: DtypeOption | undefined): Promise<ResolvedModel> {
  const absolute = resolve(directory);
  const onnxFiles = new Set(await readdir(join(absolute, 'onnx')).catch(() => [] as string[]));
  const available = (subModel: SubModel, candidate: Dtype) => onnxFiles.has(onnxFileName(subModel, candidate).slice('onnx/'.length));
  // Without an explicit dtype, prefer the default per sub-model but fall back to fp32 when only that is there.
  const preferred = Object.fromEntries(
    SUB_MODELS.map((subModel) => [subModel, available(subModel, DEFAULT_DTYPE[subModel]) ? DEFAULT_DTYPE[subModel] : 'fp32']),
  ) as Record<SubModel, Dtype>;
  const dtypes = resolveDtypes(dtype, preferred);
  for (const file of REQUIRED_FILES) {
    if (!(await exists(join(absolute, file)))) throw new ModelLoadError(`model directory ${absolute} has no ${file}`);
  }
  for (const subModel of SUB_MODELS) {
    if (!available(subModel, dtypes[subModel])) {
      throw new ModelLoadError(`model directory ${absolute} has no ${onnxFileName(subModel, dtypes[subModel])} (dtype ${dtypes[subModel]})`);
    }
  }
  return { directory: absolute, model: directory, dtypes };
}

async function downloadOptional(repo: string, file: string, directory: string, options: HubDownloadOptions): Promise<boolean> {
  try {
    await downloadHubFile(repo, file, join(directory, file), options);
    return true;
  } catch (error) {
    if (error instanceof HubFileNotFoundError) return false;
    throw error;
  }
}

async function downloadExternalData(repo: string, onnxFile: string, directory: string, options: HubDownloadOptions): Promise<void> {
  if (!(await downloadOptional(repo, `${onnxFile}_data`, directory, options))) return;
  for (let chunk = 1; chunk < MAX_EXTERNAL_DATA_CHUNKS; chunk++) {
    if (!(await downloadOptional(repo, `${onnxFile}_data_${chunk}`, directory, options))) return;
  }
}

function looksLikeLocalPath(model: string): boolean {
  return model.startsWith('.') || model.startsWith('/') || model.startsWith('~') || model.split('/').length > 2;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}
