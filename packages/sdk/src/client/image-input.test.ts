import { describe, expect, it } from 'vitest';
import { toImageSource, type ImageInput } from './image-input.js';

const BYTES = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]);
const BASE64 = Buffer.from(BYTES).toString('base64');

describe('toImageSource', () => {
  it.each<[string, ImageInput, object]>([
    ['https URL', 'https://example.com/cat.jpg', { url: 'https://example.com/cat.jpg' }],
    ['http URL, any case', 'HTTP://127.0.0.1:8080/a.png', { url: 'HTTP://127.0.0.1:8080/a.png' }],
    ['data URI', 'data:image/png;base64,iVBOR', { data: 'data:image/png;base64,iVBOR' }],
    ['Uint8Array', BYTES, { data: BASE64 }],
    ['Buffer', Buffer.from(BYTES), { data: BASE64 }],
    ['ArrayBuffer', BYTES.slice().buffer, { data: BASE64 }],
    ['DataView over a window', new DataView(Uint8Array.of(9, ...BYTES, 9).buffer, 1, BYTES.length), { data: BASE64 }],
    ['Blob', new Blob([BYTES], { type: 'image/jpeg' }), { data: BASE64 }],
    ['File', new File([BYTES], 'cat.jpg', { type: 'image/jpeg' }), { data: BASE64 }],
    ['{url}', { url: 'https://example.com/x.jpg' }, { url: 'https://example.com/x.jpg' }],
    ['{data}', { data: BASE64 }, { data: BASE64 }],
  ])('%s', async (_name, input, expected) => {
    expect(await toImageSource(input)).toEqual(expected);
  });

  it('sends a Buffer slice, not its whole pooled backing store', async () => {
    const pooled = Buffer.from('xx' + 'hello' + 'yy').subarray(2, 7);
    expect(await toImageSource(pooled)).toEqual({ data: Buffer.from('hello').toString('base64') });
  });

  it.each<[string, unknown]>([
    ['a file path', './cat.jpg'],
    ['an ftp URL', 'ftp://example.com/cat.jpg'],
    ['a number', 42],
    ['null', null],
    ['empty data', { data: '' }],
    ['a plain object', { path: 'cat.jpg' }],
  ])('rejects %s with a TypeError naming the accepted forms', async (_name, input) => {
    await expect(toImageSource(input as ImageInput)).rejects.toThrow(TypeError);
    await expect(toImageSource(input as ImageInput)).rejects.toThrow(/fromFile/);
  });
});
