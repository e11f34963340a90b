/** Reads the JSON files of a model directory: the checkpoint's config and the image processor's settings. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelLoadError } from '../errors/index.js';
import { type ImageProcessorConfig, readImageProcessorConfig } from '../image/image-processor-config.js';
import { type ModelConfig, readModelConfig } from './model-config.js';

/**
 * `config.json` (with `generation_config.json` when present) and `preprocessor_config.json`.
 * @example const { config, imageProcessor } = await readModelFiles('/models/tiny-paligemma')
 */
export async function readModelFiles(directory: string): Promise<{ config: ModelConfig; imageProcessor: ImageProcessorConfig }> {
  const readJson = async (file: string, optional = false) => {
    const text = await readFile(join(directory, file), 'utf8').catch((error) => (optional ? '{}' : Promise.reject(error)));
    try {
      return JSON.parse(text);
    } catch (error) {
      // JSON.parse's own message names a position but not the file; /readyz shows this to the operator.
      throw new ModelLoadError(`${join(directory, file)} is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
  };
  return {
    config: readModelConfig(await readJson('config.json'), await readJson('generation_config.json', true)),
    imageProcessor: readImageProcessorConfig(await readJson('preprocessor_config.json')),
  };
}
