/**
 * Properties of the request schemas: `safeParse` never throws, whatever JSON (or non-JSON value) arrives, and every
 * request built by the rules of the contract parses.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AskRequestSchema } from './ask.js';
import { CaptionRequestSchema } from './caption.js';
import { DetectRequestSchema } from './detect.js';
import { GenerateRequestSchema } from './generate.js';
import { LANGUAGE_CODES } from './languages.js';
import { SegmentRequestSchema } from './segment.js';
import { MAX_LABEL_LENGTH } from './text-rules.js';

const SCHEMAS = { CaptionRequestSchema, AskRequestSchema, DetectRequestSchema, SegmentRequestSchema, GenerateRequestSchema };
const FIELDS = [
  'image', 'url', 'data', 'lang', 'length', 'maxNewTokens', 'question', 'labels', 'prompt', 'stream', 'temperature', 'topP', 'topK', 'seed',
  '__proto__', 'constructor',
];

/** Objects with the contract's field names and arbitrary values: the shapes most likely to reach deep checks. */
const nearMisses = fc.dictionary(fc.constantFrom(...FIELDS), fc.oneof(fc.jsonValue(), fc.dictionary(fc.constantFrom(...FIELDS), fc.jsonValue())), { maxKeys: 6 });

/** Text a user may send as a question or prompt: printable, no newline, no `<` (so no special-token text). */
const freeText = fc.string({ unit: fc.constantFrom('a', 'Z', '9', ' ', '?', 'é', '猫', '\t', '🙂', '>', '&'), minLength: 1, maxLength: 80 }).filter((text) => text.trim().length > 0);
const label = fc.string({ unit: fc.constantFrom('a', 'z', ' ', '-', 'é', '猫', '🙂'), minLength: 1, maxLength: MAX_LABEL_LENGTH / 2 }).filter((text) => text.trim().length > 0);
const image = fc.oneof(
  fc.webUrl({ validSchemes: ['https', 'http'] }).map((url) => ({ url })),
  fc.base64String({ minLength: 4, maxLength: 64 }).filter((data) => data.length > 0).map((data) => ({ data })),
  fc.base64String({ minLength: 4, maxLength: 64 }).map((data) => ({ data: `data:image/jpeg;base64,${data}` })),
);
/** Sampling options every task takes. */
const sampling = {
  temperature: fc.double({ min: 0, max: 5, noNaN: true }),
  topP: fc.double({ min: 0, max: 1, noNaN: true, minExcluded: true }),
  topK: fc.integer({ min: 1, max: 300_000 }),
  seed: fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
};
const options = { lang: fc.constantFrom(...LANGUAGE_CODES), maxNewTokens: fc.integer({ min: 1, max: 1_000_000 }), ...sampling };
const VALID = {
  CaptionRequestSchema: fc.record({ image, ...options, length: fc.constantFrom('short' as const, 'long' as const) }, { requiredKeys: ['image'] }),
  AskRequestSchema: fc.record({ image, question: freeText, ...options }, { requiredKeys: ['image', 'question'] }),
  DetectRequestSchema: fc.record({ image, labels: fc.array(label, { minLength: 1, maxLength: 20 }), maxNewTokens: options.maxNewTokens, ...sampling }, { requiredKeys: ['image', 'labels'] }),
  SegmentRequestSchema: fc.record({ image, labels: fc.array(label, { minLength: 1, maxLength: 20 }), maxNewTokens: options.maxNewTokens, ...sampling }, { requiredKeys: ['image', 'labels'] }),
  GenerateRequestSchema: fc.record({ image, prompt: freeText, maxNewTokens: options.maxNewTokens, stream: fc.boolean(), ...sampling }, { requiredKeys: ['image', 'prompt'] }),
};

describe.each(Object.entries(SCHEMAS))('%s (properties)', (name, schema) => {
  it('safeParse never throws on arbitrary JSON values', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      expect(typeof schema.safeParse(value).success).toBe('boolean');
    }), { numRuns: 1_000 });
  });

  it('safeParse never throws on objects with the contract\'s field names and arbitrary values, nor on non-JSON values', () => {
    fc.assert(fc.property(fc.oneof(nearMisses, fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true })), (value) => {
      expect(typeof schema.safeParse(value).success).toBe('boolean');
    }), { numRuns: 1_000 });
  });

  it('parses every request built by the contract\'s rules', () => {
    fc.assert(fc.property(VALID[name as keyof typeof VALID], (request) => {
      const parsed = schema.safeParse(request);
      expect(parsed.error?.issues ?? []).toEqual([]);
    }), { numRuns: 300 });
  });
});
