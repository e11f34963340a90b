/** The API routes the gateway forwards, each with the contract schema the edge validates its body against. */
import {
  AskRequestSchema, CaptionRequestSchema, DetectRequestSchema, GenerateRequestSchema, SegmentRequestSchema,
} from '@paligemma/sdk/contract';
import type { z } from 'zod';

/** Request schemas by path: the same ones the Node server's routes use, so both ends accept the same bodies. */
export const EDGE_ROUTES: Record<string, z.ZodObject<{ image: z.ZodType } & z.ZodRawShape>> = {
  '/v1/caption': CaptionRequestSchema,
  '/v1/ask': AskRequestSchema,
  '/v1/detect': DetectRequestSchema,
  '/v1/segment': SegmentRequestSchema,
  '/v1/generate': GenerateRequestSchema,
};
