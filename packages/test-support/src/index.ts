/**
 * `@paligemma/test-support`: what the packages' tests share — the repository's fixtures (tiny model, PyTorch
 * references, images), a random-weight `vae-oid.npz` in big_vision's layout, and a stand-in for the Hugging Face hub.
 * Private to the workspace, never published.
 */
export { IMAGES_DIR, REFERENCE_DIR, type ReferenceCase, TINY_MODEL_DIR, fixtureImage, readReference, readReferencePixels } from './fixtures.js';
export { type LocalHub, startLocalHub } from './local-hub.js';
export { type RandomVaeOptions, type TestArray, encodeNpy, encodeNpz, randomVaeArrays, writeRandomVae } from './write-random-vae.js';
export { exportedNames } from './exported-names.js';
export { type FindChromiumOptions, findChromium } from './find-chromium.js';
