/** Parsers that turn PaliGemma's answers into typed results. */
export { LOCATION_BINS, locationsToBox } from './loc-box.js';
export { parseDetections } from './parse-detections.js';
export { type ParsedSegment, SEGMENT_CODES_PER_OBJECT, parseSegments } from './parse-segments.js';
