/** Statuses every model route (ours and the OpenAI-compatible one) may answer besides 200: one list for both parts of the OpenAPI document. */
export const MODEL_ROUTE_ERROR_STATUSES: Record<number, string> = {
  400: 'invalid_request (param names the field) or url_forbidden',
  401: 'unauthorized (when API keys are configured)',
  413: 'payload_too_large or image_too_large',
  415: 'unsupported_media_type',
  422: 'invalid_image, limit_exceeded or url_fetch_failed',
  429: 'rate_limited (see Retry-After)',
  500: 'internal_error',
  502: 'bad_gateway: the remote engine answered an error (when PALIGEMMA_ENGINE_URL is set)',
  503: 'model_not_ready or unavailable (see Retry-After when the remote engine cannot be reached)',
  504: 'deadline_exceeded',
};
