/** `@paligemma/core/mask`: segmentation masks — PaliGemma's VQ-VAE decoder, pasting into the box, RLE and polygons. */
export { type NpyArray, type ReadNpzOptions, readNpy, readNpz } from './vae/npz.js';
export { VaeFormatError, VaeUnavailableError } from './vae/vae-errors.js';
export { type VaeWeights, vaeWeightsFromArrays } from './vae/vae-weights.js';
export { type VaeDecoder, type VaeDecoderOptions, createVaeDecoder, loadVae } from './vae/vae.js';
export { VAE_CODES_PER_MASK, VAE_MASK_SIZE } from './vae/vae-shape.js';
export { MAX_VAE_DOWNLOAD_BYTES, VAE_FILE_NAME, VAE_URL, type ResolveVaeOptions, resolveVaePath } from './vae/vae-location.js';
export { openVae } from './vae/open-vae.js';
export { type PixelWindow, type WindowMask, boxToPixelWindow, maskInBox, pasteMask } from './geometry/paste-mask.js';
export { encodeWindowRle } from './geometry/window-rle.js';
export { DEFAULT_POLYGON_TOLERANCE, type MaskToPolygonsOptions, maskToPolygons } from './geometry/polygons.js';
export { simplifyPolygon } from './geometry/simplify-polygon.js';
export { fillPolygons } from './geometry/fill-polygons.js';
export { type MasksForSegmentsOptions, masksForSegments } from './masks-for-segments.js';
