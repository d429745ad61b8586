// Suggestions as you type and "did you mean", from what the library holds:
// the indexed vocabulary (jieba words in two or more articles, with their
// document frequency and pinyin, computed at build time) and the titles.
// Pinyin and initials only ever suggest words that exist in the library;
// they are never mixed into search results.
import { pinyinOf, type Vocabulary } from "@/lib/search/reader-aids";
import { normalize } from "@/lib/text/normalize";

export type SuggestionKind = "word" | "title" | "pinyin" | "initials";

export interface Suggestion {
  text: string;
  kind: SuggestionKind;
  /** Articles containing it (a word's document frequency; for a title, the articles with that title). */
  articles: number;
}

export const MAX_SUGGESTIONS = 8;
/** Titles shown at most, below the words, when words fill the list. */
const TITLE_SLOTS = 2;
const LATIN = /^[a-z][a-z\s']*$/u;
const HAN = /\p{Script=Han}/u;

/** Index range of the sorted keys starting with `prefix`. */
function prefixRange(sorted: readonly string[], prefix: string): [number, number] {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < prefix) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < sorted.length && sorted[end].startsWith(prefix)) end++;
  return [lo, end];
}

/** Sorted keys with the vocabulary entry each belongs to. */
interface KeyIndex {
  keys: string[];
  entry: Uint32Array;
}

function keyIndex(pairs: Array<[string, number]>): KeyIndex {
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
  return { keys: pairs.map((p) => p[0]), entry: Uint32Array.from(pairs, (p) => p[1]) };
}

export class Suggester {
  /** The vocabulary itself as a key index (its words are sorted already). */
  private wordKeys!: KeyIndex;
  private pinyinKeys!: KeyIndex;
  private initialKeys!: KeyIndex;
  /** Compact pinyin → the most frequent word spelt that way (did-you-mean). */
  private readonly homophone = new Map<string, number>();
  private titleKeys!: KeyIndex;
  private readonly titleCount = new Map<string, number>();
  private readonly wordIndex = new Map<string, number>();

  private constructor(
    private readonly vocabulary: Vocabulary,
    private readonly titles: readonly string[],
  ) {}

  /**
   * Builds one in steps, for a server that builds it between requests: each
   * `yield` is a place to stop (~10 ms of work at most between two, but for
   * the sorts, ~50 ms each on the corpus); the finished one is the return value.
   */
  static *building(vocabulary: Vocabulary, titles: readonly string[], normalizedTitles: readonly string[]): Generator<void, Suggester, void> {
    const s = new Suggester(vocabulary, titles);
    const pinyinPairs: Array<[string, number]> = [];
    const initialPairs: Array<[string, number]> = [];
    const { words, pinyin, df } = vocabulary;
    for (let i = 0; i < words.length; i++) {
      if (i % 4096 === 4095) yield;
      s.wordIndex.set(words[i], i);
      const py = pinyin[i];
      if (!py) continue;
      const syllables = py.split(" ");
      const compact = syllables.join("");
      pinyinPairs.push([compact, i]);
      initialPairs.push([syllables.map((x) => x[0]).join(""), i]);
      const best = s.homophone.get(compact);
      if (best === undefined || df[i] > df[best]) s.homophone.set(compact, i);
    }
    yield;
    s.wordKeys = { keys: words, entry: Uint32Array.from(words, (_, i) => i) };
    s.pinyinKeys = keyIndex(pinyinPairs);
    yield;
    s.initialKeys = keyIndex(initialPairs);
    yield;
    s.titleKeys = keyIndex(normalizedTitles.map((t, doc) => [t, doc]));
    yield;
    for (const t of normalizedTitles) s.titleCount.set(t, (s.titleCount.get(t) ?? 0) + 1);
    return s;
  }

  /** How many articles have this word (0 when it is not in the vocabulary). */
  documentFrequency(word: string): number {
    const i = this.wordIndex.get(word);
    return i === undefined ? 0 : this.vocabulary.df[i];
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
    const [lo, hi] = prefixRange(this.titleKeys.keys, prefix);
    const out: Suggestion[] = [];
    const shown = new Set<string>();
    for (let k = lo; k < hi && out.length < limit; k++) {
      const key = this.titleKeys.keys[k];
      if (shown.has(key)) continue;
      shown.add(key);
      out.push({ text: this.titles[this.titleKeys.entry[k]], kind: "title", articles: this.titleCount.get(key)! });
    }
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
      const full = this.homophone.get(compact);
      if (full !== undefined) return this.vocabulary.words[full];
      const [lo, hi] = prefixRange(this.initialKeys.keys, compact);
      let best = -1;
      for (let k = lo; k < hi; k++) {
        if (this.initialKeys.keys[k] !== compact) break;
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
        const sound = this.homophone.get(pinyinOf(span).replace(/ /gu, ""));
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
