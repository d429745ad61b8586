// What the index computes for readers beyond matching, at build time:
//   - the vocabulary with document frequencies and pinyin (suggestions,
//     pinyin and initials, did-you-mean; see suggest.ts);
//   - repost groups: near-identical bodies (the same piece republished under
//     another source, date or script) found with MinHash over character
//     shingles of the normalised body and LSH banding, each group a leader
//     and the articles within the similarity bound of it;
//   - each article's key terms (TF-IDF over its jieba words) and related
//     articles (those sharing the most distinctive terms, reposts excluded).
// A full build computes everything; an incremental one carries each kept
// article's signature and key terms, updates the frequencies with the words
// of the articles added and removed, and recomputes groups and related
// articles (cheap) from the carried data, so both give the same answers.
import { pinyin } from "pinyin-pro";
import { keywordIdf } from "@/lib/text/segment";

/** MinHash bins per article (one-permutation hashing). */
export const SIGNATURE_BINS = 64;
const SHINGLE = 4;
const EMPTY_BIN = 0xffffffff;
const BANDS = 16;
const ROWS = SIGNATURE_BINS / BANDS;
/** Estimated Jaccard similarity of body shingles to the group's leader needed to join it. */
const REPOST_SIMILARITY = 0.9;
/** Bodies whose lengths differ by more than this share are never grouped. */
const LENGTH_TOLERANCE = 0.1;
/** Shorter bodies (in letters and digits) are not grouped: too little to tell a repost from a template. */
const MIN_BODY = 40;
const KEYWORDS = 8;
const KEYWORD_CANDIDATES = 30;
/** Words starting or ending with a function character are fragments of a phrase (的人, 才是, 融为), not terms. */
const FUNCTION_EDGE = new Set([..."的了是在和与及等也就都而之其为以于被把将从向对着过这那个些又"]);
/** A keyword in more articles' key terms than this says nothing about which are related. */
export const MAX_RELATED_POSTINGS = 200;
export const RELATED = 5;
/** Words in fewer articles are not in the vocabulary (one-off typos, mangled scrapes). */
export const MIN_VOCABULARY_DF = 2;
export const READER_AIDS_VERSION = 3;

export interface ReaderAids {
  /** Per article: its key terms, best first, and their weights. */
  keywords: string[][];
  weights: number[][];
  /** Per article, RELATED related articles (document numbers, -1 for none). */
  related: Int32Array;
  /** Per article: the leader of its repost group (itself when alone or the leader). */
  groupOf: Int32Array;
  /** Per article, SIGNATURE_BINS MinHash values, then the body length. */
  signatures: Uint32Array;
  /** Words in at least MIN_VOCABULARY_DF articles, sorted, with their document frequency and pinyin ("" for none). */
  vocabulary: Vocabulary;
}

export interface Vocabulary {
  words: string[];
  df: Uint32Array;
  /** Toneless pinyin syllables separated by spaces, for Han words of 2–8 characters. */
  pinyin: string[];
}

/** u32s per article in the signatures: SIGNATURE_BINS MinHash values, then the body length. */
export const SIGNATURE_STRIDE = SIGNATURE_BINS + 1;
const HAN_WORD = /^\p{Script=Han}{2,8}$/u;
const LATIN_KEYWORD = /^[a-z][a-z-]{2,}$/u;

/** The toneless pinyin of a Han word, syllables separated by spaces. */
export function pinyinOf(word: string): string {
  return pinyin(word, { toneType: "none", type: "array", v: true }).join(" ");
}

/** MinHash signature and letter count of an article's normalised body (the searchable text without its title line). */
function bodySignature(normalizedText: string, out: Uint32Array, at: number): void {
  const nl = normalizedText.indexOf("\n");
  const body = nl === -1 ? "" : normalizedText.slice(nl + 1);
  // Letters and digits only: punctuation and spacing changes do not count.
  const units: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (isLetterOrDigit(c)) units.push(c);
  }
  out.fill(EMPTY_BIN, at, at + SIGNATURE_BINS);
  out[at + SIGNATURE_BINS] = units.length;
  for (let i = 0; i + SHINGLE <= units.length; i++) {
    let h = 0x811c9dc5;
    for (let k = 0; k < SHINGLE; k++) h = Math.imul(h ^ units[i + k], 0x01000193);
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
    h = Math.imul(h ^ (h >>> 12), 0x297a2d39) ^ (h >>> 15);
    const bin = h >>> 26;
    const value = Math.imul(h, 0x9e3779b1) >>> 0;
    if (value < out[at + bin]) out[at + bin] = value;
  }
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const otherUnits = new Map<number, boolean>();

/** Whether a UTF-16 unit is a letter or digit (CJK and ASCII directly, the rest through a cached regex test). */
function isLetterOrDigit(c: number): boolean {
  if (c >= 0x4e00 && c <= 0x9fff) return true;
  if (c < 0x80) return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
  let v = otherUnits.get(c);
  if (v === undefined) {
    v = c >= 0xd800 && c <= 0xdfff ? true : LETTER_OR_DIGIT.test(String.fromCharCode(c));
    otherUnits.set(c, v);
  }
  return v;
}

/** The signatures of a list of normalised texts. */
export function bodySignatures(texts: readonly string[]): Uint32Array {
  const out = new Uint32Array(texts.length * SIGNATURE_STRIDE);
  texts.forEach((t, doc) => bodySignature(t, out, doc * SIGNATURE_STRIDE));
  return out;
}

/** Estimated Jaccard similarity of two articles' body shingles, from their signatures. */
export function similarity(sig: Uint32Array, a: number, b: number): number {
  let same = 0;
  let used = 0;
  for (let k = 0; k < SIGNATURE_BINS; k++) {
    const x = sig[a * SIGNATURE_STRIDE + k];
    const y = sig[b * SIGNATURE_STRIDE + k];
    if (x === EMPTY_BIN && y === EMPTY_BIN) continue;
    used++;
    if (x === y) same++;
  }
  return used === 0 ? 0 : same / used;
}

function bodyLength(sig: Uint32Array, doc: number): number {
  return sig[doc * SIGNATURE_STRIDE + SIGNATURE_BINS];
}

/** Whether two articles are reposts of each other: lengths within 10% and estimated similarity over the bound. */
export function reposts(sig: Uint32Array, a: number, b: number): boolean {
  const la = bodyLength(sig, a);
  const lb = bodyLength(sig, b);
  if (la < MIN_BODY || lb < MIN_BODY) return false;
  if (Math.abs(la - lb) > LENGTH_TOLERANCE * Math.max(la, lb)) return false;
  return similarity(sig, a, b) >= REPOST_SIMILARITY;
}

/** LSH bands of a signature (ROWS bins each): articles sharing a band's key are compared. */
export const REPOST_BANDS = BANDS;

/** An article's key in one LSH band (30 bits), or −1 when the band has an empty bin. */
export function bandKey(sig: Uint32Array, doc: number, band: number): number {
  let h = 0x9747b28c ^ band;
  for (let r = 0; r < ROWS; r++) {
    const v = sig[doc * SIGNATURE_STRIDE + band * ROWS + r];
    if (v === EMPTY_BIN) return -1;
    h = Math.imul(h ^ v, 0x5bd1e995);
    h ^= h >>> 13;
  }
  return h & 0x3fffffff;
}

/** Whether an article's body is long enough to be grouped with reposts at all. */
export const groupable = (sig: Uint32Array, doc: number) => bodyLength(sig, doc) >= MIN_BODY;

/** Repost groups by leader: each article joins the first earlier leader it is a repost of, found through LSH buckets. */
export function repostGroups(sig: Uint32Array, n: number): Int32Array {
  const groupOf = new Int32Array(n);
  // One map per band, keyed by 30 bits of the band's hash (small integers are the fastest map keys; a collision only adds a candidate, checked anyway).
  const buckets = Array.from({ length: BANDS }, () => new Map<number, number[]>());
  for (let doc = 0; doc < n; doc++) {
    groupOf[doc] = doc;
    if (bodyLength(sig, doc) < MIN_BODY) continue;
    const keys: number[] = [];
    let best = -1;
    let bestSimilarity = 0;
    for (let band = 0; band < BANDS; band++) {
      const key = bandKey(sig, doc, band);
      if (key < 0) continue;
      keys.push(band, key);
      for (const other of buckets[band].get(key) ?? []) {
        const leader = groupOf[other];
        if (leader === best) continue;
        if (!reposts(sig, doc, leader)) continue;
        const s = similarity(sig, doc, leader);
        if (s > bestSimilarity || (s === bestSimilarity && leader < best)) {
          best = leader;
          bestSimilarity = s;
        }
      }
    }
    if (best >= 0) groupOf[doc] = best;
    // Only leaders go in the buckets: members are found through them.
    else
      for (let k = 0; k < keys.length; k += 2) {
        const map = buckets[keys[k]];
        const list = map.get(keys[k + 1]);
        if (list) list.push(doc);
        else map.set(keys[k + 1], [doc]);
      }
  }
  return groupOf;
}

/**
 * Occurrences of a word in the text, not counting those inside a longer
 * known word (jieba's search mode also gives 责人 inside 负责人: a fragment,
 * not a term of its own).
 */
function countIn(text: string, word: string, cap: number, words: ReadonlyMap<string, unknown>): number {
  let n = 0;
  for (let at = text.indexOf(word); at !== -1 && n < cap; at = text.indexOf(word, at + word.length)) {
    const left = at > 0 ? text.slice(at - 1, at + word.length) : "";
    const right = text.slice(at, at + word.length + 1);
    if (words.has(left) || (right.length > word.length && words.has(right))) continue;
    n++;
  }
  return n;
}

/**
 * An article's key terms: its words by TF-IDF (jieba's IDF table, so they
 * depend on the article alone), none inside another.
 */
export interface KeyTerms {
  terms: string[];
  weights: number[];
}

/** Whether candidate (w, x) ranks below (v, y): lower weight, or the same weight and a later word. */
const below = (x: number, w: string, y: number, v: string) => x < y || (x === y && w > v);

// Scratch space for the candidate heap: no allocation per word (millions of them per build).
const heapWords: string[] = new Array(KEYWORD_CANDIDATES);
const heapWeights = new Float64Array(KEYWORD_CANDIDATES);

export function keyTerms(text: string, words: readonly string[]): KeyTerms {
  const { idf, known, isStopWord } = keywordIdf();
  // The KEYWORD_CANDIDATES most distinctive words, in a min-heap (its root is the weakest kept).
  let size = 0;
  for (const w of words) {
    const c = w.charCodeAt(0);
    const han = c >= 0x4e00 && c <= 0x9fff;
    // Known words only: jieba's HMM also guesses fragments of names (尔斯 in 托拜尔斯). Latin words of three letters or more.
    let weight = han ? known.get(w) : undefined;
    if (han ? weight === undefined : !LATIN_KEYWORD.test(w)) continue;
    weight ??= idf(w);
    if (size === KEYWORD_CANDIDATES && !below(heapWeights[0], heapWords[0], weight, w)) continue;
    if (FUNCTION_EDGE.has(w[0]) || FUNCTION_EDGE.has(w[w.length - 1]) || isStopWord(w)) continue;
    let j: number;
    if (size < KEYWORD_CANDIDATES) {
      j = size++;
      while (j > 0) {
        const p = (j - 1) >> 1;
        if (!below(weight, w, heapWeights[p], heapWords[p])) break;
        heapWeights[j] = heapWeights[p];
        heapWords[j] = heapWords[p];
        j = p;
      }
    } else {
      j = 0;
      for (;;) {
        const l = 2 * j + 1;
        if (l >= size) break;
        const r = l + 1;
        const m = r < size && below(heapWeights[r], heapWords[r], heapWeights[l], heapWords[l]) ? r : l;
        if (!below(heapWeights[m], heapWords[m], weight, w)) break;
        heapWeights[j] = heapWeights[m];
        heapWords[j] = heapWords[m];
        j = m;
      }
    }
    heapWeights[j] = weight;
    heapWords[j] = w;
  }
  // Counting occurrences is the costly part: only for the most distinctive words.
  const scored: Array<[string, number]> = [];
  for (let k = 0; k < size; k++) {
    const tf = countIn(text, heapWords[k], 20, known);
    scored.push([heapWords[k], tf === 0 ? 0 : (1 + Math.log(tf)) * heapWeights[k]]);
  }
  scored.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const terms: string[] = [];
  const weights: number[] = [];
  for (const [w, score] of scored) {
    if (score <= 0 || terms.length >= KEYWORDS) break;
    if (terms.some((t) => t.includes(w) || w.includes(t))) continue;
    terms.push(w);
    weights.push(Math.round(score * 1000) / 1000);
  }
  return { terms, weights };
}

/** For each article, the articles sharing the most weight of key terms, reposts of it (and of each other) left out. */
export function relatedArticles(keywords: string[][], weights: number[][], groupOf: Int32Array): Int32Array {
  const n = keywords.length;
  // Postings per key term: documents and the term's weight in each.
  const postings = new Map<string, KeyTermPosting>();
  keywords.forEach((terms, doc) =>
    terms.forEach((t, k) => {
      let p = postings.get(t);
      if (!p) postings.set(t, (p = { docs: [], weights: [] }));
      p.docs.push(doc);
      p.weights.push(weights[doc][k]);
    }),
  );
  const out = new Int32Array(n * RELATED).fill(-1);
  const scratch = relatedScratch(n);
  for (let doc = 0; doc < n; doc++) relatedOf(doc, keywords[doc], weights[doc], groupOf, (t) => postings.get(t)!, scratch, out);
  return out;
}

/** The documents having a key term (ascending) and its weight in each. */
export interface KeyTermPosting {
  docs: number[];
  weights: number[];
}

export interface RelatedScratch {
  score: Float64Array;
  touched: number[];
  best: number[];
}

export const relatedScratch = (articles: number): RelatedScratch => ({ score: new Float64Array(articles), touched: [], best: [] });

/**
 * One article's related articles into `out` (RELATED from doc × RELATED, −1
 * for none): the articles sharing its key terms (those in at most
 * MAX_RELATED_POSTINGS articles' key terms), by the sum of the products of
 * the shared terms' weights, then document order, one per repost group and
 * none of its own. `posting(t)` gives each of its terms' postings.
 */
export function relatedOf(doc: number, terms: readonly string[], termWeights: readonly number[], groupOf: Int32Array, posting: (term: string) => KeyTermPosting, scratch: RelatedScratch, out: Int32Array): void {
  const { score, touched, best } = scratch;
  for (let k = 0; k < terms.length; k++) {
    const p = posting(terms[k]);
    if (p.docs.length > MAX_RELATED_POSTINGS) continue;
    const w = termWeights[k];
    for (let i = 0; i < p.docs.length; i++) {
      const other = p.docs[i];
      if (groupOf[other] === groupOf[doc]) continue;
      if (score[other] === 0) touched.push(other);
      score[other] += p.weights[i] * w;
    }
  }
  // The best few, one per repost group, by score then document order.
  best.length = 0;
  for (const other of touched) {
    let at = best.length;
    while (at > 0 && (score[best[at - 1]] < score[other] || (score[best[at - 1]] === score[other] && best[at - 1] > other))) at--;
    if (at >= RELATED * 4) continue;
    best.splice(at, 0, other);
    if (best.length > RELATED * 4) best.pop();
  }
  const groups = new Set<number>();
  let k = 0;
  out.fill(-1, doc * RELATED, (doc + 1) * RELATED);
  for (const other of best) {
    if (k >= RELATED) break;
    if (groups.has(groupOf[other])) continue;
    groups.add(groupOf[other]);
    out[doc * RELATED + k++] = other;
  }
  for (const other of touched) score[other] = 0;
  touched.length = 0;
}

/**
 * The vocabulary from document frequencies. With the previous vocabulary and
 * the words whose counts changed, it is updated in place of rebuilt: pinyin
 * is reused and only words crossing the threshold are added or dropped.
 */
function vocabularyOf(df: Map<string, number>, previous?: Vocabulary, changed?: Iterable<string>): Vocabulary {
  if (previous && changed) {
    const entering = new Set<string>();
    for (const w of changed) if ((df.get(w) ?? 0) >= MIN_VOCABULARY_DF) entering.add(w);
    const words: string[] = [];
    const pinyinList: string[] = [];
    for (let i = 0; i < previous.words.length; i++) {
      const w = previous.words[i];
      entering.delete(w);
      if ((df.get(w) ?? 0) < MIN_VOCABULARY_DF) continue;
      words.push(w);
      pinyinList.push(previous.pinyin[i]);
    }
    if (entering.size > 0) {
      const added = [...entering].sort();
      const mergedWords: string[] = [];
      const mergedPinyin: string[] = [];
      let a = 0;
      for (let i = 0; i <= words.length; i++) {
        while (a < added.length && (i === words.length || added[a] < words[i])) {
          mergedWords.push(added[a]);
          mergedPinyin.push(HAN_WORD.test(added[a]) ? pinyinOf(added[a]) : "");
          a++;
        }
        if (i < words.length) {
          mergedWords.push(words[i]);
          mergedPinyin.push(pinyinList[i]);
        }
      }
      return { words: mergedWords, df: Uint32Array.from(mergedWords, (w) => df.get(w)!), pinyin: mergedPinyin };
    }
    return { words, df: Uint32Array.from(words, (w) => df.get(w)!), pinyin: pinyinList };
  }
  const knownPinyin = previous ? new Map(previous.words.map((w, i) => [w, previous.pinyin[i]])) : undefined;
  const words = [...df.keys()].filter((w) => df.get(w)! >= MIN_VOCABULARY_DF).sort();
  return {
    words,
    df: Uint32Array.from(words, (w) => df.get(w)!),
    pinyin: words.map((w) => (HAN_WORD.test(w) ? (knownPinyin?.get(w) ?? pinyinOf(w)) : "")),
  };
}

/**
 * How the vocabulary changes when some words' document frequencies change
 * (`counts`: each changed word's count after; `before`: its count before):
 * the words that enter it or whose count changed, with their pinyin, and the
 * words that leave it. The vocabulary patched so equals vocabularyOf over the
 * new counts.
 */
export function vocabularyChanges(previous: Vocabulary, before: (word: string) => number, counts: ReadonlyMap<string, number>): { set: Array<[string, number, string]>; drop: string[] } {
  const set: Array<[string, number, string]> = [];
  const drop: string[] = [];
  const pinyinBefore = (w: string) => {
    let lo = 0;
    let hi = previous.words.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const m = previous.words[mid];
      if (m === w) return previous.pinyin[mid];
      if (m < w) lo = mid + 1;
      else hi = mid - 1;
    }
    return HAN_WORD.test(w) ? pinyinOf(w) : "";
  };
  for (const [w, after] of counts) {
    const was = before(w);
    const inBefore = was >= MIN_VOCABULARY_DF;
    if (after >= MIN_VOCABULARY_DF) {
      if (!inBefore || after !== was) set.push([w, after, pinyinBefore(w)]);
    } else if (inBefore) drop.push(w);
  }
  return { set, drop };
}

export interface AidsInput {
  /** Every article's normalised searchable text, or null for a kept article (its signature and key terms are carried). */
  text: (doc: number) => string | null;
  /** Every article's words, or null for a kept article. */
  words: (doc: number) => readonly string[] | null;
  /** Key terms already picked (by the segmentation threads), or null to pick them here. */
  terms?: (doc: number) => KeyTerms | null;
  /** Signatures already computed for every article, when the build did it early. */
  signatures?: Uint32Array;
  /** Repost groups already computed from those signatures (an incremental build does it while jieba works). */
  groupOf?: Int32Array;
  /** Words whose document frequency changed since the previous vocabulary (an incremental build). */
  changedWords?: Iterable<string>;
  articles: number;
  /** Document frequency of every word (all articles, including those with null words). */
  df: Map<string, number>;
  /** A kept article's previous number (for carried data). */
  previous?: { aids: ReaderAids; docOf: (doc: number) => number };
}

/** Computes the aids of a generation. */
export function computeAids(input: AidsInput): ReaderAids {
  const n = input.articles;
  const signatures = input.signatures ?? new Uint32Array(n * SIGNATURE_STRIDE);
  const keywords: string[][] = new Array(n);
  const weights: number[][] = new Array(n);
  for (let doc = 0; doc < n; doc++) {
    const text = input.text(doc);
    const words = input.words(doc);
    if (text === null || words === null) {
      const prev = input.previous!;
      const old = prev.docOf(doc);
      if (!input.signatures) signatures.set(prev.aids.signatures.subarray(old * SIGNATURE_STRIDE, (old + 1) * SIGNATURE_STRIDE), doc * SIGNATURE_STRIDE);
      keywords[doc] = prev.aids.keywords[old];
      weights[doc] = prev.aids.weights[old];
      continue;
    }
    if (!input.signatures) bodySignature(text, signatures, doc * SIGNATURE_STRIDE);
    const k = input.terms?.(doc) ?? keyTerms(text, words);
    keywords[doc] = k.terms;
    weights[doc] = k.weights;
  }
  const groupOf = input.groupOf ?? repostGroups(signatures, n);
  const related = relatedArticles(keywords, weights, groupOf);
  return { keywords, weights, related, groupOf, signatures, vocabulary: vocabularyOf(input.df, input.previous?.aids.vocabulary, input.changedWords) };
}

/**
 * The reader aids from every article's key terms and body signature, already
 * made (a build in ranges keeps these and drops the texts): repost groups,
 * related articles and the vocabulary, as computeAids makes them.
 */
export function aidsOf(keywords: string[][], weights: number[][], signatures: Uint32Array, df: Map<string, number>): ReaderAids {
  const groupOf = repostGroups(signatures, keywords.length);
  return { keywords, weights, related: relatedArticles(keywords, weights, groupOf), groupOf, signatures, vocabulary: vocabularyOf(df) };
}

/**
 * Every article's signature (carried for kept ones, computed for the rest)
 * and the repost groups: what needs no words, so an incremental build does it
 * while jieba segments.
 */
export function signaturesAndGroups(n: number, text: (doc: number) => string | null, previous: NonNullable<AidsInput["previous"]>): { signatures: Uint32Array; groupOf: Int32Array } {
  const signatures = new Uint32Array(n * SIGNATURE_STRIDE);
  for (let doc = 0; doc < n; doc++) {
    const t = text(doc);
    if (t !== null) bodySignature(t, signatures, doc * SIGNATURE_STRIDE);
    else {
      const old = previous.docOf(doc);
      signatures.set(previous.aids.signatures.subarray(old * SIGNATURE_STRIDE, (old + 1) * SIGNATURE_STRIDE), doc * SIGNATURE_STRIDE);
    }
  }
  return { signatures, groupOf: repostGroups(signatures, n) };
}

/** Document frequencies from word lists. */
export function documentFrequencies(lists: Iterable<readonly string[]>, into = new Map<string, number>(), sign = 1): Map<string, number> {
  for (const list of lists)
    for (const w of list) {
      const v = (into.get(w) ?? 0) + sign;
      if (v <= 0) into.delete(w);
      else into.set(w, v);
    }
  return into;
}
