/** Runs the decoder's prepared convolutions with the WebAssembly SIMD kernels of `vae-kernels.wat`. */
import { VAE_KERNELS_WASM_BASE64 } from './vae-kernels-wasm.js';
import type { ConvRunner, GatherConv } from './vae-layers.js';
import { lazyWasmModule } from '../../internal/lazy-wasm-module.js';

interface Kernels {
  compact(input: number, pixels: number, inChannels: number, outBytes: number, values: number, offsets: number, counts: number): void;
  conv(
    pixels: number, outBytes: number, inChannels: number, weights: number, bias: number, links: number, starts: number,
    values: number, offsets: number, counts: number, output: number, relu: number,
  ): void;
}

/** Where one convolution's constants live in the WebAssembly memory. */
interface Placement {
  weights: number;
  bias: number;
  links: number;
  starts: number;
}

const PAGE_BYTES = 65536;
/** The kernel works on blocks of 16 output channels (four f32x4; 32 where it can), so widths must be multiples of 16. */
const CHANNEL_BLOCK = 16;
/** v128 loads are fastest 16-byte aligned. */
const ALIGNMENT = 16;

/** The compiled kernels, or `null` where WebAssembly or its SIMD extension is unavailable. */
const kernelsModule = lazyWasmModule(VAE_KERNELS_WASM_BASE64);

/**
 * A runner holding `convs`' weights in WebAssembly memory, or `null` where SIMD WebAssembly is unavailable or a
 * layer's output width is not a multiple of 16.
 * @example const runner = createSimdConvRunner(layers) ?? scalarRunner
 */
export function createSimdConvRunner(convs: GatherConv[]): ConvRunner | null {
  const module = kernelsModule();
  if (!module || convs.some((conv) => conv.outChannels % CHANNEL_BLOCK !== 0)) return null;
  let size = 0;
  const reserve = (bytes: number) => {
    const address = size;
    size += Math.ceil(bytes / ALIGNMENT) * ALIGNMENT;
    return address;
  };
  const placements = new Map<GatherConv, Placement>();
  for (const conv of convs) {
    placements.set(conv, {
      weights: reserve(conv.weights.byteLength),
      bias: reserve(conv.bias.byteLength),
      links: reserve(conv.links.byteLength),
      starts: reserve(conv.start.byteLength),
    });
  }
  const largestInput = Math.max(...convs.map((conv) => conv.inHeight * conv.inWidth * conv.inChannels));
  const largestOutput = Math.max(...convs.map((conv) => conv.outHeight * conv.outWidth * conv.outChannels));
  const largestPixels = Math.max(...convs.map((conv) => conv.inHeight * conv.inWidth));
  const input = reserve(largestInput * 4);
  const values = reserve(largestInput * 4);
  const offsets = reserve(largestInput * 4);
  const counts = reserve(largestPixels * 4);
  const output = reserve(largestOutput * 4);
  const memory = new WebAssembly.Memory({ initial: Math.ceil(size / PAGE_BYTES) });
  const kernels = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Kernels;
  const floats = new Float32Array(memory.buffer);
  const integers = new Int32Array(memory.buffer);
  for (const [conv, placement] of placements) {
    floats.set(conv.weights, placement.weights / 4);
    floats.set(conv.bias, placement.bias / 4);
    const outBytes = conv.outChannels * 4;
    // The kernel reads byte offsets: the tap becomes the start of its weight block, starts become byte ranges.
    const links = Int32Array.from(conv.links, (value, index) => (index % 2 === 0 ? value : value * conv.inChannels * outBytes));
    integers.set(links, placement.links / 4);
    integers.set(Int32Array.from(conv.start, (value) => value * 4), placement.starts / 4);
  }
  return {
    run(conv, tensor, relu) {
      const placement = placements.get(conv);
      if (!placement) throw new Error('convolution was not prepared for this runner');
      if (tensor.height !== conv.inHeight || tensor.width !== conv.inWidth || tensor.channels !== conv.inChannels) {
        throw new Error('tensor does not fit the convolution');
      }
      const pixels = tensor.height * tensor.width;
      const outBytes = conv.outChannels * 4;
      floats.set(tensor.data, input / 4);
      kernels.compact(input, pixels, conv.inChannels, outBytes, values, offsets, counts);
      const outPixels = conv.outHeight * conv.outWidth;
      kernels.conv(
        outPixels, outBytes, conv.inChannels, placement.weights, placement.bias, placement.links, placement.starts,
        values, offsets, counts, output, relu ? 1 : 0,
      );
      const data = floats.slice(output / 4, output / 4 + outPixels * conv.outChannels);
      return { height: conv.outHeight, width: conv.outWidth, channels: conv.outChannels, data };
    },
  };
}
