// Counting a term's occurrences in text, as ranking needs them: overlapping
// occurrences count, up to a cap. Pure functions over UTF-16 code units.

/** A string's UTF-16 code units. */
export function unitsOf(text: string): Uint16Array {
  const out = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/**
 * Occurrences of `term` (non-empty) in units[from, to), overlapping ones
 * counted, up to `cap`: what repeated indexOf(term, at + 1) finds, compared in place.
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

/** The byte V8's indexOf scans for (with memchr) to find a UTF-16 unit in two-byte text: the larger of its two. */
export function scanByte(unit: number): number {
  return Math.max(unit & 0xff, unit >> 8);
}

/**
 * Finds a term (of two or more units) in text as indexOf does, starting the
 * scan at the unit whose scan byte is rarest in the library. indexOf looks for
 * the pattern's first unit by one of its bytes: for 一段时间 that is 0x4E,
 * the high byte of every character from 一 to 亿, so it stopped at nearly
 * every other character; searching for 段时间 (0xB5) and checking the 一 before
 * it found the same places 13× faster over the articles that hold the term.
 */
export class TermFinder {
  /** Where the scanned part starts in the term. */
  readonly at: number;
  private readonly head: string;
  private readonly tail: string;

  /** `byteCost[b]`: how often byte b occurs in the library's text (any estimate in proportion). */
  constructor(
    readonly term: string,
    byteCost: ArrayLike<number>,
  ) {
    // The part scanned for keeps two units or more: each place where it alone matches costs a return to
    // this loop, and one common character (国 of 联合国) matches far more often than its byte is scanned past.
    let at = 0;
    for (let i = 1; i + 1 < term.length; i++) if (byteCost[scanByte(term.charCodeAt(i))] < byteCost[scanByte(term.charCodeAt(at))]) at = i;
    this.at = at;
    this.head = term.slice(0, at);
    this.tail = term.slice(at);
  }

  /** text.indexOf(term, from), for from ≥ 0. */
  indexIn(text: string, from: number): number {
    const { at, head, tail } = this;
    if (at === 0) return text.indexOf(tail, from);
    for (let p = text.indexOf(tail, from + at); p !== -1; p = text.indexOf(tail, p + 1)) if (text.startsWith(head, p - at)) return p - at;
    return -1;
  }

  /** Occurrences in text[from, to) that start at or after `from`, overlapping ones counted, up to `cap`. */
  count(text: string, from: number, to: number, cap: number): number {
    const m = this.term.length;
    let n = 0;
    for (let at = this.indexIn(text, from); at !== -1 && at + m <= to && n < cap; at = this.indexIn(text, at + 1)) n++;
    return n;
  }
}
