/** Turns a growing list of token ids into text pieces for streaming, without splitting UTF-8 characters. */

/** Byte-fallback tokenizers emit U+FFFD while a multi-byte character is still incomplete. */
const INCOMPLETE = '\uFFFD';

export class IncrementalDetokenizer {
  private readonly ids: number[] = [];
  private emitted = '';

  constructor(private readonly decode: (ids: number[]) => string) {}

  /**
   * Adds a token and returns the new text it completes ('' while a character is still incomplete).
   * @example detokenizer.push(1604) // '<loc0004>'
   */
  push(id: number): string {
    this.ids.push(id);
    const text = this.decode(this.ids);
    if (text.endsWith(INCOMPLETE) || !text.startsWith(this.emitted)) return '';
    const piece = text.slice(this.emitted.length);
    this.emitted = text;
    return piece;
  }

  /** All text decoded so far. */
  get text(): string {
    return this.decode(this.ids);
  }
}
