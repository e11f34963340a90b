/** Every name each public entry of @paligemma/core exports: an addition (or a leak) shows up here as a failure. */
import { fileURLToPath } from 'node:url';
import { exportedNames } from '@paligemma/test-support';
import { describe, expect, it } from 'vitest';

const source = (path: string) => fileURLToPath(new URL(`../src/${path}`, import.meta.url));

describe('public entries of @paligemma/core', () => {
  it.each([
    ['index.ts', [
      'BatchingOptions', 'ConnectOptions', 'CoreError', 'CoreErrorCode', 'DecodedImage', 'Device', 'DownloadProgress', 'Dtype', 'DtypeOption',
      'EngineError', 'EngineStats',
      'GenerateInput', 'GenerateOutput', 'GenerationTiming', 'ImageDecodeError', 'ImageDecodeErrorCode', 'ImageInput', 'InvalidInputError',
      'LOCATION_BINS', 'LoadOptions', 'LocalTokenStream', 'ModelLoadError', 'PaliGemma', 'ParsedSegment', 'RemoteEngineStats',
      'RunOptions', 'SEGMENT_CODES_PER_OBJECT', 'SessionTuning', 'SubModel', 'TASKS', 'TaskDefinition', 'TaskInputOf', 'TaskName', 'TaskResultOf',
      'VaeFormatError', 'VaeUnavailableError', 'buildTaskPrompt', 'fromFile', 'locationsToBox', 'parseDetections', 'parseDtypeOption',
      'parseSegments',
    ]],
    ['image/index.ts', [
      'DecodeImageOptions', 'DecodedImage', 'ImageDecodeError', 'ImageDecodeErrorCode', 'ImageInput', 'ImageProcessorConfig',
      'ReadImageOptions', 'ResampleFilterName', 'decodeImage', 'fromFile', 'preprocessImage', 'readImageInput', 'readImageProcessorConfig',
      'resizeImage',
    ]],
    ['mask/index.ts', [
      'DEFAULT_POLYGON_TOLERANCE', 'MAX_VAE_DOWNLOAD_BYTES', 'MaskToPolygonsOptions', 'MasksForSegmentsOptions', 'NpyArray', 'PixelWindow',
      'ReadNpzOptions', 'ResolveVaeOptions', 'VAE_CODES_PER_MASK', 'VAE_FILE_NAME', 'VAE_MASK_SIZE', 'VAE_URL', 'VaeDecoder',
      'VaeDecoderOptions', 'VaeFormatError', 'VaeUnavailableError', 'VaeWeights', 'WindowMask', 'boxToPixelWindow', 'createVaeDecoder',
      'encodeWindowRle', 'fillPolygons', 'loadVae', 'maskInBox', 'maskToPolygons', 'masksForSegments', 'openVae', 'pasteMask', 'readNpy',
      'readNpz', 'resolveVaePath', 'simplifyPolygon', 'vaeWeightsFromArrays',
    ]],
    ['conformance/index.ts', [
      'CaseResult', 'ComparePixelsOptions', 'ConformanceOptions', 'LocalEngine', 'PixelDifference', 'ReferenceCase', 'ReferenceFile',
      'comparePixels', 'readReferenceFile', 'runConformance',
    ]],
    ['tasks/index.ts', [
      'RecognizedTaskPrompt', 'ResultContext', 'TASKS', 'TaskDefinition', 'TaskInputOf', 'TaskName', 'TaskResultOf', 'buildTaskPrompt',
      'recognizeTaskPrompt',
    ]],
    ['settings/index.ts', [
      'CORE_ENVIRONMENT_VARIABLES', 'DEFAULT_DEVICE', 'DEFAULT_ENGINE_MAX_RETRIES', 'DEFAULT_ENGINE_THREAD', 'DEFAULT_FEATURE_CACHE_BYTES', 'DEFAULT_HUB_URL',
      'DEFAULT_MAX_BATCH_SIZE', 'DEFAULT_MAX_BATCH_WAIT_MS', 'DEFAULT_MAX_IMAGE_BYTES', 'DEFAULT_MAX_IMAGE_PIXELS', 'DEFAULT_MODEL',
      'DEFAULT_PREFIX_CACHE_BYTES',
    ]],
  ])('%s', (entry, names) => {
    expect(exportedNames(source(entry))).toEqual(names);
  });
});
