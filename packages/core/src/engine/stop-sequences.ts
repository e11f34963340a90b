/** Stop sequences: where one starts in generated text, and how much text must wait because it may begin one. */

/**
 * Where the earliest stop sequence starts in `text` (`stopAt`), or else how many trailing characters could still be
 * the start of one once more text arrives (`holdBack`), so a stream never shows text that a stop later removes.
 * @example findStopSequence('a cat.\nThe', ['\n']) // { stopAt: 6 }
 * @example findStopSequence('a cat<', ['<end>']) // { holdBack: 1 }
 */
export function findStopSequence(text: string, stops: readonly string[]): { stopAt: number } | { holdBack: number } {
  let stopAt = -1;
  for (const stop of stops) {
    const index = text.indexOf(stop);
    if (index !== -1 && (stopAt === -1 || index < stopAt)) stopAt = index;
  }
  if (stopAt !== -1) return { stopAt };
  let holdBack = 0;
  for (const stop of stops) {
    for (let length = Math.min(stop.length - 1, text.length); length > holdBack; length--) {
      if (text.endsWith(stop.slice(0, length))) {
        holdBack = length;
        break;
      }
    }
  }
  return { holdBack };
}

/**
 * `text` up to its first stop sequence (all of it when none appears).
 * @example cutAtStopSequence('yes. no.', ['.']) // 'yes'
 */
export function cutAtStopSequence(text: string, stops: readonly string[]): string {
  const found = findStopSequence(text, stops);
  return 'stopAt' in found ? text.slice(0, found.stopAt) : text;
}
