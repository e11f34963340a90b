/** Every name each public entry of @paligemma/sdk exports: an addition (or a leak) shows up here as a failure. */
import { fileURLToPath } from 'node:url';
import { exportedNames } from '@paligemma/test-support';
import { describe, expect, it } from 'vitest';

const source = (path: string) => fileURLToPath(new URL(`../src/${path}`, import.meta.url));

describe('public entries of @paligemma/sdk', () => {
  it('`.`: the client, its errors, the helpers apps call, and types — no schemas, no internals', () => {
    expect(exportedNames(source('index.ts'))).toEqual([
      'APIError', 'APIPromise', 'AbortError', 'AskOptions', 'AskResult', 'AuthenticationError', 'Box', 'CallOptions', 'CaptionOptions',
      'CaptionResult', 'ClientOptions', 'ConnectionError', 'DetectOptions', 'DetectResult', 'DetectedObject', 'DoneEvent', 'ErrorBody',
      'ErrorCode', 'GenerateOptions', 'GenerateResult', 'GenerateStream', 'ImageDataSource', 'ImageInput', 'ImageSize', 'ImageSource',
      'ImageUrlSource', 'InvalidRequestError', 'LanguageCode', 'PaliGemma', 'PaliGemmaError', 'PaliGemmaTasks', 'Polygons', 'RateLimitError',
      'RequestOptions', 'ResponseValidationError', 'RleMask', 'SegmentOptions', 'SegmentResult', 'SegmentedObject', 'ServerError',
      'TaskInput', 'TaskName', 'TaskResult', 'TimeoutError', 'TokenEvent', 'TokenStream', 'Usage', 'WithResponse', 'XywhBox', 'boxToXywh',
      'decodeRle', 'encodeRle', 'polygonsToSvgPath',
    ]);
  });

  it('`./node`: fromFile', () => {
    expect(exportedNames(source('node/index.ts'))).toEqual(['fromFile']);
  });

  it('`./internal`: the pure helpers core and the server share (no stability promise)', () => {
    expect(exportedNames(source('internal/index.ts'))).toEqual([
      'ImageDataError', 'ImageFormat', 'ImageInput', 'ImageInputKind', 'RleRuns', 'SUPPORTED_IMAGE_INPUTS', 'ServerSentEvent',
      'UNSUPPORTED_IMAGE_MESSAGE', 'classifyImageInput', 'decodeImageData', 'describeError', 'encodeBase64', 'processEnvironment',
      'readEnvironment', 'readServerSentEvents', 'retryDelayMs', 'sleep', 'sniffImageFormat',
    ]);
  });

  it('`./contract`: the schemas and their types (native and OpenAI-compatible), the route table, the text rules; nothing of the client', () => {
    expect(exportedNames(source('contract/index.ts'))).toEqual([
      'AskOptions', 'AskOptionsSchema', 'AskRequest', 'AskRequestSchema', 'AskResult', 'AskResultSchema', 'Box', 'BoxSchema',
      'CHAT_ROLES', 'CallOptions', 'CaptionOptions', 'CaptionOptionsSchema', 'CaptionRequest', 'CaptionRequestSchema', 'CaptionResult',
      'CaptionResultSchema', 'ChatCompletion', 'ChatCompletionChunk', 'ChatCompletionChunkSchema', 'ChatCompletionMessageSchema',
      'ChatCompletionRequest', 'ChatCompletionRequestSchema', 'ChatCompletionSchema', 'ChatCompletionUsage', 'ChatCompletionUsageSchema',
      'ChatContentPart', 'ChatContentPartSchema', 'ChatFinishReasonSchema', 'ChatImagePartSchema', 'ChatMessage', 'ChatMessageSchema',
      'ChatTextPartSchema', 'DetectOptions', 'DetectOptionsSchema', 'DetectRequest', 'DetectRequestSchema', 'DetectResult',
      'DetectResultSchema', 'DetectedObject', 'DetectedObjectSchema', 'DoneEvent', 'DoneEventSchema', 'ERROR_CODES', 'ErrorBody',
      'ErrorBodySchema', 'ErrorCode', 'GenerateOptions', 'GenerateOptionsSchema', 'GenerateRequest', 'GenerateRequestSchema',
      'GenerateResult', 'GenerateResultSchema', 'ImageDataSource', 'ImageDataSourceSchema', 'ImageSize', 'ImageSizeSchema', 'ImageSource',
      'ImageSourceSchema', 'ImageUrlSource', 'ImageUrlSourceSchema', 'LANGUAGE_CODES', 'LabelSchema', 'LabelsSchema', 'LanguageCode',
      'LanguageCodeSchema', 'MAX_LABEL_LENGTH', 'MAX_STOP_SEQUENCES', 'MaxNewTokensSchema', 'OPENAI_ROUTES', 'OPERATIONS_ROUTES',
      'OpenAIErrorBody', 'OpenAIErrorBodySchema', 'OpenAIModel', 'OpenAIModelList', 'OpenAIModelListSchema', 'OpenAIModelSchema',
      'OpenAIRoute', 'OperationsRoute', 'PaliGemmaMessageExtension', 'PaliGemmaMessageExtensionSchema', 'PaliGemmaTasks', 'Polygons',
      'PolygonsSchema', 'PromptSchema', 'QuestionSchema', 'ROUTE_KEYS', 'RleMask', 'RleMaskSchema', 'SamplingOptions',
      'SamplingOptionsSchema', 'SegmentOptions', 'SegmentOptionsSchema', 'SegmentRequest', 'SegmentRequestSchema', 'SegmentResult',
      'SegmentResultSchema', 'SegmentedObject', 'SegmentedObjectSchema', 'TASK_ROUTES', 'TaskInput', 'TaskName', 'TaskResult',
      'TaskRoute', 'TokenEvent', 'TokenEventSchema', 'TokenStream', 'Usage', 'UsageSchema', 'isLanguageCode', 'labelProblem',
      'promptTextProblem',
    ]);
  });
});
