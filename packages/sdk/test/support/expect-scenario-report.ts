/** The checks every runtime's scenario report must pass against the contract stand-in (`contract-server.ts`). */
import { expect } from 'vitest';
import { CaptionResultSchema, DetectResultSchema, SegmentResultSchema } from '../../src/contract/index.js';
import type { ScenarioReport } from './client-scenario.js';

/**
 * Every method's answer, the helpers' output and the error paths, as the stand-in scripts them.
 * @example expectContractScenario(report, server.counts)
 */
export function expectContractScenario(report: ScenarioReport & { failed?: string }, requestCounts: Map<string, number>): void {
  expect(report.failed).toBeUndefined();
  expect(CaptionResultSchema.parse(report.caption).caption).toBe('caption of url https://example.com/cat.jpg');
  expect(report.captionFromBytes).toMatchObject({ caption: 'caption of data 96 chars' });
  expect(report.captionFromBlob).toMatchObject({ caption: 'caption of data 96 chars' });
  expect(report.ask).toMatchObject({ answer: 'answer to what is this?' });
  expect(DetectResultSchema.parse(report.detect).objects.map((object) => object.label)).toEqual(['cat', 'dog']);
  expect(SegmentResultSchema.parse(report.segment).objects).toHaveLength(1);
  expect(report.generate).toMatchObject({ text: 'text for caption en' });
  expect(report.streamTokens).toEqual([{ id: 100, text: 'caption' }, { id: 101, text: ' en' }]);
  expect(report.streamResult).toMatchObject({ text: 'caption en' });
  expect(report.xywh).toEqual({ x: 4, y: 6, width: 36, height: 24 });
  expect(report.svgPath).toBe('M4 6L40 6L40 30L4 30Z');
  expect(report.errors).toEqual({
    invalidRequest: { status: 400, code: 'invalid_request', hasRequestId: true },
    retriedFlaky: { answer: 'answer to retried?', usage: expect.any(Object) },
    timeout: true,
    abort: true,
  });
  expect(requestCounts.get('/flaky/v1/ask')).toBe(2);
}
