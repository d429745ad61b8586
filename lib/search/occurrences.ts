// Counting a term's occurrences in text, as ranking needs them: overlapping
// occurrences count, up to a cap. Pure functions over UTF-16 code units.

/** Occurrences of `term` in text[from, to) found with indexOf, overlapping ones counted, up to `cap`. */
export function countOccurrences(text: string, term: string, from: number, to: number, cap: number): number {
  let n = 0;
  for (let at = text.indexOf(term, from); at !== -1 && at + term.length <= to && n < cap; at = text.indexOf(term, at + 1)) n++;
  return n;
}

/** A string's UTF-16 code units. */
export function unitsOf(text: string): Uint16Array {
  const out = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/**
 * Occurrences of `term` (non-empty) in units[from, to), overlapping ones
 * counted, up to `cap`: the count countOccurrences gives, compared in place.
 * For titles: over a common word's ~10⁵ matches, reading each title's string
 * (a rope, as normalize builds it, somewhere on the heap) through indexOf
 * cost more than the rest of the scoring; titles side by side in one array
 * are read in document order.
 */
export function occurrencesIn(units: Uint16Array, from: number, to: number, term: Uint16Array, cap: number): number {
  const m = term.length;
  const first = term[0];
  let n = 0;
  outer: for (let i = from, last = to - m; i <= last; i++) {
    if (units[i] !== first) continue;
    for (let j = 1; j < m; j++) if (units[i + j] !== term[j]) continue outer;
    if (++n >= cap) break;
  }
  return n;
}
