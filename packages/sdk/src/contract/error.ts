/** The error body every non-2xx JSON response carries. */
import * as z from 'zod';

/** Machine-readable error codes; the HTTP status says the class, the code says the reason. */
export const ERROR_CODES = [
  'invalid_request', // 400: malformed JSON, wrong types, missing fields
  'unauthorized', // 401
  'not_found', // 404
  'request_timeout', // 408
  'payload_too_large', // 413: body or image bytes over the limit
  'unsupported_media_type', // 415: not an image format we decode
  'invalid_image', // 422: recognised format but undecodable / truncated
  'image_too_large', // 413: pixel count over the limit
  'limit_exceeded', // 422: a semantic limit such as maxNewTokens or label count
  'url_forbidden', // 400: URL refused by the SSRF guard
  'url_fetch_failed', // 422: the image URL could not be fetched
  'rate_limited', // 429: the queue is full
  'client_closed', // 499
  'internal_error', // 500
  'bad_gateway', // 502: the remote engine answered an error or an answer that cannot be read
  'model_not_ready', // 503
  'unavailable', // 503: shutting down, segmentation without its mask decoder, the remote engine unreachable
  'deadline_exceeded', // 504
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ErrorBodySchema = z.looseObject({
  error: z.looseObject({
    /** One of {@link ERROR_CODES}; clients should tolerate codes added later. */
    code: z.string(),
    message: z.string(),
    requestId: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
