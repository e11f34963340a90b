/**
 * Test helper: a second, deliberately naive VQ-VAE decoder written straight from PyTorch's definitions — channels
 * first, float64, transposed convolutions in scatter form (each input pixel adds its 4×4 footprint to the output) —
 * to check the product decoder, which gathers over channels-last float32 tensors.
 */
import type { TestArray } from '@paligemma/test-support';

/** A channels-first float64 tensor `[channels][height][width]`. */
interface Planes {
  channels: number;
  size: number;
  data: Float64Array;
}

/**
 * 64×64 logits for 16 codes from the raw npz arrays (keys as in `vae-oid.npz`).
 * @example referenceDecode(readNpz(bytes), codes)
 */
export function referenceDecode(arrays: Map<string, TestArray>, codes: number[]): Float64Array {
  const array = (key: string) => {
    const found = arrays.get(key);
    if (!found) throw new Error(`missing ${key}`);
    return found;
  };
  const embedding = array('_vq_vae._embedding');
  const dim = embedding.shape[1];
  // Codes fill a 4×4 grid row by row; the codebook vectors become the channels.
  let x: Planes = { channels: dim, size: 4, data: new Float64Array(dim * 16) };
  codes.forEach((code, cell) => {
    for (let d = 0; d < dim; d += 1) x.data[d * 16 + cell] = embedding.data[code * dim + d];
  });
  const conv = (input: Planes, name: string) => directConv(input, array(`${name}.weight`), array(`${name}.bias`));
  x = relu(conv(x, 'decoder.0'));
  for (const block of ['decoder.2.net', 'decoder.3.net']) {
    const branch = conv(relu(conv(relu(conv(x, `${block}.0`)), `${block}.2`)), `${block}.4`);
    x = { ...x, data: x.data.map((value, index) => value + branch.data[index]) };
  }
  for (const name of ['decoder.4', 'decoder.6', 'decoder.8', 'decoder.10']) {
    x = relu(scatterTransposedConv(x, array(`${name}.weight`), array(`${name}.bias`)));
  }
  return conv(x, 'decoder.12').data;
}

/** `Conv2d` with stride 1 and padding `(k − 1) / 2`: out[o][y][x] = b[o] + Σ in[i][y+ky−p][x+kx−p] · w[o][i][ky][kx]. */
function directConv(input: Planes, weight: TestArray, bias: TestArray): Planes {
  const [outChannels, inChannels, kernel] = weight.shape;
  const pad = (kernel - 1) / 2;
  const size = input.size;
  const out = new Float64Array(outChannels * size * size);
  for (let o = 0; o < outChannels; o += 1) {
    for (let y = 0; y < size; y += 1) {
      for (let x = 0; x < size; x += 1) {
        let sum = bias.data[o];
        for (let i = 0; i < inChannels; i += 1) {
          for (let ky = 0; ky < kernel; ky += 1) {
            for (let kx = 0; kx < kernel; kx += 1) {
              const iy = y + ky - pad;
              const ix = x + kx - pad;
              if (iy < 0 || ix < 0 || iy >= size || ix >= size) continue;
              sum += input.data[(i * size + iy) * size + ix] * weight.data[((o * inChannels + i) * kernel + ky) * kernel + kx];
            }
          }
        }
        out[(o * size + y) * size + x] = sum;
      }
    }
  }
  return { channels: outChannels, size, data: out };
}

/**
 * `ConvTranspose2d(4, stride 2, padding 1)` by definition: input pixel (iy, ix) adds `in · w[i][o][ky][kx]` to output
 * (2·iy − 1 + ky, 2·ix − 1 + kx), and what lands outside the output (the padding) is dropped.
 */
function scatterTransposedConv(input: Planes, weight: TestArray, bias: TestArray): Planes {
  const [inChannels, outChannels, kernel] = weight.shape;
  const size = input.size * 2;
  const out = new Float64Array(outChannels * size * size);
  for (let o = 0; o < outChannels; o += 1) out.fill(bias.data[o], o * size * size, (o + 1) * size * size);
  for (let i = 0; i < inChannels; i += 1) {
    for (let iy = 0; iy < input.size; iy += 1) {
      for (let ix = 0; ix < input.size; ix += 1) {
        const value = input.data[(i * input.size + iy) * input.size + ix];
        for (let o = 0; o < outChannels; o += 1) {
          for (let ky = 0; ky < kernel; ky += 1) {
            const y = 2 * iy - 1 + ky;
            if (y < 0 || y >= size) continue;
            for (let kx = 0; kx < kernel; kx += 1) {
              const x = 2 * ix - 1 + kx;
              if (x < 0 || x >= size) continue;
              out[(o * size + y) * size + x] += value * weight.data[((i * outChannels + o) * kernel + ky) * kernel + kx];
            }
          }
        }
      }
    }
  }
  return { channels: outChannels, size, data: out };
}

function relu(planes: Planes): Planes {
  return { ...planes, data: planes.data.map((value) => Math.max(0, value)) };
}
