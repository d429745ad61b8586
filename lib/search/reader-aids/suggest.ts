// Suggestions as you type and "did you mean", from what the library holds:
// the indexed vocabulary (jieba words in two or more articles, with their
// document frequency and pinyin, computed at build time) and the titles.
// Pinyin and initials only ever suggest words that exist in the library;
// they are never mixed into search results.
import { pinyinOf, type Vocabulary } from "@/lib/search/reader-aids/reader-aids";
import { normalize } from "@/lib/text/normalize";

export type SuggestionKind = "word" | "title" | "pinyin" | "initials";

export interface Suggestion {
  text: string;
  kind: SuggestionKind;
  /** Articles containing it (a word's document frequency; for a title, the articles with that title). */
  articles: number;
}

const MAX_SUGGESTIONS = 8;
/** Titles shown at most, below the words, when words fill the list. */
const TITLE_SLOTS = 2;
const LATIN = /^[a-z][a-z\s']*$/u;
const HAN = /\p{Script=Han}/u;

/** Sorted keys, read by place. */
interface Keys {
  readonly length: number;
  /** Whether key k sorts before `s` (as `<` compares strings). */
  below(k: number, s: string): boolean;
  startsWith(k: number, prefix: string): boolean;
  is(k: number, s: string): boolean;
}

/** Keys held as a sorted array of strings (the vocabulary's words, shared with it). */
class ListKeys implements Keys {
  constructor(private readonly list: readonly string[]) {}
  get length(): number {
    return this.list.length;
  }
  below(k: number, s: string): boolean {
    return this.list[k] < s;
  }
  startsWith(k: number, prefix: string): boolean {
    return this.list[k].startsWith(prefix);
  }
  is(k: number, s: string): boolean {
    return this.list[k] === s;
  }
}

/**
 * Keys made for the suggester (pinyin, initials) packed into one string with
 * their offsets: ~170k short strings each at ×10 took ~6 MB a list as
 * strings, ~1–2 MB packed.
 */
class PackedKeys implements Keys {
  private readonly text: string;
  private readonly start: Uint32Array;

  constructor(sorted: readonly string[]) {
    this.text = sorted.join("");
    this.start = new Uint32Array(sorted.length + 1);
    sorted.forEach((key, k) => (this.start[k + 1] = this.start[k] + key.length));
  }
  get length(): number {
    return this.start.length - 1;
  }
  below(k: number, s: string): boolean {
    const from = this.start[k];
    const len = this.start[k + 1] - from;
    const n = Math.min(len, s.length);
    for (let i = 0; i < n; i++) {
      const d = this.text.charCodeAt(from + i) - s.charCodeAt(i);
      if (d !== 0) return d < 0;
    }
    return len < s.length;
  }
  startsWith(k: number, prefix: string): boolean {
    return this.start[k + 1] - this.start[k] >= prefix.length && this.text.startsWith(prefix, this.start[k]);
  }
  is(k: number, s: string): boolean {
    return this.start[k + 1] - this.start[k] === s.length && this.text.startsWith(s, this.start[k]);
  }
}

/** The first place in the sorted keys whose key is not below `key`. */
function lowerBound(sorted: Keys, key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted.below(mid, key)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index range of the sorted keys starting with `prefix`. */
function prefixRange(sorted: Keys, prefix: string): [number, number] {
  const lo = lowerBound(sorted, prefix);
  let end = lo;
  while (end < sorted.length && sorted.startsWith(end, prefix)) end++;
  return [lo, end];
}

/** Sorted keys with the vocabulary entry each belongs to. */
interface KeyIndex {
  keys: Keys;
  entry: Uint32Array;
}

/** Keys sorted, each with its entry (ties: by entry), packed; no pair per key is made. */
function* keyIndex(keys: string[], entries: number[]): Generator<void, KeyIndex, void> {
  const order = yield* sortInSteps(Uint32Array.from(keys, (_, i) => i), (a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : entries[a] - entries[b]));
  return { keys: new PackedKeys(Array.from(order, (i) => keys[i])), entry: Uint32Array.from(order, (i) => entries[i]) };
}

/** Items compared (or written) between two of sortInSteps's yields: ~5–15 ms of titles compared. */
const SORT_STEP = 16384;

/**
 * `items` sorted by `cmp`, a total order (no two items equal), in steps for
 * a server that sorts between requests: runs of `step` items sorted, then
 * merged pairwise, yielding after each run and every `step` items merged.
 * At 1M articles one sort of the titles held the event loop ~1 s (and with
 * it the server's first answer). Sorts `items` in place; the result is it or
 * a second array.
 */
export function* sortInSteps(items: Uint32Array, cmp: (a: number, b: number) => number, step = SORT_STEP): Generator<void, Uint32Array, void> {
  const n = items.length;
  for (let lo = 0; lo < n; lo += step) {
    items.subarray(lo, Math.min(n, lo + step)).sort(cmp);
    if (lo + step < n) yield;
  }
  let src: Uint32Array = items;
  let dst: Uint32Array = new Uint32Array(step < n ? n : 0);
  for (let width = step; width < n; width *= 2) {
    let out = 0;
    let budget = step;
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(n, lo + width);
      const hi = Math.min(n, lo + 2 * width);
      let i = lo;
      let j = mid;
      while (i < mid && j < hi) {
        dst[out++] = cmp(src[i], src[j]) <= 0 ? src[i++] : src[j++];
        if (--budget === 0) {
          budget = step;
          yield;
        }
      }
      while (i < mid) dst[out++] = src[i++];
      while (j < hi) dst[out++] = src[j++];
    }
    [src, dst] = [dst, src];
    yield;
  }
  return src;
}

/**
 * The library's titles as the suggester reads them: normalised, as code
 * units one after another (title `doc` is units[start[doc], start[doc + 1]),
 * the engine's own arrays), and each as written for display. No string per
 * title is held: at ×10 two arrays of 295k title strings were ~40 MB a process.
 */
export interface TitleSource {
  units: Uint16Array;
  start: Uint32Array;
  /** Says which documents' titles as written are about to be read (a lean index fetches them all at once). */
  need?(docs: number[]): void;
  original(doc: number): string;
}

/** Title `doc`'s normalised units against `prefix`: −1 below it, 0 starting with it, 1 above it (as `<` orders strings). */
function comparePrefix(t: TitleSource, doc: number, prefix: string): number {
  const from = t.start[doc];
  const len = t.start[doc + 1] - from;
  const n = Math.min(len, prefix.length);
  for (let i = 0; i < n; i++) {
    const d = t.units[from + i] - prefix.charCodeAt(i);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return len < prefix.length ? -1 : 0;
}

/** Title a's normalised units against title b's, as `<` compares strings: negative, 0 (equal) or positive. */
function compareTitles(t: TitleSource, a: number, b: number): number {
  const fa = t.start[a];
  const fb = t.start[b];
  const la = t.start[a + 1] - fa;
  const lb = t.start[b + 1] - fb;
  const n = Math.min(la, lb);
  for (let i = 0; i < n; i++) {
    const d = t.units[fa + i] - t.units[fb + i];
    if (d !== 0) return d;
  }
  return la - lb;
}

/** For each place in `order` (titles sorted), the place after the last title equal to it. */
function* runEnds(titles: TitleSource, order: Uint32Array): Generator<void, Uint32Array, void> {
  const count = order.length;
  const runEnd = new Uint32Array(count);
  for (let k = count - 1; k >= 0; k--) {
    runEnd[k] = k + 1 < count && compareTitles(titles, order[k], order[k + 1]) === 0 ? runEnd[k + 1] : k + 1;
    if (k % SORT_STEP === 0 && k > 0) yield;
  }
  return runEnd;
}

export class Suggester {
  /** The vocabulary itself as a key index (its words are sorted already). */
  private wordKeys!: KeyIndex;
  private pinyinKeys!: KeyIndex;
  private initialKeys!: KeyIndex;
  /** Documents in their normalised titles' order (ties: by document). */
  private titleOrder!: Uint32Array;
  /** For each place in titleOrder, the place after the last title equal to it: equal titles are a run. */
  private titleRunEnd!: Uint32Array;

  private constructor(
    private readonly vocabulary: Vocabulary,
    private readonly titles: TitleSource,
  ) {}

  /**
   * Builds one in steps, for a server that builds it between requests: each
   * `yield` is a place to stop (~10–20 ms of work at most between two, the
   * sorts too: sortInSteps); the finished one is the return value.
   */
  static *building(vocabulary: Vocabulary, titles: TitleSource): Generator<void, Suggester, void> {
    const s = new Suggester(vocabulary, titles);
    const pinyinKeys: string[] = [];
    const initialKeys: string[] = [];
    const entries: number[] = [];
    const { words, pinyin } = vocabulary;
    for (let i = 0; i < words.length; i++) {
      if (i % 4096 === 4095) yield;
      const py = pinyin[i];
      if (!py) continue;
      const syllables = py.split(" ");
      pinyinKeys.push(syllables.join(""));
      initialKeys.push(syllables.map((x) => x[0]).join(""));
      entries.push(i);
    }
    yield;
    s.wordKeys = { keys: new ListKeys(words), entry: Uint32Array.from(words, (_, i) => i) };
    s.pinyinKeys = yield* keyIndex(pinyinKeys, entries);
    yield;
    s.initialKeys = yield* keyIndex(initialKeys, entries);
    yield;
    const count = titles.start.length - 1;
    const order = new Uint32Array(count);
    for (let doc = 0; doc < count; doc++) order[doc] = doc;
    s.titleOrder = yield* sortInSteps(order, (a, b) => compareTitles(titles, a, b) || a - b);
    yield;
    s.titleRunEnd = yield* runEnds(titles, s.titleOrder);
    return s;
  }

  /**
   * The suggester of a live segment (engine/live-segment.ts), from its base's:
   * the same as `building` over the segment's vocabulary and titles, made in
   * time proportional to the changes rather than the library. The base's
   * title order is renumbered (`remap`: old document → new, −1 gone; it keeps
   * the kept documents' order, so their order by title and document holds),
   * the added documents sorted and placed by binary search; the vocabulary's
   * key indexes are the base's when its words and pinyin are (a change that
   * only moves document frequencies), else built again. Built whole at ×10,
   * this was ~0.8 s of the first search after each change.
   */
  static *carrying(base: Suggester, vocabulary: Vocabulary, titles: TitleSource, remap: Int32Array, added: Uint32Array): Generator<void, Suggester, void> {
    const s = new Suggester(vocabulary, titles);
    const same = (a: readonly string[], b: readonly string[]) => a === b || (a.length === b.length && a.every((x, i) => x === b[i]));
    if (same(vocabulary.words, base.vocabulary.words) && same(vocabulary.pinyin, base.vocabulary.pinyin)) {
      s.wordKeys = { keys: new ListKeys(vocabulary.words), entry: base.wordKeys.entry };
      s.pinyinKeys = base.pinyinKeys;
      s.initialKeys = base.initialKeys;
    } else {
      const keys = yield* Suggester.building(vocabulary, { units: new Uint16Array(0), start: new Uint32Array(1), original: () => "" });
      s.wordKeys = keys.wordKeys;
      s.pinyinKeys = keys.pinyinKeys;
      s.initialKeys = keys.initialKeys;
    }
    yield;
    const count = titles.start.length - 1;
    const order = new Uint32Array(count);
    const fresh = Uint32Array.from(added).sort((a, b) => compareTitles(titles, a, b) || a - b);
    const kept = new Uint32Array(count - fresh.length);
    let k = 0;
    for (const old of base.titleOrder) {
      const doc = remap[old];
      if (doc >= 0) kept[k++] = doc;
    }
    if (k !== kept.length) throw new Error(`search: a live segment's suggester: ${k} kept titles and ${fresh.length} added for ${count} articles`);
    // Each added title after the kept ones that sort before it (as building's sort orders them), in order.
    let from = 0;
    let at = 0;
    for (const doc of fresh) {
      let lo = from;
      let hi = kept.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((compareTitles(titles, kept[mid], doc) || kept[mid] - doc) < 0) lo = mid + 1;
        else hi = mid;
      }
      order.set(kept.subarray(from, lo), at);
      at += lo - from;
      order[at++] = doc;
      from = lo;
    }
    order.set(kept.subarray(from), at);
    s.titleOrder = order;
    yield;
    s.titleRunEnd = yield* runEnds(titles, order);
    return s;
  }

  /** How many articles have this word (0 when it is not in the vocabulary). */
  documentFrequency(word: string): number {
    const lo = lowerBound(this.wordKeys.keys, word);
    return this.vocabulary.words[lo] === word ? this.vocabulary.df[lo] : 0;
  }

  /** The vocabulary entry for a compact pinyin spelling with most articles (the first of equals), or undefined. */
  private homophone(compact: string): number | undefined {
    const { keys, entry } = this.pinyinKeys;
    let best: number | undefined;
    for (let k = lowerBound(keys, compact); k < keys.length && keys.is(k, compact); k++) {
      if (best === undefined || this.vocabulary.df[entry[k]] > this.vocabulary.df[best]) best = entry[k];
    }
    return best;
  }

  /** The best `limit` entries of a key range, by document frequency (ties: first in key order). */
  private best(index: KeyIndex, prefix: string, limit: number, exclude: Set<number>): number[] {
    const [lo, hi] = prefixRange(index.keys, prefix);
    const df = this.vocabulary.df;
    const top: number[] = [];
    const order = (a: number, b: number) => df[b] - df[a];
    for (let k = lo; k < hi; k++) {
      const e = index.entry[k];
      if (exclude.has(e)) continue;
      if (top.length < limit) {
        top.push(e);
        top.sort(order);
      } else if (df[e] > df[top[limit - 1]]) {
        top[limit - 1] = e;
        top.sort(order);
      }
    }
    return top;
  }

  suggest(raw: string, limit = MAX_SUGGESTIONS): Suggestion[] {
    const n = normalize(raw).trim().replace(/\s+/gu, " ");
    if (!n) return [];
    const out: Suggestion[] = [];
    const seen = new Set<number>();
    const add = (entries: number[], kind: SuggestionKind) => {
      for (const e of entries) {
        if (seen.has(e)) continue;
        seen.add(e);
        out.push({ text: this.vocabulary.words[e], kind, articles: this.vocabulary.df[e] });
      }
    };
    if (LATIN.test(n)) {
      const compact = n.replace(/[\s']/gu, "");
      if (compact.length < 2) return [];
      // Pinyin typed in full (spaced or not), then as initials: dangjian, dang jian gong zuo, djgz.
      add(this.best(this.pinyinKeys, compact, limit, seen), "pinyin");
      if (out.length < limit && compact.length <= 8) add(this.best(this.initialKeys, compact, limit - out.length, seen), "initials");
      out.sort((a, b) => b.articles - a.articles);
      return out.slice(0, limit);
    }
    const words = this.best(this.wordKeys, n, limit, seen);
    const titles = this.titleSuggestions(n, limit);
    const wordSlots = Math.max(limit - Math.min(TITLE_SLOTS, titles.length), 0);
    add(words.slice(0, wordSlots), "word");
    for (const t of titles) if (out.length < limit) out.push(t);
    return out;
  }

  private titleSuggestions(prefix: string, limit: number): Suggestion[] {
    const { titleOrder: order, titleRunEnd: runEnd, titles } = this;
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (comparePrefix(titles, order[mid], prefix) < 0) lo = mid + 1;
      else hi = mid;
    }
    // Each run of equal titles once, as its first document wrote it.
    const runs: number[] = [];
    for (let k = lo; k < order.length && runs.length < limit && comparePrefix(titles, order[k], prefix) === 0; k = runEnd[k]) runs.push(k);
    titles.need?.(runs.map((k) => order[k]));
    const out: Suggestion[] = runs.map((k) => ({ text: titles.original(order[k]), kind: "title", articles: runEnd[k] - k }));
    return out.sort((a, b) => b.articles - a.articles);
  }

  /**
   * The closest query that exists in the library, or null: pinyin or initials
   * typed for a word (dangjian → 党建), or Chinese with a homophone typo, each
   * span not in the vocabulary replaced by the most frequent word that sounds
   * the same (党键工作 → 党建工作).
   */
  closest(raw: string): string | null {
    const n = normalize(raw).trim();
    if (!n) return null;
    if (LATIN.test(n)) {
      const compact = n.replace(/[\s']/gu, "");
      if (compact.length < 2) return null;
      const full = this.homophone(compact);
      if (full !== undefined) return this.vocabulary.words[full];
      const [lo, hi] = prefixRange(this.initialKeys.keys, compact);
      let best = -1;
      for (let k = lo; k < hi; k++) {
        if (!this.initialKeys.keys.is(k, compact)) break;
        const e = this.initialKeys.entry[k];
        if (best === -1 || this.vocabulary.df[e] > this.vocabulary.df[best]) best = e;
      }
      return best === -1 ? null : this.vocabulary.words[best];
    }
    if (!HAN.test(n)) return null;
    let out = "";
    let changed = false;
    for (let i = 0; i < n.length; ) {
      let step = 0;
      for (let len = Math.min(6, n.length - i); len >= 2 && step === 0; len--) {
        const span = n.slice(i, i + len);
        if (![...span].every((c) => HAN.test(c))) continue;
        if (this.documentFrequency(span) > 0) {
          out += span;
          step = len;
          break;
        }
        const sound = this.homophone(pinyinOf(span).replace(/ /gu, ""));
        if (sound !== undefined && this.vocabulary.words[sound].length === len) {
          out += this.vocabulary.words[sound];
          changed = true;
          step = len;
        }
      }
      if (step === 0) {
        out += n[i];
        step = 1;
      }
      i += step;
    }
    return changed ? out : null;
  }
}
