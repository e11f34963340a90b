/**
 * The decoder's convolutions on channels-last (HWC) float32 tensors, in gather form: each output pixel sums the
 * input pixels that reach it. Inputs after a ReLU are about half zeros, so each input pixel's non-zero channels are
 * listed once and only those are multiplied, four at a time.
 */

/** A channels-last feature map (not an ONNX tensor): `data[(y * width + x) * channels + c]`. */
export interface FeatureMap {
  height: number;
  width: number;
  channels: number;
  data: Float32Array;
}

/**
 * A convolution prepared for the gather loop: `weights[(tap * inChannels + i) * outChannels + o]`, and for each
 * output pixel the `(input pixel, tap)` pairs that reach it.
 */
export interface GatherConv {
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outChannels: number;
  outHeight: number;
  outWidth: number;
  weights: Float32Array;
  bias: Float32Array;
  /** `links[start[p] .. start[p + 1])` are pairs `inputPixel, tap` for output pixel `p`, flattened. */
  links: Int32Array;
  start: Int32Array;
}

/**
 * A `Conv2d(kernel, padding = (kernel − 1) / 2, stride 1)` on an `height × width` input, from PyTorch's
 * `[out, in, kh, kw]` weight.
 * @example prepareConv(weight, bias, 128, 128, 3, 4, 4)
 */
export function prepareConv(
  weight: Float32Array, bias: Float32Array, outChannels: number, inChannels: number, kernel: number, height: number, width: number,
): GatherConv {
  const weights = new Float32Array(kernel * kernel * inChannels * outChannels);
  for (let o = 0; o < outChannels; o += 1) {
    for (let i = 0; i < inChannels; i += 1) {
      for (let tap = 0; tap < kernel * kernel; tap += 1) {
        weights[(tap * inChannels + i) * outChannels + o] = weight[(o * inChannels + i) * kernel * kernel + tap];
      }
    }
  }
  const pad = (kernel - 1) / 2;
  return withLinks(weights, bias, { height, width, channels: inChannels }, outChannels, height, width, (y, x, link) => {
    for (let ky = 0; ky < kernel; ky += 1) {
      for (let kx = 0; kx < kernel; kx += 1) {
        const iy = y + ky - pad;
        const ix = x + kx - pad;
        if (iy >= 0 && iy < height && ix >= 0 && ix < width) link(iy * width + ix, ky * kernel + kx);
      }
    }
  });
}

/**
 * A `ConvTranspose2d(4, stride 2, padding 1)` on an `height × width` input (output `2·height × 2·width`), from
 * PyTorch's `[in, out, 4, 4]` weight. Output row `y` takes input row `iy` through tap `ky` when `y = 2·iy − 1 + ky`.
 * @example prepareUpsample(weight, bias, 128, 64, 8, 8)
 */
export function prepareUpsample(
  weight: Float32Array, bias: Float32Array, inChannels: number, outChannels: number, height: number, width: number,
): GatherConv {
  const kernel = 4;
  const stride = 2;
  const padding = 1;
  const weights = new Float32Array(kernel * kernel * inChannels * outChannels);
  for (let i = 0; i < inChannels; i += 1) {
    for (let o = 0; o < outChannels; o += 1) {
      for (let tap = 0; tap < kernel * kernel; tap += 1) {
        weights[(tap * inChannels + i) * outChannels + o] = weight[(i * outChannels + o) * kernel * kernel + tap];
      }
    }
  }
  const input = { height, width, channels: inChannels };
  return withLinks(weights, bias, input, outChannels, height * stride, width * stride, (y, x, link) => {
    for (let ky = 0; ky < kernel; ky += 1) {
      const rowOffset = y + padding - ky;
      if (rowOffset % stride !== 0) continue;
      const iy = rowOffset / stride;
      if (iy < 0 || iy >= height) continue;
      for (let kx = 0; kx < kernel; kx += 1) {
        const columnOffset = x + padding - kx;
        if (columnOffset % stride !== 0) continue;
        const ix = columnOffset / stride;
        if (ix >= 0 && ix < width) link(iy * width + ix, ky * kernel + kx);
      }
    }
  });
}

function withLinks(
  weights: Float32Array, bias: Float32Array, input: { height: number; width: number; channels: number },
  outChannels: number, outHeight: number, outWidth: number,
  visit: (y: number, x: number, link: (inputPixel: number, tap: number) => void) => void,
): GatherConv {
  const links: number[] = [];
  const start = new Int32Array(outHeight * outWidth + 1);
  for (let y = 0; y < outHeight; y += 1) {
    for (let x = 0; x < outWidth; x += 1) {
      visit(y, x, (inputPixel, tap) => links.push(inputPixel, tap));
      start[y * outWidth + x + 1] = links.length;
    }
  }
  return {
    inHeight: input.height, inWidth: input.width, inChannels: input.channels, outChannels, outHeight, outWidth,
    weights, bias: Float32Array.from(bias), links: Int32Array.from(links), start,
  };
}

/** Runs one prepared convolution on a tensor; `relu` clamps the result at zero. */
export interface ConvRunner {
  run(conv: GatherConv, input: FeatureMap, relu: boolean): FeatureMap;
}

/**
 * The portable runner: plain TypeScript, used where WebAssembly SIMD is unavailable.
 * @example const hidden = createScalarConvRunner().run(prepared, input, true)
 */
export function createScalarConvRunner(): ConvRunner {
  const scratch = new ConvScratch();
  return { run: (conv, input, relu) => runConv(conv, input, relu, scratch) };
}

/** Scratch buffers reused across calls, sized for the widest layer. */
class ConvScratch {
  values: Float32Array = new Float32Array(0);
  channels: Int32Array = new Int32Array(0);
  counts: Int32Array = new Int32Array(0);
  sums: Float64Array = new Float64Array(0);

  ensure(pixels: number, inChannels: number, outChannels: number): void {
    if (this.values.length < pixels * inChannels) {
      this.values = new Float32Array(pixels * inChannels);
      this.channels = new Int32Array(pixels * inChannels);
    }
    if (this.counts.length < pixels) this.counts = new Int32Array(pixels);
    if (this.sums.length < outChannels) this.sums = new Float64Array(outChannels);
  }
}

function runConv(conv: GatherConv, input: FeatureMap, relu: boolean, scratch: ConvScratch): FeatureMap {
  const { inChannels, outChannels, weights, bias, links, start } = conv;
  const pixels = input.height * input.width;
  scratch.ensure(pixels, inChannels, outChannels);
  const { values, channels, counts, sums } = scratch;
  // List each input pixel's non-zero channels once; every output pixel reading it reuses the list.
  const source = input.data;
  for (let pixel = 0; pixel < pixels; pixel += 1) {
    let count = 0;
    const base = pixel * inChannels;
    for (let i = 0; i < inChannels; i += 1) {
      const value = source[base + i];
      if (value !== 0) {
        values[base + count] = value;
        channels[base + count] = i * outChannels;
        count += 1;
      }
    }
    counts[pixel] = count;
  }
  const output = new Float32Array(conv.outHeight * conv.outWidth * outChannels);
  const tapStride = inChannels * outChannels;
  for (let pixel = 0; pixel < conv.outHeight * conv.outWidth; pixel += 1) {
    for (let o = 0; o < outChannels; o += 1) sums[o] = bias[o];
    for (let link = start[pixel]; link < start[pixel + 1]; link += 2) {
      const inputPixel = links[link];
      const tapBase = links[link + 1] * tapStride;
      const base = inputPixel * inChannels;
      const end = base + counts[inputPixel];
      let j = base;
      for (; j + 3 < end; j += 4) {
        const v0 = values[j];
        const v1 = values[j + 1];
        const v2 = values[j + 2];
        const v3 = values[j + 3];
        const w0 = tapBase + channels[j];
        const w1 = tapBase + channels[j + 1];
        const w2 = tapBase + channels[j + 2];
        const w3 = tapBase + channels[j + 3];
        for (let o = 0; o < outChannels; o += 1) {
          sums[o] += v0 * weights[w0 + o] + v1 * weights[w1 + o] + v2 * weights[w2 + o] + v3 * weights[w3 + o];
        }
      }
      for (; j < end; j += 1) {
        const v = values[j];
        const w = tapBase + channels[j];
        for (let o = 0; o < outChannels; o += 1) sums[o] += v * weights[w + o];
      }
    }
    const outBase = pixel * outChannels;
    for (let o = 0; o < outChannels; o += 1) output[outBase + o] = relu && sums[o] < 0 ? 0 : sums[o];
  }
  return { height: conv.outHeight, width: conv.outWidth, channels: outChannels, data: output };
}
