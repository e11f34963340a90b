/** The few facts about a PaliGemma checkpoint the engine needs, read from its `config.json`. */
import * as z from 'zod';

const IdOrIds = z.union([z.number().int(), z.array(z.number().int())]);

const ConfigJson = z.looseObject({
  image_token_index: z.number().int().optional(),
  image_token_id: z.number().int().optional(),
  bos_token_id: z.number().int().optional(),
  eos_token_id: IdOrIds.optional(),
  pad_token_id: z.number().int().optional(),
  text_config: z.looseObject({
    num_image_tokens: z.number().int().positive().optional(),
    eos_token_id: IdOrIds.optional(),
  }).optional(),
  vision_config: z.looseObject({
    image_size: z.number().int().positive().optional(),
    patch_size: z.number().int().positive().optional(),
    num_image_tokens: z.number().int().positive().optional(),
  }).optional(),
});

export interface ModelConfig {
  /** Id of the `<image>` placeholder token. */
  imageTokenId: number;
  /** Number of `<image>` tokens in a prompt = image features per image. */
  numImageTokens: number;
  bosTokenId: number;
  /** Generation stops at any of these. */
  eosTokenIds: number[];
  padTokenId: number;
}

/** PaliGemma-1's published defaults for fields older configs omit. */
const DEFAULT_IMAGE_SIZE = 224;
const DEFAULT_PATCH_SIZE = 14;

/**
 * Reads `config.json` (and optionally `generation_config.json`, whose EOS ids win) into a {@link ModelConfig}.
 * @example readModelConfig(JSON.parse(fs.readFileSync('config.json', 'utf8')))
 */
export function readModelConfig(configJson: unknown, generationConfigJson?: unknown): ModelConfig {
  const config = ConfigJson.parse(configJson);
  const generation = z.looseObject({ eos_token_id: IdOrIds.optional() }).safeParse(generationConfigJson ?? {});
  const imageTokenId = config.image_token_index ?? config.image_token_id;
  if (imageTokenId === undefined) throw new TypeError('config.json has no image_token_index');
  const vision = config.vision_config ?? {};
  const imageSize = vision.image_size ?? DEFAULT_IMAGE_SIZE;
  const patchSize = vision.patch_size ?? DEFAULT_PATCH_SIZE;
  const eos = (generation.success ? generation.data.eos_token_id : undefined) ?? config.eos_token_id ?? config.text_config?.eos_token_id ?? 1;
  return {
    imageTokenId,
    numImageTokens: config.text_config?.num_image_tokens ?? vision.num_image_tokens ?? (imageSize / patchSize) ** 2,
    bosTokenId: config.bos_token_id ?? 2,
    eosTokenIds: Array.isArray(eos) ? eos : [eos],
    padTokenId: config.pad_token_id ?? 0,
  };
}
