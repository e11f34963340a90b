/** Placeholder seam to the segmentation module (replaced when masks land). */
import type { ImageSize, SegmentedObject } from '@paligemma/sdk';
import type { ParsedSegment } from './parse/index.js';

export interface SegmentMasks {
  masksFor(segments: ParsedSegment[], image: ImageSize): SegmentedObject[];
}

export async function loadSegmentMasks(_options: { vae?: string; cacheDir?: string; signal?: AbortSignal }): Promise<SegmentMasks> {
  throw new Error('segmentation masks are not available yet');
}
