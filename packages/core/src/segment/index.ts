/** Segmentation masks: PaliGemma's VQ-VAE decoder, pasting into the box, RLE and polygons. */
export { type NpyArray, type ReadNpzOptions, readNpy, readNpz } from './npz.js';
export { VaeFormatError, VaeUnavailableError } from './vae-errors.js';
export { type VaeWeights, vaeWeightsFromArrays } from './vae-weights.js';
export {
  VAE_CODES_PER_MASK, VAE_MASK_SIZE, type VaeDecoder, type VaeDecoderOptions, createVaeDecoder, loadVae,
} from './vae.js';
export { MAX_VAE_DOWNLOAD_BYTES, VAE_FILE_NAME, VAE_URL, type ResolveVaeOptions, resolveVaePath } from './vae-location.js';
export { openVae } from './open-vae.js';
export { type PixelWindow, type WindowMask, boxToPixelWindow, maskInBox, pasteMask } from './paste-mask.js';
export { encodeWindowRle } from './window-rle.js';
export { DEFAULT_POLYGON_TOLERANCE, type MaskToPolygonsOptions, maskToPolygons } from './polygons.js';
export { simplifyPolygon } from './simplify-polygon.js';
export { fillPolygons } from './fill-polygons.js';
export { type MasksForSegmentsOptions, type SegmentToMask, masksForSegments } from './segment-objects.js';
