/** Reads a task request from a JSON body or a multipart upload and validates it with the contract schema. */
import type { Context } from 'hono';
import { type ImageSource, SamplingOptionsSchema } from '@paligemma/sdk/contract';
import * as z from 'zod';
import { ServiceError } from '../errors/service-error.js';
import type { ImageReference } from '../image/image-reference.js';
import { describeIssues } from './describe-issues.js';

/** Form fields that arrive as text but are numbers or booleans in the schema. */
const NUMERIC_FIELDS = new Set(['maxNewTokens', ...Object.keys(SamplingOptionsSchema.shape)]);
const BOOLEAN_FIELDS = new Set(['stream']);
/** Form fields that are lists: repeated fields, or one field holding a JSON array. */
const LIST_FIELDS = new Set(['labels']);

/** Schemas of the v1 task requests: each is a strict object with an `image` field. */
type TaskRequestSchema = z.ZodObject<{ image: z.ZodType } & z.ZodRawShape>;

/**
 * The validated request without its image, and where the image is. 400 `invalid_request` names the field.
 * @example const { request, image } = await readTaskRequest(c, CaptionRequestSchema)
 */
export async function readTaskRequest<Schema extends TaskRequestSchema>(
  c: Context,
  schema: Schema,
): Promise<{ request: Omit<z.output<Schema>, 'image'>; image: ImageReference }> {
  const contentType = c.req.header('Content-Type') ?? '';
  if (/^multipart\/form-data/i.test(contentType)) return readMultipart(c, schema);
  const body = await readJsonBody(c, 'send the request as application/json, or as multipart/form-data with the image in a file field "image"');
  const { image, ...request } = parseWith(schema, body) as z.output<Schema> & { image: ImageSource };
  return { request, image };
}

/**
 * A JSON request body: 400 `invalid_request` with `wrongTypeMessage` when it is not sent as JSON, or when it does not parse.
 * @example const body = await readJsonBody(c, 'send the request as application/json')
 */
export async function readJsonBody(c: Context, wrongTypeMessage: string): Promise<unknown> {
  if (!/^application\/(?:[\w.+-]+\+)?json/i.test(c.req.header('Content-Type') ?? '')) throw new ServiceError('invalid_request', wrongTypeMessage);
  try {
    return await c.req.json();
  } catch (error) {
    throw new ServiceError('invalid_request', 'request body is not valid JSON', { cause: error });
  }
}

async function readMultipart<Schema extends TaskRequestSchema>(
  c: Context,
  schema: Schema,
): Promise<{ request: Omit<z.output<Schema>, 'image'>; image: ImageReference }> {
  let form: Record<string, string | File | Array<string | File>>;
  try {
    form = await c.req.parseBody({ all: true });
  } catch (error) {
    throw new ServiceError('invalid_request', 'multipart body could not be parsed', { cause: error });
  }
  const file = form.image;
  if (!(file instanceof File)) {
    throw new ServiceError('invalid_request', 'image: a multipart request needs one file field named "image"');
  }
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(form)) {
    if (name === 'image') continue;
    if (Array.isArray(value) ? value.some((item) => item instanceof File) : value instanceof File) {
      throw new ServiceError('invalid_request', `${name}: only the "image" field may be a file`);
    }
    fields[name] = formValue(name, value as string | string[]);
  }
  const request = parseWith(schema.omit({ image: true }), fields) as Omit<z.output<Schema>, 'image'>;
  return { request, image: { upload: new Uint8Array(await file.arrayBuffer()) } };
}

/** A form field as the schema expects it: numbers and booleans from text, lists from repeats or JSON. */
function formValue(name: string, value: string | string[]): unknown {
  if (LIST_FIELDS.has(name)) {
    const values = Array.isArray(value) ? value : [value];
    if (values.length === 1 && values[0].trim().startsWith('[')) {
      try {
        return JSON.parse(values[0]);
      } catch (error) {
        throw new ServiceError('invalid_request', `${name}: not a JSON array; send repeated "${name}" fields or a JSON array`, { cause: error });
      }
    }
    return values;
  }
  if (Array.isArray(value)) return value; // the schema names the field that must not repeat
  if (NUMERIC_FIELDS.has(name) && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  if (BOOLEAN_FIELDS.has(name) && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

/**
 * Validates with a contract schema; the 400 message names the first problems and their fields, `param` the first
 * field (OpenAI's error body shows it).
 * @example const request = parseWith(ChatCompletionRequestSchema, body) as ChatCompletionRequest;
 */
export function parseWith(schema: z.ZodType, value: unknown): unknown {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const { message, param } = describeIssues(parsed.error.issues);
  throw new ServiceError('invalid_request', message, { param });
}
