import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { encodeNpy } from '@paligemma/test-support';
import { readNpy, readNpz } from './npz.js';

/** Written by NumPy itself: see test/fixtures/make-numpy-npz.py. */
const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../../../test/fixtures/${name}`, import.meta.url)));
const ramp = [-0.5, -0.25, 0, 0.25, 0.5, 0.75];

describe('readNpz', () => {
  it.each(['numpy-stored.npz', 'numpy-deflated.npz'])('reads every array of %s as NumPy wrote it', (name) => {
    const arrays = readNpz(fixture(name));
    expect([...arrays.keys()].sort()).toEqual(['nested/name.with.dots', 'ramp_f2', 'ramp_f4', 'ramp_f8', 'scalar', 'vector']);
    for (const key of ['ramp_f4', 'ramp_f8', 'ramp_f2']) {
      expect(arrays.get(key)?.shape).toEqual([2, 3]);
      expect([...(arrays.get(key)?.data ?? [])]).toEqual(ramp);
    }
    expect(arrays.get('vector')).toEqual({ shape: [3], data: new Float32Array([1.5, -2.25, 3e-3]) });
    expect(arrays.get('scalar')).toEqual({ shape: [], data: new Float32Array([7]) });
    expect(arrays.get('nested/name.with.dots')?.shape).toEqual([1, 2, 1, 2]);
  });

  it('reads .npy format versions 1.0, 2.0 and 3.0', () => {
    const arrays = readNpz(fixture('numpy-versions.npz'));
    for (const key of ['v1', 'v2', 'v3']) expect([...(arrays.get(key)?.data ?? [])]).toEqual(ramp);
  });

  it.each([
    ['Fortran order', fixture('numpy-fortran.npz'), /fortran\.npy is stored in Fortran order/],
    ['not a zip', new TextEncoder().encode('plain text, no archive'), /not a readable \.npz \(zip\) archive/],
    ['a zip without arrays', zipSync({ 'readme.txt': new TextEncoder().encode('hi') }), /holds no \.npy arrays/],
    ['bad magic', zipSync({ 'x.npy': new TextEncoder().encode('not numpy at all') }), /x\.npy is not a \.npy array/],
    [
      'an unsupported element type',
      zipSync({ 'x.npy': withDescr(encodeNpy({ shape: [2], data: new Float32Array(2) }), '<f4', '<i4') }),
      /x\.npy has element type <i4/,
    ],
    [
      'big-endian floats',
      zipSync({ 'x.npy': withDescr(encodeNpy({ shape: [2], data: new Float32Array(2) }), '<f4', '>f4') }),
      /x\.npy has element type >f4/,
    ],
    ['truncated data', zipSync({ 'x.npy': encodeNpy({ shape: [4], data: new Float32Array(4) }).slice(0, -3) }), /x\.npy is truncated/],
  ])('refuses %s with a clear error', (_name, bytes, message) => {
    expect(() => readNpz(bytes, 'weights.npz')).toThrow(message);
  });
});

describe('readNpy', () => {
  it('converts float64 and keeps float32', () => {
    const data = new Float32Array([0.1, -2, 1e-8]);
    expect(readNpy(encodeNpy({ shape: [3], data }, { descr: '<f8' })).data).toEqual(data);
    expect(readNpy(encodeNpy({ shape: [1, 3], data }, { version: 2 }))).toEqual({ shape: [1, 3], data });
  });
});

/** The same array with another `descr` in its header (same length, so offsets stay valid). */
function withDescr(bytes: Uint8Array, from: string, to: string): Uint8Array {
  const text = new TextDecoder('latin1').decode(bytes.subarray(0, 128));
  const at = text.indexOf(from);
  const result = bytes.slice();
  result.set(new TextEncoder().encode(to), at);
  return result;
}
