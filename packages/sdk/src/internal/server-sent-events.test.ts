import { describe, expect, it } from 'vitest';
import { readServerSentEvents, ServerSentEventDecoder, type ServerSentEvent } from './server-sent-events.js';

function event(eventType: string, data: string, id?: string): ServerSentEvent {
  return { event: eventType, data, id };
}

/** Feeds `text` cut at every given position, so each case also runs across arbitrary chunk boundaries. */
function decodeInPieces(text: string, cuts: number[]): ServerSentEvent[] {
  const decoder = new ServerSentEventDecoder();
  const events: ServerSentEvent[] = [];
  let start = 0;
  for (const cut of [...cuts, text.length]) {
    events.push(...decoder.push(text.slice(start, cut)));
    start = cut;
  }
  decoder.end();
  return events;
}

const CASES: [string, string, ServerSentEvent[]][] = [
  ['one token event', 'event: token\ndata: {"id":5,"text":"a"}\n\n', [event('token', '{"id":5,"text":"a"}')]],
  ['default type', 'data: x\n\n', [event('message', 'x')]],
  ['multi-line data', 'data: a\ndata: b\n\n', [event('message', 'a\nb')]],
  ['no space after colon', 'event:done\ndata:{}\n\n', [event('done', '{}')]],
  ['only the first space is stripped', 'data:  two\n\n', [event('message', ' two')]],
  ['CRLF line ends', 'event: token\r\ndata: 1\r\n\r\n', [event('token', '1')]],
  ['CR line ends', 'event: token\rdata: 1\r\r', [event('token', '1')]],
  ['comments are keep-alives', ': ping\n\nevent: token\ndata: 1\n\n', [event('token', '1')]],
  ['blank lines without data dispatch nothing', '\n\nevent: token\n\n', []],
  ['an id is remembered', 'id: 7\ndata: a\n\ndata: b\n\n', [event('message', 'a', '7'), event('message', 'b', '7')]],
  ['an unterminated last event is dropped', 'data: a\n\ndata: b', [event('message', 'a')]],
  ['a byte-order mark is ignored', '\uFEFFdata: a\n\n', [event('message', 'a')]],
  [
    'several events',
    'event: token\ndata: {"id":1,"text":"a"}\n\nevent: token\ndata: {"id":2,"text":"b"}\n\nevent: done\ndata: {"text":"ab"}\n\n',
    [event('token', '{"id":1,"text":"a"}'), event('token', '{"id":2,"text":"b"}'), event('done', '{"text":"ab"}')],
  ],
];

describe('ServerSentEventDecoder', () => {
  it.each(CASES)('%s: whole', (_name, text, expected) => {
    expect(decodeInPieces(text, [])).toEqual(expected);
  });

  it.each(CASES)('%s: cut at every single position and into single characters', (_name, text, expected) => {
    for (let cut = 0; cut <= text.length; cut++) expect(decodeInPieces(text, [cut])).toEqual(expected);
    expect(decodeInPieces(text, Array.from({ length: text.length }, (_, index) => index))).toEqual(expected);
  });

  it('refuses a line that never ends', () => {
    const decoder = new ServerSentEventDecoder();
    expect(() => decoder.push('data: ' + 'x'.repeat(5 * 1024 * 1024))).toThrow(/exceeded/);
  });
});

describe('readServerSentEvents', () => {
  it('decodes UTF-8 characters split across byte chunks', async () => {
    const bytes = new TextEncoder().encode('event: token\ndata: {"text":"é😀"}\n\n');
    const chunks = Array.from(bytes, (byte) => Uint8Array.of(byte));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        controller.close();
      },
    });
    const events: ServerSentEvent[] = [];
    for await (const received of readServerSentEvents(body)) events.push(received);
    expect(events).toEqual([event('token', '{"text":"é😀"}')]);
  });

  it('cancels the body when the consumer stops early', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new TextEncoder().encode('data: tick\n\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const received of readServerSentEvents(body)) {
      expect(received.data).toBe('tick');
      break;
    }
    expect(cancelled).toBe(true);
  });
});
