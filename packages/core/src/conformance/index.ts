/** `@paligemma/core/conformance`: checks a PaliGemma export token for token against PyTorch reference outputs. */
export { LocalEngine } from '../engine/local-engine.js';
export { type ComparePixelsOptions, type PixelDifference, comparePixels } from './compare-pixels.js';
export { type ReferenceCase, type ReferenceFile, readReferenceFile } from './reference-file.js';
export { type CaseResult, type ConformanceOptions, runConformance } from './run-conformance.js';
