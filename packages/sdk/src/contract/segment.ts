/** `POST /v1/segment`: object masks and polygons for the given labels. */
import * as z from 'zod';
import { DetectOptionsSchema, LabelsSchema } from './detect.js';
import { BoxSchema, PolygonsSchema, RleMaskSchema } from './geometry.js';
import { ImageSizeSchema, ImageSourceSchema } from './image.js';
import { UsageSchema } from './usage.js';

export const SegmentOptionsSchema = DetectOptionsSchema;
export type SegmentOptions = z.infer<typeof SegmentOptionsSchema>;

export const SegmentRequestSchema = SegmentOptionsSchema.extend({ image: ImageSourceSchema, labels: LabelsSchema });
export type SegmentRequest = z.infer<typeof SegmentRequestSchema>;

export const SegmentedObjectSchema = z.looseObject({
  label: z.string(),
  box: BoxSchema,
  /** The 16 VQ-VAE codes (0..127) the model emitted, row-major over a 4×4 grid. */
  codes: z.array(z.number().int().min(0).max(127)).length(16),
  /** Binary mask at the original image size. */
  mask: RleMaskSchema,
  polygons: PolygonsSchema,
});
export type SegmentedObject = z.infer<typeof SegmentedObjectSchema>;

export const SegmentResultSchema = z.looseObject({
  objects: z.array(SegmentedObjectSchema),
  image: ImageSizeSchema,
  raw: z.string(),
  usage: UsageSchema,
});
export type SegmentResult = z.infer<typeof SegmentResultSchema>;
