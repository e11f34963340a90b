/** Image intake: data URIs, base64, uploads and SSRF-guarded URLs, checked by magic bytes and pixel count. */
export { forbiddenAddressReason } from './address-policy.js';
export { decodeImageData } from './decode-image-data.js';
export { type FetchImageOptions, type ResolvedAddress, fetchImageSafely } from './fetch-image-safely.js';
export type { ImageIntake, ImageIntakeConfig } from './image-intake.js';
export { type InspectedImage, inspectImage } from './inspect-image.js';
export { createNodeImageIntake } from './node-image-intake.js';
export { type ImageType, sniffImageType } from './sniff-image-type.js';
