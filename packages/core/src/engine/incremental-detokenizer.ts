/**
 * Turns a growing list of token ids into text pieces for streaming, without splitting UTF-8 characters, and without
 * showing text that a stop sequence may yet remove.
 */
import { findStopSequence } from './stop-sequences.js';

/** Byte-fallback tokenizers emit U+FFFD while a multi-byte character is still incomplete. */
const INCOMPLETE = '\uFFFD';

export class IncrementalDetokenizer {
  private readonly ids: number[] = [];
  private emitted = '';
  private stopAt: number | undefined;

  /** `stops`: stop sequences; the text ends before the first one, and a piece that may begin one waits. */
  constructor(private readonly decode: (ids: number[]) => string, private readonly stops: readonly string[] = []) {}

  /**
   * Adds a token and returns the new text it completes ('' while a character is incomplete or may begin a stop
   * sequence). Once a stop sequence has appeared, further tokens are not added.
   * @example detokenizer.push(1604) // '<loc0004>'
   */
  push(id: number): string {
    if (this.stopped) return '';
    this.ids.push(id);
    const text = this.decode(this.ids);
    if (text.endsWith(INCOMPLETE)) return '';
    let visible = text;
    if (this.stops.length > 0) {
      const found = findStopSequence(text, this.stops);
      if ('stopAt' in found) this.stopAt = found.stopAt;
      visible = 'stopAt' in found ? text.slice(0, found.stopAt) : text.slice(0, text.length - found.holdBack);
    }
    if (!visible.startsWith(this.emitted)) return '';
    const piece = visible.slice(this.emitted.length);
    this.emitted = visible;
    return piece;
  }

  /** A stop sequence appeared: the answer is complete. */
  get stopped(): boolean {
    return this.stopAt !== undefined;
  }

  /** Tokens added (up to and including the one that completed a stop sequence). */
  get tokenCount(): number {
    return this.ids.length;
  }

  /** All text decoded so far, up to the stop sequence when one appeared. */
  get text(): string {
    const text = this.decode(this.ids);
    return this.stopAt === undefined ? text : text.slice(0, this.stopAt);
  }
}
