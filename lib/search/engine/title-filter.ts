// The title filter: six 32-bit words per title saying which buckets its
// characters and pairs of characters fall in, so that scoring scans a title
// for a term only when the term's bits are all among the title's.
/** One of 64 buckets for a UTF-16 unit (for the title filter). */
function charBucket(c: number): number {
  return Math.imul(c, 0x9e3779b1) >>> 26;
}

/** One of 128 buckets for two units side by side (for the title filter). */
function pairBucket(a: number, b: number): number {
  return Math.imul(((a << 16) | b) >>> 0, 0x9e3779b1) >>> 25;
}

/**
 * A text's title-filter bits, as six 32-bit words: which of 64 buckets its
 * characters fall in (words 0–1), and which of 128 buckets its pairs of
 * characters side by side do (words 2–5). A term with a character or a pair
 * outside a title's buckets is not in that title (no scan needed). (By 64
 * character buckets alone, at ×10 the title of 成长 was scanned in 60% of
 * the articles holding it and held it in 4%: 成 shares its bucket with 统,
 * in 37% of the corpus's titles, and 长 with the space, in 25%; 128 buckets
 * of the same hash keep both collisions. A pair's bucket is another draw.)
 */
export function titleBits(text: string): [number, number, number, number, number, number] {
  const units = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) units[i] = text.charCodeAt(i);
  return titleBitsOf(units, 0, units.length);
}

/** titleBits of a text packed as code units: units[from, to). */
export function titleBitsOf(units: Uint16Array, from: number, to: number): [number, number, number, number, number, number] {
  const words: [number, number, number, number, number, number] = [0, 0, 0, 0, 0, 0];
  for (let i = from; i < to; i++) {
    const c = charBucket(units[i]);
    words[c >>> 5] |= 1 << (c & 31);
    if (i + 1 < to) {
      const p = pairBucket(units[i], units[i + 1]);
      words[2 + (p >>> 5)] |= 1 << (p & 31);
    }
  }
  return words;
}
