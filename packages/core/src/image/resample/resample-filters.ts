/** The resampling filters we reproduce from Pillow (`libImaging/Resample.c`), keyed by name. */

/** A separable filter: its kernel and the radius (in source pixels at scale 1) outside which it is zero. */
export interface ResampleFilter {
  support: number;
  kernel: (x: number) => number;
}

/** Pillow's cubic uses a = −0.5 (Keys' kernel), not the a = −0.75 some other libraries pick. */
const CUBIC_A = -0.5;

/**
 * Filters by name. Only the two that PaliGemma-family processors ask for; the kernels are written with Pillow's
 * operation order so the doubles they produce are the same bits.
 * @example RESAMPLE_FILTERS.bicubic.kernel(0.5) // 0.5625
 */
export const RESAMPLE_FILTERS = {
  bicubic: {
    support: 2,
    kernel: (x: number): number => {
      const distance = x < 0 ? -x : x;
      if (distance < 1) return ((CUBIC_A + 2) * distance - (CUBIC_A + 3)) * distance * distance + 1;
      if (distance < 2) return (((distance - 5) * distance + 8) * distance - 4) * CUBIC_A;
      return 0;
    },
  },
  bilinear: {
    support: 1,
    kernel: (x: number): number => {
      const distance = x < 0 ? -x : x;
      return distance < 1 ? 1 - distance : 0;
    },
  },
} satisfies Record<string, ResampleFilter>;

export type ResampleFilterName = keyof typeof RESAMPLE_FILTERS;
