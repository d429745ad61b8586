// A lean index's data, read from its store as queries need it
// (SEARCH_BACKEND=postgres). The app keeps per-article arrays only
// (normalised titles, dates, facet ids, lengths, repost groups; search-index.ts);
// n-gram rows, word lists, normalised texts, titles as written, articles and
// their keywords stay in the database, and long terms are counted there.
//
// The engine stays synchronous: a search runs, and where it reaches data not
// fetched yet it throws `Missing` naming everything it knows it will need at
// that step (all the query's n-grams and words at once, every count a
// verification may ask); `run` fetches those in one round trip per kind and
// runs the search again. What a request fetched is pinned for its reruns;
// bounded caches keep the rows of recent queries for the next ones. A rerun
// repeats only in-memory work (well under a millisecond of a query at ×10),
// and the answer is the engine's own: the same code reads the same values.
import { candidatesFrom, frequenciesFrom, keysOfTerm, postingKey, type GramRow, type NgramLookup } from "@/lib/search/formats/ngram-index";
import type { StoredArticle } from "@/lib/search/formats/article-record";
import type { ArticleRef } from "@/lib/search/engine/types";
import type { WordLookup } from "@/lib/search/formats/word-index";
import { config } from "@/lib/config/env.cjs";

/**
 * A long term's occurrences in documents' texts, counted where the texts are
 * (DocFetcher.counts): from unit `from[i]` of document `docs[i]`'s text on,
 * overlapping ones, up to `cap`. `key` names the term and the kind of count
 * (countKey): a verification counts from the start up to 1, a trend every
 * occurrence from the start (up to ALL_OCCURRENCES), scoring counts
 * the body up to its cap.
 */
export interface CountNeed {
  key: string;
  term: string;
  cap: number;
  docs: number[];
  from: number[];
}

/** The key of a term's counts of one kind (the kind fixes `cap` and each document's `from`). */
export const countKey = (kind: "holds" | "body" | "all", term: string) => `${kind}\u0000${term}`;

export interface Needs {
  grams: number[];
  words: string[];
  texts: number[];
  counts: CountNeed[];
  /** Titles as written (a lean index shows them in suggestions; it keeps only the normalised ones). */
  titles: number[];
  articles: number[];
  /** Articles listed by reference only (a result's reposts, an article's related ones): id, title, source and date. */
  refs: number[];
  keywords: number[];
  /** Article ids whose document numbers are needed (reading an article by id). */
  ids: string[];
}

/** Thrown inside a lean index's search where it reaches data not fetched yet; `run` fetches it and searches again. */
class Missing extends Error {
  constructor(readonly needs: Needs) {
    super("search: a lean index read data it had not fetched (call it through searchAsync/getAsync)");
  }
}

const UNAVAILABLE = Symbol.for("dangjian-search.store-unavailable");

/** A lean index's store failed to answer (a database down or unreachable): the request is a 503, not a 500. */
export class StoreUnavailable extends Error {
  readonly [UNAVAILABLE] = true;

  /**
   * Whether `e` is one, thrown by this copy of the module or another: Next.js
   * bundles the route handlers apart from the instrumentation hook that loads
   * the index, so the error a route catches may come from a class it does not
   * hold (`instanceof` said no, and a database outage was a 500 on /api/articles).
   */
  static is(e: unknown): e is StoreUnavailable {
    return typeof e === "object" && e !== null && (e as Record<symbol, unknown>)[UNAVAILABLE] === true;
  }
}

const none = (): Needs => ({ grams: [], words: [], texts: [], counts: [], titles: [], articles: [], refs: [], keywords: [], ids: [] });

/** Reads a lean index's data in batches (one query per kind); what a batch leaves out does not exist. */
export interface DocFetcher {
  /** Rows of these n-gram keys; keys no document has are absent. */
  grams(keys: number[]): Promise<Map<number, GramRow>>;
  /** Documents having each word as a whole word, ascending; words no document has are absent. */
  words(words: string[]): Promise<Map<string, Uint32Array>>;
  /** Normalised texts (formats/article-record.ts's searchable text) as UTF-16LE bytes, each in a buffer of its own. */
  texts(docs: number[]): Promise<Map<number, Buffer>>;
  /** Titles as written. */
  titles(docs: number[]): Promise<Map<number, string>>;
  /** Each need's counts by document (see CountNeed), under its key. */
  counts(needs: CountNeed[]): Promise<Map<string, Map<number, number>>>;
  articles(docs: number[]): Promise<Map<number, StoredArticle>>;
  /** Id, title, source and date of articles listed by reference (not their bodies). */
  refs(docs: number[]): Promise<Map<number, ArticleRef>>;
  keywords(docs: number[]): Promise<Map<number, string[]>>;
  /** The document numbers of these ids; ids no article has are absent. */
  docsOf(ids: string[]): Promise<Map<string, number>>;
}

/** A map bounded by the bytes of its values, least recently used first. */
export class ByteLru<K, V> {
  private readonly map = new Map<K, V>();
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly sizeOf: (v: V) => number,
  ) {}

  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  set(key: K, v: V): void {
    const old = this.map.get(key);
    if (old !== undefined) {
      this.bytes -= this.sizeOf(old);
      this.map.delete(key);
    }
    this.map.set(key, v);
    this.bytes += this.sizeOf(v);
    for (const [k, o] of this.map) {
      if (this.bytes <= this.maxBytes) break;
      this.map.delete(k);
      this.bytes -= this.sizeOf(o);
    }
  }

  get size(): number {
    return this.map.size;
  }
}

/** What one request has fetched: kept for its reruns whatever the shared caches drop meanwhile. */
interface Pins {
  grams: Map<number, GramRow | null>;
  words: Map<string, Uint32Array>;
  texts: Map<number, Buffer>;
  counts: Map<string, Map<number, number>>;
  titles: Map<number, string>;
  articles: Map<number, StoredArticle>;
  refs: Map<number, ArticleRef>;
  keywords: Map<number, string[]>;
  /** Document by id, −1 for an id no article has. */
  docs: Map<string, number>;
}

const pinsOf = (): Pins => ({ grams: new Map(), words: new Map(), texts: new Map(), counts: new Map(), titles: new Map(), articles: new Map(), refs: new Map(), keywords: new Map(), docs: new Map() });

/** Sizes of the shared caches, in bytes. */
export interface LeanCacheSizes {
  grams: number;
  words: number;
  texts: number;
  counts: number;
  articles: number;
}

/**
 * The caches' sizes from LEAN_CACHE_MB (default 32): 45% n-gram rows, 15%
 * word lists, 15% long terms' counts (a heavy query at ×10 counts a term in
 * ~3,000 documents: ~100 KB), 15% texts (the pages' hits, for snippets and
 * reading), 10% articles.
 */
function cacheSizes(mb = config().leanCacheMB): LeanCacheSizes {
  const bytes = mb * (1 << 20);
  return { grams: bytes * 0.45, words: bytes * 0.15, counts: bytes * 0.15, texts: bytes * 0.15, articles: bytes * 0.1 };
}

/** A search needs two to four rounds (terms, verification counts, body counts, the page's texts and articles); more means a bug. */
const MAX_ROUNDS = 12;
const EMPTY = new Uint32Array(0);
const NO_ROW = null;

export class LeanReader {
  private pins: Pins | null = null;
  private readonly gramCache: ByteLru<number, GramRow | null>;
  private readonly wordCache: ByteLru<string, Uint32Array>;
  /**
   * Texts as their UTF-16LE bytes, off the JS heap, made a string on each
   * read. Held as strings, the texts a long term's counting reads (up to
   * ~17 MB a query at ×10) outlived two scavenges while the request fetched,
   * were promoted, and on leaving the cache were old-space garbage: the heap
   * grew to ~3× its live size between full collections (a lean ×10 server
   * at ~560 MB RSS). A string read once and dropped dies young.
   */
  private readonly textCache: ByteLru<number, Buffer>;
  /** A term's counts of one kind (countKey) by document, for the documents asked so far. */
  private readonly countCache: ByteLru<string, Map<number, number>>;
  private readonly articleCache: ByteLru<number, StoredArticle>;
  private readonly docCache = new ByteLru<string, number>(1 << 20, () => 128);
  private readonly titleCache = new ByteLru<number, string>(1 << 20, (t) => 64 + 2 * t.length);
  /**
   * Reposts and related articles as listed (id, title, source, date). They
   * were whole articles before: at 1M articles (the corpus 34 times, each
   * result a group of 34) a page of ten results read 340 stored articles,
   * bodies and all, more than the articles' cache holds, at every request.
   */
  private readonly refCache = new ByteLru<number, ArticleRef>(2 << 20, (r) => 160 + 2 * (r.id.length + r.title.length + (r.source?.length ?? 0)));
  private readonly intersections = new Map<string, Uint32Array>();
  /** Requests fetching at once; the rest wait (each holds its pinned rows: this bounds the memory they take). */
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    /** Where rows come from (a live segment's reader wraps its base's: engine/live-segment.ts). */
    readonly fetcher: DocFetcher,
    readonly concurrency = 4,
    readonly sizes: LeanCacheSizes = cacheSizes(),
  ) {
    this.gramCache = new ByteLru(sizes.grams, (r) => 64 + (r ? r.docs.byteLength + r.freqs.byteLength : 0));
    this.wordCache = new ByteLru(sizes.words, (d) => 64 + d.byteLength);
    this.textCache = new ByteLru(sizes.texts, (t) => 96 + t.byteLength);
    this.countCache = new ByteLru(sizes.counts, (m) => 96 + 32 * m.size);
    this.articleCache = new ByteLru(sizes.articles, (a) => 256 + 2 * (a.title.length + a.paragraphs.reduce((n, p) => n + p.length, 0)));
  }

  /** An n-gram's row; null when no document has it. */
  private gram(key: number): GramRow | null {
    return this.lookup(key, this.pins?.grams, this.gramCache, (k) => ({ ...none(), grams: [k] }));
  }

  readonly ngrams: NgramLookup = {
    candidates: (term) => candidatesFrom(term, (key) => this.gram(key)?.docs ?? EMPTY, this.intersections),
    postingsOf: (term) => {
      const key = postingKey(term);
      return (key === -1 ? NO_ROW : this.gram(key)) ?? { docs: EMPTY, freqs: new Uint8Array(0) };
    },
    frequenciesOf: (term, into) => frequenciesFrom(term, into, (key) => this.gram(key)),
  };

  readonly words: WordLookup = {
    documents: (word) => this.lookup(word, this.pins?.words, this.wordCache, (w) => ({ ...none(), words: [w] })),
    // Not known to a lean index (nothing here reads it).
    vocabularySize: NaN,
  };

  text(doc: number): string {
    return this.lookup(doc, this.pins?.texts, this.textCache, (d) => ({ ...none(), texts: [d] })).toString("utf16le");
  }

  /** Document `doc`'s count under `key` (countKey); `cap` and `from` are what the count is, should it have to be fetched. */
  count(key: string, term: string, cap: number, doc: number, from: number): number {
    const n = this.countsOf(key)?.get(doc);
    if (n === undefined) throw new Missing({ ...none(), counts: [{ key, term, cap, docs: [doc], from: [from] }] });
    return n;
  }

  /** A key's counts at hand (pinned, or pinned now from the cache), or undefined. */
  private countsOf(key: string): Map<number, number> | undefined {
    const pinned = this.pins?.counts.get(key);
    if (pinned) return pinned;
    const cached = this.countCache.get(key);
    if (cached) this.pins?.counts.set(key, cached);
    return cached;
  }

  /** Counts, one Missing for all that are not at hand: each need's documents (`from(doc)` where each one's count starts). */
  needCounts(needs: Array<{ key: string; term: string; cap: number; docs: ArrayLike<number>; from: (doc: number) => number }>): void {
    const missing: CountNeed[] = [];
    for (const n of needs) {
      const have = this.countsOf(n.key);
      const docs: number[] = [];
      const from: number[] = [];
      for (let i = 0; i < n.docs.length; i++) {
        const doc = n.docs[i];
        if (have?.has(doc)) continue;
        docs.push(doc);
        from.push(n.from(doc));
      }
      if (docs.length) missing.push({ key: n.key, term: n.term, cap: n.cap, docs, from });
    }
    if (missing.length) throw new Missing({ ...none(), counts: missing });
  }

  /** An article's title as written. */
  title(doc: number): string {
    return this.lookup(doc, this.pins?.titles, this.titleCache, (d) => ({ ...none(), titles: [d] }));
  }

  /** These titles, one Missing for all that are not at hand. */
  needTitles(docs: readonly number[]): void {
    const titles = docs.filter((d) => !this.has(d, this.pins?.titles, this.titleCache));
    if (titles.length) throw new Missing({ ...none(), titles });
  }

  article(doc: number): StoredArticle {
    return this.lookup(doc, this.pins?.articles, this.articleCache, (d) => ({ ...none(), articles: [d] }));
  }

  /** An article as listed by reference (see refCache). */
  ref(doc: number): ArticleRef {
    return this.lookup(doc, this.pins?.refs, this.refCache, (d) => ({ ...none(), refs: [d] }));
  }

  /** The document of an article id, or undefined when no article has it. */
  docOf(id: string): number | undefined {
    const doc = this.lookup(id, this.pins?.docs, this.docCache, (i) => ({ ...none(), ids: [i] }));
    return doc < 0 ? undefined : doc;
  }

  keywords(doc: number): string[] {
    const k = this.pins?.keywords.get(doc);
    if (k === undefined) throw new Missing({ ...none(), keywords: [doc] });
    return k;
  }

  private lookup<K, V>(key: K, pinned: Map<K, V> | undefined, cache: ByteLru<K, V>, need: (k: K) => Needs): V {
    const p = pinned?.get(key);
    if (p !== undefined) return p;
    const c = cache.get(key);
    if (c === undefined) throw new Missing(need(key));
    pinned?.set(key, c);
    return c;
  }

  /** The n-gram rows and word lists of every term a query may read: one Missing for all that are not at hand. */
  needTerms(terms: Iterable<string>): void {
    const grams = new Set<number>();
    const words = new Set<string>();
    for (const t of terms) {
      for (const key of keysOfTerm(t)) if (!this.has(key, this.pins?.grams, this.gramCache)) grams.add(key);
      if (t.length >= 2 && !this.has(t, this.pins?.words, this.wordCache)) words.add(t);
    }
    if (grams.size || words.size) throw new Missing({ ...none(), grams: [...grams], words: [...words] });
  }

  /**
   * Texts, articles, key terms and articles listed by reference, one Missing
   * for all that are not at hand (a results page needs its hits' texts and
   * articles, and its reposts' references).
   */
  need(textsOf: ArrayLike<number>, articlesOf: Iterable<number>, keywordsOf: Iterable<number> = [], refsOf: Iterable<number> = []): void {
    const texts: number[] = [];
    for (let i = 0; i < textsOf.length; i++) if (!this.has(textsOf[i], this.pins?.texts, this.textCache)) texts.push(textsOf[i]);
    const articles = [...new Set(articlesOf)].filter((d) => !this.has(d, this.pins?.articles, this.articleCache));
    const keywords = [...new Set(keywordsOf)].filter((d) => !this.pins?.keywords.has(d));
    const refs = [...new Set(refsOf)].filter((d) => !this.has(d, this.pins?.refs, this.refCache));
    if (texts.length || articles.length || keywords.length || refs.length) throw new Missing({ ...none(), texts, articles, keywords, refs });
  }

  /** Whether a value is at hand; found in the shared cache, it is pinned for the rest of the request. */
  private has<K, V>(key: K, pinned: Map<K, V> | undefined, cache: ByteLru<K, V>): boolean {
    if (pinned?.has(key)) return true;
    const c = cache.get(key);
    if (c === undefined) return false;
    pinned?.set(key, c);
    return true;
  }

  /**
   * Runs `work` (a synchronous search over what this reader fetches) to its answer:
   * each time it throws Missing, what it named is fetched and it runs again.
   */
  async run<T>(work: () => T): Promise<T> {
    // A slot: free, or handed over by a finishing request.
    if (this.active < this.concurrency) this.active++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    const pins = pinsOf();
    try {
      for (let round = 1; ; round++) {
        let missing: Missing;
        this.pins = pins;
        try {
          return work();
        } catch (e) {
          if (!(e instanceof Missing)) throw e;
          missing = e;
        } finally {
          this.pins = null;
        }
        if (round >= MAX_ROUNDS) throw new Error(`search: a query still needed data after ${MAX_ROUNDS} rounds of fetching (${JSON.stringify(missing.needs).slice(0, 200)})`);
        await this.fetch(missing.needs, pins);
      }
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }

  private async fetch(needs: Needs, pins: Pins): Promise<void> {
    try {
      await this.fetchOnce(needs, pins);
    } catch (e) {
      throw new StoreUnavailable(`search: the index's database did not answer (${(e as Error).message})`, { cause: e });
    }
  }

  private async fetchOnce(needs: Needs, pins: Pins): Promise<void> {
    const f = this.fetcher;
    const missing = (what: string) => (key: number | string): never => {
      throw new Error(`search: the store has no ${what} for document ${key}`);
    };
    await Promise.all([
      // What a batch leaves out does not exist: no n-gram row, no word list, no article with that id.
      needs.grams.length && f.grams(needs.grams).then((got) => fill(needs.grams, got, pins.grams, this.gramCache, () => NO_ROW)),
      needs.words.length && f.words(needs.words).then((got) => fill(needs.words, got, pins.words, this.wordCache, () => EMPTY)),
      needs.ids.length && f.docsOf(needs.ids).then((got) => fill(needs.ids, got, pins.docs, this.docCache, () => -1)),
      // Every document has a text, an article and key terms.
      needs.texts.length && f.texts(needs.texts).then((got) => fill(needs.texts, got, pins.texts, this.textCache, missing("text"))),
      needs.counts.length && f.counts(needs.counts).then((got) => this.fillCounts(needs.counts, got, pins)),
      needs.titles.length && f.titles(needs.titles).then((got) => fill(needs.titles, got, pins.titles, this.titleCache, missing("title"))),
      needs.articles.length && f.articles(needs.articles).then((got) => fill(needs.articles, got, pins.articles, this.articleCache, missing("article"))),
      needs.refs.length && f.refs(needs.refs).then((got) => fill(needs.refs, got, pins.refs, this.refCache, missing("article"))),
      needs.keywords.length && f.keywords(needs.keywords).then((got) => fill(needs.keywords, got, pins.keywords, null, missing("key terms"))),
    ]);
  }

  /** Adds a batch's counts to what the request (and the cache) holds under each key; every document asked has a count. */
  private fillCounts(needs: CountNeed[], got: Map<string, Map<number, number>>, pins: Pins): void {
    for (const need of needs) {
      const counted = got.get(need.key);
      // The request's own map (pinned, or a copy of the cache's): the cache's may be dropped or grow meanwhile.
      const held = new Map(pins.counts.get(need.key) ?? this.countCache.get(need.key) ?? []);
      for (const doc of need.docs) {
        const n = counted?.get(doc);
        if (n === undefined) throw new Error(`search: the store has no text for document ${doc}`);
        held.set(doc, n);
      }
      pins.counts.set(need.key, held);
      this.countCache.set(need.key, held);
    }
  }
}

/** Pins (and caches) what a batch read for each key asked; a key it left out gets `absent(key)`. */
function fill<K, V>(keys: K[], got: Map<K, V>, pins: Map<K, V>, cache: ByteLru<K, V> | null, absent: (key: K) => V): void {
  for (const key of keys) {
    const v = got.get(key);
    const value = v === undefined ? absent(key) : v;
    pins.set(key, value);
    cache?.set(key, value);
  }
}
