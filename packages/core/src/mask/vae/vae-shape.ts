/** The VQ-VAE's input and output sizes, apart from the decoder so pure modules (mask pasting) need not load it. */

/** The decoded mask is 64×64: the 4×4 code grid upsampled 2× four times. */
export const VAE_MASK_SIZE = 64;
/** Codes per mask, a 4×4 grid in row-major order. */
export const VAE_CODES_PER_MASK = 16;
/** Codebook entries: codes are `<seg000>`..`<seg127>`. */
export const VAE_CODEBOOK_SIZE = 128;
