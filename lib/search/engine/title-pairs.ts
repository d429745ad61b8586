// The library's most frequent character pairs in titles, each with the titles
// holding it once and twice or more: scoring reads a two-character word's
// title counts from here instead of scanning every result's title. A lean
// index keeps no n-gram index of its titles (the memory store's is 62 MB at
// ×10, ~210 MB at a million), so a common word's title was scanned in every
// result: 总统 at a million articles, in 36% of the titles, scanned 11 M units
// for 23 of its 48 ms. A pair in 5% or more of the titles costs a bit per
// article here (125 KB at a million); the rarer ones stay with the scan (a
// pair in fewer titles costs fewer scans).

/** A pair is kept when at least this share of the titles holds it. */
const MIN_SHARE = 0.05;
/** At most this many pairs (4 MB at a million articles). */
const MAX_PAIRS = 32;
/**
 * Titles sampled to find the frequent pairs, in a library of 16 × 1024
 * articles or more: one in 16, drawn by a hash of the article's number (every
 * 16th would miss whatever recurs in step with it).
 */
const SAMPLE_FROM = 16 * 1024;
const sampled = (doc: number) => Math.imul(doc, 0x9e3779b1) >>> 28 === 0;
/** Titles read between two yields of the build. */
const STEP = 16_384;

const pairKey = (a: number, b: number) => ((a << 16) | b) >>> 0;

/** One pair's titles: `once` a bit per article (the title holds the pair), `twice` the articles whose title holds it twice or more, ascending. */
export interface TitlePairCounts {
  once: Uint32Array;
  twice: Uint32Array;
}

export class TitlePairs {
  private constructor(private readonly counts: Map<number, TitlePairCounts>) {}

  /** The counts of a two-unit term, or null when the pair is not among the kept ones. */
  of(term: string): TitlePairCounts | null {
    if (term.length !== 2) return null;
    return this.counts.get(pairKey(term.charCodeAt(0), term.charCodeAt(1))) ?? null;
  }

  /** How many pairs are kept. */
  get size(): number {
    return this.counts.size;
  }

  /**
   * Built from titles packed one after another (title `doc` is
   * units[start[doc], start[doc + 1])), in steps: the pairs are chosen on a
   * sample, their counts are read in every title. Counts are overlapping
   * occurrences, as occurrencesIn counts them (11 is twice in 111).
   */
  static *building(units: Uint16Array, start: Uint32Array, count: number): Generator<void, TitlePairs, void> {
    const sampling = count >= SAMPLE_FROM;
    const df = new Map<number, number>();
    const seen = new Map<number, number>();
    let titles = 0;
    for (let doc = 0; doc < count; doc++) {
      if (doc % STEP === STEP - 1) yield;
      if (sampling && !sampled(doc)) continue;
      titles++;
      for (let i = start[doc], last = start[doc + 1] - 1; i < last; i++) {
        const key = pairKey(units[i], units[i + 1]);
        if (seen.get(key) === doc) continue;
        seen.set(key, doc);
        df.set(key, (df.get(key) ?? 0) + 1);
      }
    }
    const chosen = [...df].filter(([, n]) => n >= MIN_SHARE * titles).sort((x, y) => y[1] - x[1] || x[0] - y[0]).slice(0, MAX_PAIRS);
    const slotOf = new Map(chosen.map(([key], slot) => [key, slot]));
    const firstUnit = new Uint8Array(65536);
    for (const [key] of chosen) firstUnit[key >>> 16] = 1;
    const once = chosen.map(() => new Uint32Array((count + 31) >>> 5));
    const twice = chosen.map(() => [] as number[]);
    const lastDoc = new Int32Array(chosen.length).fill(-1);
    const lastTwice = new Int32Array(chosen.length).fill(-1);
    for (let doc = 0; doc < count; doc++) {
      for (let i = start[doc], last = start[doc + 1] - 1; i < last; i++) {
        if (firstUnit[units[i]] === 0) continue;
        const slot = slotOf.get(pairKey(units[i], units[i + 1]));
        if (slot === undefined) continue;
        if (lastDoc[slot] !== doc) {
          lastDoc[slot] = doc;
          once[slot][doc >>> 5] |= 1 << (doc & 31);
        } else if (lastTwice[slot] !== doc) {
          lastTwice[slot] = doc;
          twice[slot].push(doc);
        }
      }
      if (doc % STEP === STEP - 1) yield;
    }
    return new TitlePairs(new Map(chosen.map(([key], slot) => [key, { once: once[slot], twice: Uint32Array.from(twice[slot]) }])));
  }
}
