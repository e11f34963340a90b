/** A Server-Sent Events parser (WHATWG HTML §9.2.6) that is indifferent to how the bytes are chunked. */

/** One dispatched event. `event` defaults to `message` as in the browser's `EventSource`. */
export interface ServerSentEvent {
  event: string;
  data: string;
  id: string | undefined;
}

/**
 * The longest line accepted. The server's largest line is a `done` event holding the whole generated text, well
 * under this; a peer that never sends a newline would otherwise grow the buffer without bound.
 */
export const MAX_SSE_LINE_CHARS = 4 * 1024 * 1024;

/**
 * Turns decoded text, fed in arbitrary pieces, into events. Lines may end in `\n`, `\r\n` or `\r`, even with the
 * `\r` and `\n` in different pieces.
 *
 * @example
 * const decoder = new ServerSentEventDecoder();
 * decoder.push('event: token\ndata: {"id":1,'); // []
 * decoder.push('"text":"a"}\n\n'); // [{ event: 'token', data: '{"id":1,"text":"a"}', id: undefined }]
 */
export class ServerSentEventDecoder {
  private buffer = '';
  private skipLeadingLineFeed = false;
  private started = false;
  private eventType = '';
  private dataLines: string[] = [];
  private lastEventId: string | undefined;

  /** Feeds the next piece of text; returns the events it completed. */
  push(text: string): ServerSentEvent[] {
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.startsWith('\uFEFF')) text = text.slice(1);
    }
    if (this.skipLeadingLineFeed && text.length > 0) {
      this.skipLeadingLineFeed = false;
      if (text.startsWith('\n')) text = text.slice(1);
    }
    this.buffer += text;
    const events: ServerSentEvent[] = [];
    let lineStart = 0;
    for (let index = 0; index < this.buffer.length; index++) {
      const character = this.buffer[index];
      if (character !== '\n' && character !== '\r') continue;
      const event = this.processLine(this.buffer.slice(lineStart, index));
      if (event) events.push(event);
      if (character === '\r') {
        if (index + 1 === this.buffer.length) this.skipLeadingLineFeed = true;
        else if (this.buffer[index + 1] === '\n') index++;
      }
      lineStart = index + 1;
    }
    this.buffer = this.buffer.slice(lineStart);
    if (this.buffer.length > MAX_SSE_LINE_CHARS) {
      throw new Error(`a Server-Sent Events line exceeded ${MAX_SSE_LINE_CHARS} characters`);
    }
    return events;
  }

  /** Ends the stream. Per the spec an event without its terminating blank line is discarded. */
  end(): void {
    this.buffer = '';
    this.eventType = '';
    this.dataLines = [];
  }

  private processLine(line: string): ServerSentEvent | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined; // a comment, used as a keep-alive
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.eventType = value;
    else if (field === 'data') this.dataLines.push(value);
    else if (field === 'id' && !value.includes('\0')) this.lastEventId = value;
    // `retry` only matters to EventSource's reconnection, which this client never does; unknown fields are ignored.
    return undefined;
  }

  private dispatch(): ServerSentEvent | undefined {
    const hasData = this.dataLines.length > 0;
    const event: ServerSentEvent = {
      event: this.eventType || 'message',
      data: this.dataLines.join('\n'),
      id: this.lastEventId,
    };
    this.eventType = '';
    this.dataLines = [];
    return hasData ? event : undefined;
  }
}

/**
 * The events of an SSE response body, in order. Cancelling the iteration (`break`, `return`) cancels the body,
 * which closes the connection; so does `signal`, even while a read is pending, after which iteration just ends
 * (the caller checks `signal.aborted` to tell an abort from the end of the stream).
 *
 * @example
 * for await (const event of readServerSentEvents(response.body)) console.log(event.event, event.data);
 */
export async function* readServerSentEvents(
  body: ReadableStream<Uint8Array>,
  signal?: AbortSignal,
): AsyncGenerator<ServerSentEvent> {
  const reader = body.getReader();
  const textDecoder = new TextDecoder();
  const decoder = new ServerSentEventDecoder();
  let finished = false;
  // A generator's `return()` waits for the pending `read()`; cancelling the reader ends that read at once.
  const onAbort = () => void reader.cancel(signal?.reason).catch(() => undefined);
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        yield* decoder.push(textDecoder.decode());
        decoder.end();
        return;
      }
      // `stream: true` keeps a multi-byte character that is split across chunks intact.
      yield* decoder.push(textDecoder.decode(value, { stream: true }));
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
