/** `POST /v1/detect`: object boxes for the given labels. */
import * as z from 'zod';
import { BoxSchema } from './geometry.js';
import { ImageSizeSchema, ImageSourceSchema } from './image.js';
import { LabelSchema } from './text-rules.js';
import { SamplingOptionsSchema } from './sampling.js';
import { MaxNewTokensSchema, UsageSchema } from './usage.js';

/** The labels of a detect/segment request: at least one; the server caps how many. */
export const LabelsSchema = z.array(LabelSchema).min(1, 'labels must list at least one label');

export const DetectOptionsSchema = z.strictObject({ maxNewTokens: MaxNewTokensSchema.optional(), ...SamplingOptionsSchema.shape });
export type DetectOptions = z.infer<typeof DetectOptionsSchema>;

export const DetectRequestSchema = DetectOptionsSchema.extend({ image: ImageSourceSchema, labels: LabelsSchema });
export type DetectRequest = z.infer<typeof DetectRequestSchema>;

export const DetectedObjectSchema = z.looseObject({ label: z.string(), box: BoxSchema });
export type DetectedObject = z.infer<typeof DetectedObjectSchema>;

export const DetectResultSchema = z.looseObject({
  objects: z.array(DetectedObjectSchema),
  image: ImageSizeSchema,
  /** The model's text, kept so callers can see what was dropped as malformed. */
  raw: z.string(),
  usage: UsageSchema,
});
export type DetectResult = z.infer<typeof DetectResultSchema>;
