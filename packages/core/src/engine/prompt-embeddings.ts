/**
 * Runs the vision encoder and the token embedding, and merges image features into the prompt's embeddings. Both
 * come out as float32 whatever the graphs compute in (float16 features and embeddings are converted exactly), so
 * the feature cache, the merge and the decoder's boundary see one type.
 */
import * as ort from 'onnxruntime-node';
import { floatTensor, readFloat32 } from './float-tensor.js';
import type { PaliGemmaSessions } from './onnx-sessions.js';

/** Image features of one image: `rows` vectors of `width` floats. */
export interface ImageFeatures {
  data: Float32Array;
  rows: number;
  width: number;
}

/**
 * Image features for each of `pixelValues` (CHW float32 of `size`×`size` images), in one batched encoder run.
 * @example const [features] = await encodeImages(sessions, [pixelValues], 224)
 */
export async function encodeImages(sessions: PaliGemmaSessions, pixelValues: readonly Float32Array[], size: number): Promise<ImageFeatures[]> {
  const plane = 3 * size * size;
  const pixels = new Float32Array(pixelValues.length * plane);
  pixelValues.forEach((values, index) => pixels.set(values, index * plane));
  const output = await sessions.vision.run({
    [sessions.vision.inputNames[0]]: floatTensor(sessions.io.pixels, pixels, [pixelValues.length, 3, size, size]),
  });
  const features = output[sessions.vision.outputNames[0]];
  const [, rows, width] = features.dims;
  return pixelValues.map((_, index) => ({ data: readFloat32(features, index * rows * width, (index + 1) * rows * width).slice(), rows, width }));
}

/** Token ids → their float32 embedding rows, `[1, ids.length, width]` (or `[…dims, width]`). */
export async function embedTokens(sessions: PaliGemmaSessions, ids: readonly number[], dims = [1, ids.length]): Promise<ort.Tensor> {
  const input = new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), dims);
  const output = await sessions.embed.run({ [sessions.embed.inputNames[0]]: input });
  const embeddings = output[sessions.embed.outputNames[0]];
  return embeddings.type === 'float32' ? embeddings : new ort.Tensor('float32', readFloat32(embeddings), embeddings.dims);
}

/**
 * Embeds the prompt and writes the image features, in order, over the rows of the `<image>` placeholder tokens.
 * Throws when the prompt holds a different number of placeholders than there are features.
 */
export async function embedPrompt(
  sessions: PaliGemmaSessions,
  promptIds: readonly number[],
  image: ImageFeatures,
  imageTokenId: number,
): Promise<ort.Tensor> {
  const embeddings = await embedTokens(sessions, promptIds);
  const width = embeddings.dims[2];
  if (width !== image.width) throw new Error(`image features are ${image.width} wide but token embeddings ${width}`);
  const data = embeddings.data as Float32Array;
  let row = 0;
  promptIds.forEach((id, position) => {
    if (id !== imageTokenId) return;
    if (row < image.rows) data.set(image.data.subarray(row * width, (row + 1) * width), position * width);
    row++;
  });
  if (row !== image.rows) throw new Error(`prompt has ${row} <image> tokens but the image gives ${image.rows} features`);
  return embeddings;
}
