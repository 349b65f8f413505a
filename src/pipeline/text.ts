/**
 * Truncating user text without breaking characters: by grapheme (Intl.Segmenter), so an emoji
 * with modifiers or a flag is kept whole or dropped whole, never split inside a surrogate pair.
 */
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** `text` cut to at most `max` user-perceived characters. */
export function truncateGraphemes(text: string, max: number): string {
  // A string never has more graphemes than UTF-16 code units: short strings need no segmenting.
  if (text.length <= max) return text;
  let kept = 0;
  let end = 0;
  for (const { segment } of segmenter.segment(text)) {
    if (kept === max) break;
    kept += 1;
    end += segment.length;
  }
  return text.slice(0, end);
}
