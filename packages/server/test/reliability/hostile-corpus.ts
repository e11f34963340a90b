/**
 * The hostile-input corpus: requests a careless or malicious client sends, each with the status and error code the
 * server must answer (on its default limits). Data only; hostile-input.test.ts sends them to a live server.
 */
import { gzipSync } from 'node:zlib';
import type { ErrorCode } from '@paligemma/sdk/contract';
import { DEFAULT_MAX_IMAGE_BYTES } from '@paligemma/core/settings';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_LABELS, DEFAULT_MAX_NEW_TOKENS_CAP, DEFAULT_MAX_QUESTION_LENGTH } from '../../src/config.js';
import {
  concatBytes, decompressionBombPng, gifJavascriptPolyglot, jpegWithComment, pixelFloodGif, pixelFloodPng, withJpegSize, withPngSize,
} from './hostile-images.js';

/** A file part of a multipart body. */
export interface FilePart {
  bytes: Uint8Array;
  filename: string;
  type?: string;
}

/** How a case's request is sent. */
export type HostileRequest =
  /** `application/json` with this value stringified. */
  | { json: unknown }
  /** These exact bytes, with these headers (no Content-Type unless given). */
  | { raw: string | Uint8Array; headers?: Record<string, string> }
  /** `multipart/form-data` built by fetch's FormData. */
  | { form: Array<[string, string | FilePart]> }
  /** A request with no body and this method. */
  | { method: string };

export interface HostileCase {
  name: string;
  route: string;
  request: HostileRequest;
  status: number;
  /** The error code for non-2xx answers. */
  code?: ErrorCode;
}

/** The fixture images the corpus is built from. */
export interface CorpusImages {
  jpeg: Uint8Array;
  png: Uint8Array;
}

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const uri = (bytes: Uint8Array, type = 'image/jpeg') => `data:${type};base64,${base64(bytes)}`;
/** Small answers are enough: the corpus is about what happens before and around the model. */
const TOKENS = { maxNewTokens: 2 };

/**
 * Every case. Images are checked by their bytes (the declared type is ignored), and a valid image that is also
 * something else (a polyglot) is accepted: the server never serves it back, it only answers JSON about it.
 * @example for (const testCase of buildHostileCorpus(images)) send(testCase)
 */
export function buildHostileCorpus({ jpeg, png }: CorpusImages): HostileCase[] {
  const image = { data: uri(jpeg) };
  const caption = (name: string, imageField: unknown, status: number, code?: ErrorCode): HostileCase => ({
    name, route: '/v1/caption', request: { json: { image: imageField, ...TOKENS } }, status, code,
  });
  const bytes = (name: string, content: Uint8Array | string, status: number, code?: ErrorCode, type = 'image/jpeg') =>
    caption(name, { data: uri(typeof content === 'string' ? Buffer.from(content) : content, type) }, status, code);
  const json = (name: string, route: string, body: unknown, status: number, code?: ErrorCode): HostileCase => ({ name, route, request: { json: body }, status, code });
  const raw = (name: string, body: string | Uint8Array, headers: Record<string, string>, status: number, code?: ErrorCode): HostileCase => ({
    name, route: '/v1/caption', request: { raw: body, headers }, status, code,
  });
  const ask = (name: string, question: unknown, status: number, code?: ErrorCode) => json(name, '/v1/ask', { image, question, ...TOKENS }, status, code);
  const detect = (name: string, labels: unknown, status: number, code?: ErrorCode) => json(name, '/v1/detect', { image, labels, ...TOKENS }, status, code);
  const form = (name: string, route: string, parts: Array<[string, string | FilePart]>, status: number, code?: ErrorCode): HostileCase => ({
    name, route, request: { form: parts }, status, code,
  });
  const jpegFile: FilePart = { bytes: jpeg, filename: 'photo.jpg', type: 'image/jpeg' };
  const overLimitBase64 = 'A'.repeat(Math.ceil(((DEFAULT_MAX_IMAGE_BYTES + 1024) * 4) / 3 / 4) * 4);

  return [
    // Empty, truncated and damaged images.
    caption('zero-byte image data', { data: '' }, 400, 'invalid_request'),
    bytes('data URI with an empty payload', new Uint8Array(0), 400, 'invalid_request'),
    form('zero-byte multipart image', '/v1/caption', [['image', { bytes: new Uint8Array(0), filename: 'empty.jpg' }]], 415, 'unsupported_media_type'),
    bytes('JPEG start-of-image marker only', jpeg.subarray(0, 3), 422, 'invalid_image'),
    bytes('JPEG truncated at half', jpeg.subarray(0, jpeg.length / 2), 422, 'invalid_image'),
    bytes('PNG truncated after 1000 bytes', png.subarray(0, 1000), 422, 'invalid_image'),
    bytes('PNG header without image data', png.subarray(0, 33), 422, 'invalid_image'),
    bytes('PNG declaring 0×0 pixels', withPngSize(png, 0, 0), 422, 'invalid_image'),
    // Pixel floods: tiny on the wire, gigapixels declared; refused from the header before any decode.
    bytes('pixel-flood PNG 100000×100000 in 60 bytes', pixelFloodPng(100_000, 100_000), 413, 'image_too_large'),
    bytes('real PNG with its header claiming 60000×60000', withPngSize(png, 60_000, 60_000), 413, 'image_too_large'),
    bytes('pixel-flood JPEG 65000×65000', withJpegSize(jpeg, 65_000, 65_000), 413, 'image_too_large'),
    bytes('pixel-flood GIF frame 65535×65535', pixelFloodGif(65_535, 65_535), 413, 'image_too_large'),
    bytes('decompression-bomb PNG 8000×8000 (64 MP in ~60 KB)', decompressionBombPng(8_000), 413, 'image_too_large'),
    // Not images, whatever they claim to be.
    bytes('SVG with script and an external entity', '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><text>&x;</text></svg>', 415, 'unsupported_media_type', 'image/svg+xml'),
    bytes('HTML page', '<!doctype html><html><body onload="alert(1)"></body></html>', 415, 'unsupported_media_type', 'image/png'),
    bytes('PDF document', '%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF', 415, 'unsupported_media_type'),
    bytes('ZIP archive', concatBytes(Uint8Array.from([0x50, 0x4b, 0x03, 0x04]), 'x'.repeat(40)), 415, 'unsupported_media_type'),
    bytes('PNG signature followed by HTML', concatBytes(png.subarray(0, 8), '<html><script>alert(1)</script></html>'), 422, 'invalid_image'),
    // Polyglots that are valid images: accepted, since only the pixels are used.
    bytes('GIF that is also JavaScript', gifJavascriptPolyglot(), 200, undefined, 'image/gif'),
    bytes('PNG with HTML appended after IEND', concatBytes(png, '<html><script>alert(1)</script></html>'), 200, undefined, 'image/png'),
    bytes('JPEG with PHP in a comment segment', jpegWithComment(jpeg, '<?php system($_GET["c"]); ?>'), 200),
    // Declared types that lie.
    bytes('JPEG declared image/png', jpeg, 200, undefined, 'image/png'),
    bytes('JPEG declared text/html', jpeg, 200, undefined, 'text/html'),
    form('JPEG uploaded as text/plain named evil.html', '/v1/caption', [['image', { bytes: jpeg, filename: 'evil.html', type: 'text/plain' }]], 200),
    form('upload named with a path traversal', '/v1/caption', [['image', { bytes: jpeg, filename: '../../../etc/passwd' }]], 200),
    // Base64.
    caption('data URI that is not base64', { data: 'data:image/jpeg,rawbytes' }, 400, 'invalid_request'),
    caption('malformed base64', { data: '!!!!not-base64!!!!' }, 400, 'invalid_request'),
    caption('base64 wrapped at 76 columns (MIME)', { data: base64(jpeg).replace(/.{76}/g, '$&\r\n') }, 200),
    caption('base64url alphabet without padding', { data: base64(jpeg).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '') }, 200),
    caption(`base64 image over the ${DEFAULT_MAX_IMAGE_BYTES}-byte image limit`, { data: overLimitBase64 }, 413, 'payload_too_large'),
    raw(`body over the ${DEFAULT_MAX_BODY_BYTES}-byte body limit`, `{"image":{"data":"${'A'.repeat(DEFAULT_MAX_BODY_BYTES)}"}}`, { 'content-type': 'application/json' }, 413, 'payload_too_large'),
    // Bodies that are not the JSON object asked for.
    raw('truncated JSON', '{"image": {"data": "', { 'content-type': 'application/json' }, 400, 'invalid_request'),
    raw('empty JSON body', '', { 'content-type': 'application/json' }, 400, 'invalid_request'),
    json('JSON null', '/v1/caption', null, 400, 'invalid_request'),
    json('JSON array', '/v1/caption', [{ image }], 400, 'invalid_request'),
    json('JSON string', '/v1/caption', 'image', 400, 'invalid_request'),
    raw('arrays nested 100000 deep', `${'['.repeat(100_000)}${']'.repeat(100_000)}`, { 'content-type': 'application/json' }, 400, 'invalid_request'),
    raw('JSON sent as text/plain', JSON.stringify({ image }), { 'content-type': 'text/plain' }, 400, 'invalid_request'),
    raw('JSON without a Content-Type', new TextEncoder().encode(JSON.stringify({ image })), {}, 400, 'invalid_request'),
    // Request bodies are never inflated: a gzip bomb stays 100 KB of bytes that are not JSON.
    raw('gzip-bomb body (100 MB of JSON inflated)', gzipSync(`{"image":{"data":"${'A'.repeat(100_000_000)}"}}`), { 'content-type': 'application/json', 'content-encoding': 'gzip' }, 400, 'invalid_request'),
    raw('JSON in UTF-16LE with a BOM', concatBytes(Uint8Array.from([0xff, 0xfe]), Buffer.from(JSON.stringify({ image }), 'utf16le')), { 'content-type': 'application/json' }, 400, 'invalid_request'),
    // Non-UTF-8 text inside otherwise valid JSON decodes to U+FFFD: harmless text, so the request is served.
    { name: 'question with invalid UTF-8 bytes', route: '/v1/ask', request: { raw: concatBytes(`{"image":{"data":"${uri(jpeg)}"},"maxNewTokens":2,"question":"what `, Uint8Array.from([0xc3, 0x28, 0xff]), '?"}'), headers: { 'content-type': 'application/json' } }, status: 200 },
    { name: 'Latin-1 label', route: '/v1/detect', request: { raw: concatBytes(`{"image":{"data":"${uri(jpeg)}"},"maxNewTokens":2,"labels":["caf`, Uint8Array.from([0xe9]), '"]}'), headers: { 'content-type': 'application/json' } }, status: 200 },
    // Wrong types and shapes.
    caption('image as a string', uri(jpeg), 400, 'invalid_request'),
    caption('image.data as a number', { data: 12345 }, 400, 'invalid_request'),
    caption('image as an empty object', {}, 400, 'invalid_request'),
    caption('image with both url and data', { url: 'https://example.com/a.jpg', data: uri(jpeg) }, 400, 'invalid_request'),
    caption('image.url with the file scheme', { url: 'file:///etc/passwd' }, 400, 'invalid_request'),
    caption('image.url at the cloud metadata address', { url: 'http://169.254.169.254/latest/meta-data/' }, 400, 'url_forbidden'),
    caption('image.url at IPv6 loopback', { url: 'http://[::1]:8080/a.jpg' }, 400, 'url_forbidden'),
    caption('image.url at localhost', { url: 'http://localhost:9/a.jpg' }, 400, 'url_forbidden'),
    caption('image.url with a hexadecimal loopback address', { url: 'http://0x7f000001/a.jpg' }, 400, 'url_forbidden'),
    caption('image.url with credentials at loopback', { url: 'http://user:secret@127.0.0.1/a.jpg' }, 400, 'url_forbidden'),
    json('maxNewTokens as a string', '/v1/caption', { image, maxNewTokens: '10' }, 400, 'invalid_request'),
    json('maxNewTokens fractional', '/v1/caption', { image, maxNewTokens: 1.5 }, 400, 'invalid_request'),
    json('maxNewTokens negative', '/v1/caption', { image, maxNewTokens: -1 }, 400, 'invalid_request'),
    json('maxNewTokens zero', '/v1/caption', { image, maxNewTokens: 0 }, 400, 'invalid_request'),
    json('maxNewTokens above the server cap', '/v1/caption', { image, maxNewTokens: DEFAULT_MAX_NEW_TOKENS_CAP + 1 }, 422, 'limit_exceeded'),
    json('maxNewTokens of a billion', '/v1/generate', { image, prompt: 'caption en', maxNewTokens: 1e9 }, 422, 'limit_exceeded'),
    json('maxNewTokens beyond safe integers', '/v1/caption', { image, maxNewTokens: 1e308 }, 400, 'invalid_request'),
    json('unknown language code', '/v1/caption', { image, lang: 'xx', ...TOKENS }, 400, 'invalid_request'),
    json('caption length not short/long', '/v1/caption', { image, length: 'huge', ...TOKENS }, 400, 'invalid_request'),
    json('stream as a string', '/v1/generate', { image, prompt: 'caption en', stream: 'yes' }, 400, 'invalid_request'),
    json('unknown field', '/v1/caption', { image, colour: 'red', ...TOKENS }, 400, 'invalid_request'),
    json('OpenAI-style sampling field on a native route', '/v1/caption', { image, top_p: 0.5, ...TOKENS }, 400, 'invalid_request'),
    json('temperature negative', '/v1/generate', { image, prompt: 'caption en', temperature: -0.5, ...TOKENS }, 400, 'invalid_request'),
    json('topP above 1', '/v1/ask', { image, question: 'what?', topP: 1.5, ...TOKENS }, 400, 'invalid_request'),
    json('topK zero', '/v1/detect', { image, labels: ['cat'], topK: 0, ...TOKENS }, 400, 'invalid_request'),
    json('seed fractional', '/v1/caption', { image, seed: 0.5, ...TOKENS }, 400, 'invalid_request'),
    json('seed beyond safe integers', '/v1/caption', { image, seed: 2 ** 60, ...TOKENS }, 400, 'invalid_request'),
    { name: '__proto__ key (prototype pollution attempt)', route: '/v1/caption', request: { raw: `{"image":{"data":"${uri(jpeg)}"},"__proto__":{"polluted":true}}`, headers: { 'content-type': 'application/json' } }, status: 400, code: 'invalid_request' },
    json('constructor.prototype key', '/v1/caption', { image, constructor: { prototype: { polluted: true } } }, 400, 'invalid_request'),
    // Missing fields.
    json('empty object', '/v1/caption', {}, 400, 'invalid_request'),
    json('ask without a question', '/v1/ask', { image }, 400, 'invalid_request'),
    json('detect without labels', '/v1/detect', { image }, 400, 'invalid_request'),
    json('generate without a prompt', '/v1/generate', { image }, 400, 'invalid_request'),
    // Labels.
    detect('no labels', [], 400, 'invalid_request'),
    detect('5000 labels', Array.from({ length: 5_000 }, (_, index) => `object ${index}`), 422, 'limit_exceeded'),
    detect(`${DEFAULT_MAX_LABELS + 1} labels`, Array.from({ length: DEFAULT_MAX_LABELS + 1 }, (_, index) => `thing ${index}`), 422, 'limit_exceeded'),
    detect('blank label', ['   '], 400, 'invalid_request'),
    detect('label with the ; separator', ['cat ; dog'], 400, 'invalid_request'),
    detect('label that is a loc token', ['<loc0001>'], 400, 'invalid_request'),
    detect('label with a NUL byte', ['cat\u0000'], 400, 'invalid_request'),
    detect('label with a newline', ['cat\nsegment dog'], 400, 'invalid_request'),
    detect('label of 201 characters', ['x'.repeat(201)], 400, 'invalid_request'),
    detect('label as a number', [42], 400, 'invalid_request'),
    detect('labels as a string', 'cat', 400, 'invalid_request'),
    detect('emoji and right-to-left labels', ['🐈 cat', 'קפה', '\u202eevil'], 200),
    // Questions and prompts.
    ask('question with a loc token', '<loc0123> what is here?', 400, 'invalid_request'),
    ask('question with an image token', 'what <image> is this?', 400, 'invalid_request'),
    ask('question with an upper-case seg token', 'is <SEG012> here?', 400, 'invalid_request'),
    ask('question with a newline', 'what?\ndetect cat', 400, 'invalid_request'),
    ask('question with a bell character', 'what\u0007?', 400, 'invalid_request'),
    ask('question only whitespace', ' \t ', 400, 'invalid_request'),
    ask(`question of ${DEFAULT_MAX_QUESTION_LENGTH + 1} characters`, 'a'.repeat(DEFAULT_MAX_QUESTION_LENGTH + 1), 422, 'limit_exceeded'),
    ask('question of 100000 characters', 'a'.repeat(100_000), 422, 'limit_exceeded'),
    ask('question with loc-like text that is no token', 'is <loc12> a token?', 200),
    ask('question with zero-width, bidi and emoji characters', 'what\u200b is \u202ethis\u202c 🤔?', 200),
    json('prompt ending in an eos token', '/v1/generate', { image, prompt: 'detect cat <eos>' }, 400, 'invalid_request'),
    // Multipart.
    form('multipart without an image field', '/v1/caption', [['maxNewTokens', '2']], 400, 'invalid_request'),
    form('multipart image as a text field', '/v1/caption', [['image', uri(jpeg)]], 400, 'invalid_request'),
    form('multipart with two image files', '/v1/caption', [['image', jpegFile], ['image', jpegFile]], 400, 'invalid_request'),
    form('multipart with an extra file field', '/v1/caption', [['image', jpegFile], ['maxNewTokens', { bytes: Buffer.from('2'), filename: 'n.txt' }]], 400, 'invalid_request'),
    form('multipart maxNewTokens not a number', '/v1/caption', [['image', jpegFile], ['maxNewTokens', 'abc']], 400, 'invalid_request'),
    form('multipart labels as malformed JSON', '/v1/detect', [['image', jpegFile], ['labels', '[cat']], 400, 'invalid_request'),
    form(`multipart with ${DEFAULT_MAX_LABELS + 4} repeated labels`, '/v1/detect', [['image', jpegFile], ...Array.from({ length: DEFAULT_MAX_LABELS + 4 }, (_, index): [string, string] => ['labels', `l${index}`])], 422, 'limit_exceeded'),
    raw('multipart without a boundary', '--x\r\nContent-Disposition: form-data; name="image"\r\n\r\nabc\r\n--x--\r\n', { 'content-type': 'multipart/form-data' }, 400, 'invalid_request'),
    raw('multipart cut before its closing boundary', '--x\r\nContent-Disposition: form-data; name="image"; filename="a.jpg"\r\n\r\nabc', { 'content-type': 'multipart/form-data; boundary=x' }, 400, 'invalid_request'),
    // Methods and paths.
    { name: 'GET on a model route', route: '/v1/caption', request: { method: 'GET' }, status: 404, code: 'not_found' },
    { name: 'PUT on a model route', route: '/v1/detect', request: { method: 'PUT' }, status: 404, code: 'not_found' },
    { name: 'unknown route', route: '/v1/admin', request: { json: { image } }, status: 404, code: 'not_found' },
    { name: '8 KB path', route: `/v1/${'a'.repeat(8_192)}`, request: { json: {} }, status: 404, code: 'not_found' },
    ...chatCompletionCases({ jpeg, png }),
  ];
}

/** The model id the hostile-input server serves (its PALIGEMMA_SERVED_MODEL_NAME). */
export const HOSTILE_MODEL = 'hostile/paligemma';

/**
 * The OpenAI-compatible routes: the same checks as the native routes (SSRF guard, byte and pixel limits, formats,
 * prompt rules, server limits), plus the conversation rule (one image, a user prompt) and OpenAI's own fields.
 */
function chatCompletionCases({ jpeg, png }: CorpusImages): HostileCase[] {
  const route = '/v1/chat/completions';
  const parts = (url: string, text = 'caption en') => [{ type: 'text', text }, { type: 'image_url', image_url: { url } }];
  const request = (messages: unknown, extra: Record<string, unknown> = {}) => ({ model: HOSTILE_MODEL, messages, max_tokens: 2, ...extra });
  const chat = (name: string, body: unknown, status: number, code?: ErrorCode): HostileCase => ({ name: `chat: ${name}`, route, request: { json: body }, status, code });
  const withImage = (name: string, url: string, status: number, code?: ErrorCode) => chat(name, request([{ role: 'user', content: parts(url) }]), status, code);
  const withPrompt = (name: string, text: string, status: number, code?: ErrorCode) => chat(name, request([{ role: 'user', content: parts(uri(jpeg), text) }]), status, code);
  const withField = (name: string, extra: Record<string, unknown>, status: number, code?: ErrorCode) =>
    chat(name, request([{ role: 'user', content: parts(uri(jpeg)) }], extra), status, code);
  const overLimitUri = `data:image/jpeg;base64,${'A'.repeat(Math.ceil(((DEFAULT_MAX_IMAGE_BYTES + 1024) * 4) / 3 / 4) * 4)}`;
  return [
    // Image URLs go through the same SSRF guard as {url} images.
    withImage('image_url at the cloud metadata address', 'http://169.254.169.254/latest/meta-data/', 400, 'url_forbidden'),
    withImage('image_url at localhost', 'http://localhost:9/a.jpg', 400, 'url_forbidden'),
    withImage('image_url at IPv6 loopback', 'https://[::1]/a.jpg', 400, 'url_forbidden'),
    withImage('image_url at a private address', 'https://10.0.0.1/a.jpg', 400, 'url_forbidden'),
    withImage('image_url with the file scheme', 'file:///etc/passwd', 400, 'invalid_request'),
    withImage('image_url that is a bare path', '/etc/passwd', 400, 'invalid_request'),
    withImage('image_url empty', '', 400, 'invalid_request'),
    // Data URIs: the same byte limit, base64 rule and formats as {data}.
    withImage(`data URI over the ${DEFAULT_MAX_IMAGE_BYTES}-byte image limit`, overLimitUri, 413, 'payload_too_large'),
    withImage('data URI that is not base64', 'data:image/jpeg,rawbytes', 400, 'invalid_request'),
    withImage('data URI of an SVG with a script', uri(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'image/svg+xml'), 415, 'unsupported_media_type'),
    withImage('data URI of a pixel-flood PNG', uri(pixelFloodPng(100_000, 100_000), 'image/png'), 413, 'image_too_large'),
    withImage('data URI of a truncated PNG', uri(png.subarray(0, 1000), 'image/png'), 422, 'invalid_image'),
    // The conversation: one image, a user prompt, known roles and parts.
    chat('two images in one message', request([{ role: 'user', content: [...parts(uri(jpeg)), { type: 'image_url', image_url: { url: uri(jpeg) } }] }]), 400, 'invalid_request'),
    chat('no image in the conversation', request([{ role: 'user', content: 'caption en' }]), 400, 'invalid_request'),
    chat('no user message', request([{ role: 'system', content: parts(uri(jpeg)) }]), 400, 'invalid_request'),
    chat('last user message without text', request([{ role: 'user', content: [{ type: 'image_url', image_url: { url: uri(jpeg) } }] }]), 400, 'invalid_request'),
    chat('unknown role', request([{ role: 'robot', content: parts(uri(jpeg)) }]), 400, 'invalid_request'),
    chat('role missing', request([{ content: parts(uri(jpeg)) }]), 400, 'invalid_request'),
    chat('an input_audio part', request([{ role: 'user', content: [...parts(uri(jpeg)), { type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }] }]), 400, 'invalid_request'),
    chat('a file part', request([{ role: 'user', content: [...parts(uri(jpeg)), { type: 'file', file: { file_data: uri(jpeg) } }] }]), 400, 'invalid_request'),
    chat('an Anthropic-style image part', request([{ role: 'user', content: [{ type: 'text', text: 'caption en' }, { type: 'image', source: { type: 'base64', data: base64(jpeg) } }] }]), 400, 'invalid_request'),
    chat('image_url as a string', request([{ role: 'user', content: [{ type: 'text', text: 'caption en' }, { type: 'image_url', image_url: uri(jpeg) }] }]), 400, 'invalid_request'),
    chat('content as a number', request([{ role: 'user', content: 42 }]), 400, 'invalid_request'),
    chat('messages as a string', request('caption en'), 400, 'invalid_request'),
    chat('no messages', request([]), 400, 'invalid_request'),
    // Prompts follow the native rules and limits.
    withPrompt('prompt with a newline', 'caption en\ndetect cat', 400, 'invalid_request'),
    withPrompt('prompt with a loc token', 'detect <loc0001> cat', 400, 'invalid_request'),
    withPrompt('prompt with an image token', '<image>caption en', 400, 'invalid_request'),
    withPrompt(`prompt of ${DEFAULT_MAX_QUESTION_LENGTH + 1} characters`, `answer en ${'a'.repeat(DEFAULT_MAX_QUESTION_LENGTH)}`, 422, 'limit_exceeded'),
    withPrompt(`detect prompt with ${DEFAULT_MAX_LABELS + 1} labels`, `detect ${Array.from({ length: DEFAULT_MAX_LABELS + 1 }, (_, index) => `thing ${index}`).join(' ; ')}`, 422, 'limit_exceeded'),
    withPrompt('prompt with zero-width, bidi and emoji characters', 'answer en what\u200b is \u202ethis\u202c 🤔?', 200),
    // OpenAI's fields.
    withField('n: 5', { n: 5 }, 400, 'invalid_request'),
    withField('max_tokens above the server cap', { max_tokens: DEFAULT_MAX_NEW_TOKENS_CAP + 1 }, 422, 'limit_exceeded'),
    withField('max_completion_tokens of a billion', { max_completion_tokens: 1e9 }, 422, 'limit_exceeded'),
    withField('max_tokens fractional', { max_tokens: 1.5 }, 400, 'invalid_request'),
    withField('max_tokens zero', { max_tokens: 0 }, 400, 'invalid_request'),
    withField('temperature negative', { temperature: -1 }, 400, 'invalid_request'),
    withField('temperature above 2', { temperature: 3 }, 400, 'invalid_request'),
    withField('top_p zero', { top_p: 0 }, 400, 'invalid_request'),
    withField('seed as a string', { seed: '42' }, 400, 'invalid_request'),
    withField('five stop sequences', { stop: ['a', 'b', 'c', 'd', 'e'] }, 400, 'invalid_request'),
    withField(`stop sequence of ${DEFAULT_MAX_QUESTION_LENGTH + 1} characters`, { stop: 'x'.repeat(DEFAULT_MAX_QUESTION_LENGTH + 1) }, 422, 'limit_exceeded'),
    withField('stream as a string', { stream: 'yes' }, 400, 'invalid_request'),
    withField('another model', { model: 'gpt-4o' }, 404, 'not_found'),
    withField('model missing', { model: undefined }, 400, 'invalid_request'),
    withField('tools, logit_bias and response_format (ignored)', { tools: [{ type: 'function', function: { name: 'f' } }], logit_bias: { 1: 100 }, response_format: { type: 'json_object' } }, 200),
    { name: 'chat: __proto__ key (ignored like any unknown field)', route, request: { raw: `{"model":"${HOSTILE_MODEL}","max_tokens":2,"messages":[{"role":"user","content":[{"type":"text","text":"caption en"},{"type":"image_url","image_url":{"url":"${uri(jpeg)}"}}]}],"__proto__":{"polluted":true}}`, headers: { 'content-type': 'application/json' } }, status: 200 },
    // Bodies and methods.
    { name: 'chat: malformed JSON', route, request: { raw: '{"model":', headers: { 'content-type': 'application/json' } }, status: 400, code: 'invalid_request' },
    { name: 'chat: JSON null', route, request: { json: null }, status: 400, code: 'invalid_request' },
    { name: 'chat: JSON sent as text/plain', route, request: { raw: JSON.stringify(request([{ role: 'user', content: parts(uri(jpeg)) }])), headers: { 'content-type': 'text/plain' } }, status: 400, code: 'invalid_request' },
    { name: 'chat: multipart body', route, request: { form: [['model', HOSTILE_MODEL], ['image', { bytes: jpeg, filename: 'a.jpg' }]] }, status: 400, code: 'invalid_request' },
    { name: `chat: body over the ${DEFAULT_MAX_BODY_BYTES}-byte body limit`, route, request: { raw: `{"model":"x","messages":"${'A'.repeat(DEFAULT_MAX_BODY_BYTES)}"}`, headers: { 'content-type': 'application/json' } }, status: 413, code: 'payload_too_large' },
    { name: 'chat: GET on the completions route', route, request: { method: 'GET' }, status: 404, code: 'not_found' },
    { name: 'models: an unknown model id with slashes', route: '/v1/models/no/such/model', request: { method: 'GET' }, status: 404, code: 'not_found' },
    { name: 'models: DELETE', route: '/v1/models', request: { method: 'DELETE' }, status: 404, code: 'not_found' },
  ];
}
