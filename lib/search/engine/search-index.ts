// The search engine: one generation, searched (search, get, suggest; their
// async forms for a lean index). It is given its parts by a store or a build
// and imports neither. Two layers answer a query:
//   - the n-gram layer (every character and character pair → articles) gives
//     a superset of the articles containing each term, checked on the
//     normalised text: recall is exact for any literal substring;
//   - the word layer (jieba search-mode words in FlexSearch) tells whole-word
//     matches from part-of-word ones for ranking, and spares that check
//     where a term is one of an article's words.
// Articles and their normalised text stay in memory (a lean index reads them
// from its store per query); highlights are computed for the page of hits only.
import { createHash } from "node:crypto";
import { AUTHOR_JOINER } from "@/lib/content/authors";
import { Facet, NONE } from "@/lib/search/engine/facets";
import { highlight, snippetsIn, type Parts } from "@/lib/search/engine/highlight";
import { countKey, type LeanReader } from "@/lib/search/engine/lean-reader";
import { occurrencesIn, TermFinder, unitsOf } from "@/lib/search/engine/occurrences";
import { countBefore, newestFirst, smallest } from "@/lib/search/engine/order";
import { RepostGroups } from "@/lib/search/engine/repost-groups";
import { ResultCache } from "@/lib/search/engine/result-cache";
import { inSlices } from "@/lib/search/engine/slices";
import { TitlePairs } from "@/lib/search/engine/title-pairs";
import { titleBits, titleBitsOf } from "@/lib/search/engine/title-filter";
import type { OriginalFile } from "@/lib/content/article";
import type { ArticleRef, ArticleView, DocumentFields, SearchHit, SearchRequest, SearchResponse } from "@/lib/search/engine/types";
import { bodyChars, searchableText, type ArticleMeta, type StoredArticle } from "@/lib/search/formats/article-record";
import type { IndexManifest } from "@/lib/search/formats/manifest";
import { difference, intersect, intersectAll, NgramIndex, seek, union, unionAll, type NgramLookup } from "@/lib/search/formats/ngram-index";
import { TitlePacker, unpackTitle, type PackedTitles } from "@/lib/search/formats/packed-titles";
import type { WordLookup } from "@/lib/search/formats/word-index";
import { describeQuery, highlightTerms, isEmptyQuery, isTextField, parseQuery, type Alternative, type Field, type ParsedQuery } from "@/lib/search/query/parse";
import { nearIn } from "@/lib/search/engine/proximity";
import { bucketOf, bucketsBetween, countMarks, MAX_BUCKETS, selfOverlapping, TREND_SORT, type TrendRequest, type TrendResponse, type TrendSeries } from "@/lib/search/engine/trends";
import { RELATED, similarity, type ReaderAids } from "@/lib/search/reader-aids/reader-aids";
import { Suggester, type Suggestion } from "@/lib/search/reader-aids/suggest";
import { normalize } from "@/lib/text/normalize";
import { fieldsOf, MetaColumns, type ArticleFields } from "@/lib/search/engine/article-fields";
import { config } from "@/lib/config/env.cjs";

/** Everything a generation holds that searching reads (a store loads it, the build makes it). */
export interface IndexParts {
  /**
   * Every article: whole, or without its body when `body` reads bodies on
   * demand; a lean index's as columns (engine/article-fields.ts).
   */
  articles: StoredArticle[] | ArticleMeta[] | MetaColumns;
  /** An article's paragraphs, read on demand; then each of `articles` carries `bodyChars`. */
  body?: (doc: number) => string[];
  /** An article's paragraph pages, when bodies are read on demand (only asked of paged originals). */
  pages?: (doc: number) => number[] | undefined;
  ngrams: NgramLookup;
  words: WordLookup;
  manifest: IndexManifest;
  /**
   * A lean index (SEARCH_BACKEND=postgres): n-gram rows, word lists, texts,
   * articles and keywords come from here as searches need them (lean-reader.ts), and
   * `articles` is read only while constructing. Its searches go through
   * searchAsync and getAsync.
   */
  reader?: LeanReader;
  /**
   * A lean index's titles as written, packed as its loader read them (its
   * `articles` then carry an empty title): no string per title outlives the load.
   */
  titles?: PackedTitles;
  /** `titles` are normalised already (a generation that stores each title's normal form): taken as they are. */
  titlesNormalised?: boolean;
  /** Normalised texts when already made; otherwise normalised on first use. */
  norm?: Array<string | undefined>;
  /**
   * An index holding most of these articles (a live segment's base), each
   * article's number there (−1: not there) and each of its articles' number
   * here (−1: gone): their normalised titles are taken from it, and their ids
   * looked up in it.
   */
  carried?: { from: SearchIndex; oldOf: Int32Array; remap: Int32Array };
  /**
   * With `carried`: the titles' n-gram index of this index made from its
   * base's (its documents renumbered) and one over the added articles' titles
   * (their documents in `addedDocs`), as engine/live-segment.ts merges rows.
   */
  titlesOverBase?: (base: NgramIndex, added: NgramIndex, addedDocs: Uint32Array) => NgramLookup;
  aids: ReaderAids;
}

const TITLE_WEIGHT = 4;
const PHRASE_WEIGHT = 1.5;
const WHOLE_WORD_BONUS = 0.3;
const TITLE_FRAGMENT_BONUS = 1000;
/** Articles matching a part as typed rank above those only a synonym matched. */
const EXACT_TIER = 100_000;
const SYNONYM_WEIGHT = 0.5;
const OCCURRENCE_CAP = 12;
/** u32s per article in SearchIndex.docInfo. */
const DOC_STRIDE = 8;
/** Where an article's title starts (in titleUnits) and its length normalisation are, in its docInfo entry, after the title filter's six words. */
const TITLE_AT = 6;
const NORM_AT = 7;
/** A term's occurrences in a title count up to this many (more are no better a title match). TitlePairs (engine/title-pairs.ts) holds counts up to 2: raising this means counting further there. */
const TITLE_COUNT_CAP = 2;
/** A library of this many articles or more builds its titles' n-gram index when warmed (see titleGrams). */
const TITLE_INDEX_FROM = 100_000;

/** Above this many matches, long terms are counted from n-gram frequencies instead of indexOf. */
const EXACT_COUNT_LIMIT = 3000;
/** How long warming may hold the event loop at a time, ms. */
const WARM_SLICE_MS = 4;
/** Below this many results, a closer query is proposed when one finds more. */
const FEW_RESULTS = 3;
/** A trend's count of one term in one article stops here (a lean index counts in its store). */
const ALL_OCCURRENCES = 1_000_000;
const K1 = 1.2;
const B = 0.75;

/** A page's search as ranPage leaves it, for the reruns of one request (see ranPage). */
interface RanPage {
  q: ParsedQuery;
  pageDocs: Uint32Array;
  pageScores: Float64Array | null;
  total: number;
  totalArticles: number;
  facets: SearchResponse["facets"];
  docs: Uint32Array;
}

interface PageMemo {
  ran?: RanPage;
  /** Whether `ran.docs` is a copy of its own. */
  copied?: boolean;
}

export class SearchIndex {
  /** Normalised text per article; filled lazily after a load (see warmTexts), fully after a build. */
  private readonly norm: Array<string | undefined>;
  /** Normalised titles on their own (counting title hits must not scan the body), as code units one after another in document order; title `doc` is titleUnits[titleStart[doc], titleStart[doc + 1]). */
  private readonly titleUnits: Uint16Array;
  private readonly titleStart: Uint32Array;
  private readonly byId: Map<string, number>;
  /**
   * A live segment's base and each article's number in it (−1: added) and
   * back: the ids of the articles it kept are found there (byId holds only the
   * added ones), and what the base computes once for every segment made on it
   * (texts, suggestions, the titles' index) is taken from it.
   */
  private readonly base: { from: SearchIndex; oldOf: Int32Array; remap: Int32Array } | null;
  /** Each article's place in date order (newest first); undated ones last. */
  private readonly newestRank: Uint32Array;
  /** Documents in newest-first order: the inverse of newestRank. */
  private readonly byNewest: Uint32Array;
  /** The distinct dates, ascending as `<` compares strings, and each article's place among them + 1 (0: undated): a date filter compares numbers. */
  private readonly dates: string[];
  private readonly dateOrdinal: Uint32Array;
  /** Facet values as small integers per document, so counting a result set is array arithmetic. */
  private readonly authorFacet: Facet;
  private readonly sourceFacet: Facet;
  /** 文种 and 发文机关 of official documents (most articles have neither). */
  private readonly docTypeFacet: Facet;
  private readonly issuerFacet: Facet;
  /** 发文字号 (文号:), one per official document. */
  private readonly docNumberFacet: Facet;
  private readonly yearFacet: Facet;
  /**
   * What scoring reads of each article, side by side (DOC_STRIDE u32s an
   * article, plus one entry past the last for the last title's end): its six
   * title-filter words, where its title starts in titleUnits, and its length
   * normalisation (as f32 bits, read through docNorm). At ×10 a term's few
   * thousand documents are far apart in the per-article arrays, so each array
   * read was a cache miss of its own; here one line holds them all.
   */
  private readonly docInfo: Uint32Array;
  private readonly docNorm: Float32Array;

  /** Every article (empty for a lean index: see meta()). */
  readonly articles: ArticleMeta[];
  /** How many articles the generation has. */
  private readonly count: number;
  /** A lean index's store; null when everything is held. */
  private readonly reader: LeanReader | null;

  /** Reads an article's paragraphs from the generation's file (a loaded memory index that does not hold bodies). */
  private readonly bodyReader: ((doc: number) => string[]) | null;
  private readonly pagesReader: ((doc: number) => number[] | undefined) | null;
  readonly manifest: IndexManifest;
  private readonly ngrams: NgramLookup;
  private readonly words: WordLookup;
  private readonly aids: ReaderAids;
  /** Members of each repost group of two or more, by leader: the leader, then the others in document order. */
  private readonly groupMembers: RepostGroups;
  /** 1 for documents in a repost group of two or more: most are not, and skip the grouping work. */
  private readonly grouped: Uint8Array;
  private suggester: Suggester | null = null;
  /** The suggestion index being built between requests (warmSuggestions). */
  private suggesterSteps: Generator<void, Suggester, void> | null = null;
  /** Reused by groupRepresentatives (searches run one at a time). */
  private chosenScratch: Int32Array | null = null;
  private rankMarks: Uint8Array | null = null;
  /** 0 … n−1: every article, for searches without a query. */
  private allDocs: Uint32Array | null = null;
  /** The facets of the whole library (searches without a query or filters). */
  private allFacets: SearchResponse["facets"] | null = null;
  /** See scoreScratchFor(): valid until the next search (searches run one at a time, synchronously). */
  private scoreScratch: ScoreScratch | null = null;
  /** Recent results pages of this generation (a new generation starts empty). */
  private readonly answers = new ResultCache(config().resultCacheEntries);

  /** What this index was made of: a live segment is applied on it (engine/live-segment.ts). */
  private readonly parts: IndexParts;

  constructor(parts: IndexParts) {
    const articles = parts.articles;
    if (articles instanceof MetaColumns && !parts.reader) throw new Error("search: an index without a lean reader needs its articles, not their columns");
    const held = articles instanceof MetaColumns ? null : articles;
    // Each article's date, body length, title and facet values, whatever holds them (not kept past the constructor).
    const fields = fieldsOf(articles);
    // A lean index keeps its per-article fields (columns over shared strings, engine/article-fields.ts) for live
    // changes; its titles as written are dropped (a live segment takes the normalised ones, suggestions read the store).
    this.parts = parts.reader ? { ...parts, titles: undefined, titlesNormalised: undefined } : parts;
    this.aids = parts.aids;
    this.groupMembers = new RepostGroups(parts.aids.groupOf);
    this.grouped = new Uint8Array(articles.length);
    // Loops, not forEach or TypedArray.from(…, fn), over per-article arrays here: at ×10 each of those took 10–30 ms of
    // every live change a server applies.
    const groupOf = parts.aids.groupOf;
    for (let doc = 0; doc < groupOf.length; doc++) {
      const leader = groupOf[doc];
      if (leader !== doc) this.grouped[doc] = this.grouped[leader] = 1;
    }
    const reader = parts.reader ?? null;
    this.reader = reader;
    this.count = articles.length;
    this.articles = reader || !held ? [] : held;
    // A lean loader's titles as written: read here once (normalised below), then dropped (suggestions read them from the store).
    const packed = parts.titles ?? null;
    // No closure made here may outlive the constructor: a bundler's minifier inlines helpers, and a closure made in this
    // scope keeps `articles` (all 295k of them at ×10, for a lean index that means to drop them) alive with it.
    this.bodyReader = parts.body ?? null;
    this.pagesReader = parts.pages ?? null;
    this.manifest = parts.manifest;
    this.ngrams = reader ? reader.ngrams : parts.ngrams;
    this.words = reader ? reader.words : parts.words;
    this.norm = parts.norm ?? (reader ? [] : new Array(articles.length));
    // A lean index asks its store (LeanReader.docOf).
    // With a base (a live segment), only the articles not in it: the rest are found there (docOf).
    this.byId = reader || !held ? new Map() : parts.carried ? this.idsNotIn(held, parts.carried.oldOf) : new Map(held.map((a, i) => [a.id, i]));
    this.base = parts.carried ?? null;
    // Per distinct date (null and "" are one), not per article: at ×10 a lean load holds nothing per article but arrays.
    const n = articles.length;
    const slotOf = new Map<string, number>();
    const dateSlot = new Uint32Array(n);
    for (let doc = 0; doc < n; doc++) {
      const d = fields.date(doc);
      let slot = slotOf.get(d);
      if (slot === undefined) slotOf.set(d, (slot = slotOf.size));
      dateSlot[doc] = slot;
    }
    const slotDates = [...slotOf.keys()];
    this.byNewest = newestFirst(slotDates, dateSlot);
    this.newestRank = new Uint32Array(n);
    for (let rank = 0; rank < n; rank++) this.newestRank[this.byNewest[rank]] = rank;
    this.dates = slotDates.filter((d) => d !== "").sort();
    const ordinalOf = new Map(this.dates.map((d, i) => [d, i + 1]));
    const slotOrdinal = slotDates.map((d) => (d ? ordinalOf.get(d)! : 0));
    this.dateOrdinal = new Uint32Array(n);
    for (let doc = 0; doc < n; doc++) this.dateOrdinal[doc] = slotOrdinal[dateSlot[doc]];
    // A live segment's facets are spliced from its base's: the kept articles' value ids are copied, only the added
    // ones' values looked up (engine/facets.ts); at ×10 building six facets over every article was much of applying.
    const carriedFrom = parts.carried ?? null;
    const gone: number[] = [];
    if (carriedFrom) for (let old = 0; old < carriedFrom.remap.length; old++) if (carriedFrom.remap[old] < 0) gone.push(old);
    // Each facet's values of a document, read from `of` (this index's articles, or a live segment's base's for those it drops).
    const facetOf = (valueOf: (of: ArticleFields, doc: number) => string[], normalizeKeys: boolean, baseFacet: (base: SearchIndex) => Facet) => {
      const values = new Array<string[]>(n);
      if (!carriedFrom) {
        for (let doc = 0; doc < n; doc++) values[doc] = valueOf(fields, doc);
        return new Facet(values, normalizeKeys);
      }
      for (let doc = 0; doc < n; doc++) if (carriedFrom.oldOf[doc] < 0) values[doc] = valueOf(fields, doc);
      const baseFields = carriedFrom.from.fieldsForLive();
      return new Facet(values, normalizeKeys, { base: baseFacet(carriedFrom.from), oldOf: carriedFrom.oldOf, gone: gone.map((old) => valueOf(baseFields, old)) });
    };
    this.authorFacet = facetOf((of, doc) => of.authors(doc), true, (b) => b.authorFacet);
    const valueList = new Map<string, string[]>();
    const single = (v: string | null | undefined) => (v ? (valueList.get(v) ?? valueList.set(v, [v]).get(v)!) : NONE);
    const sourceList = new Map<string, string[]>();
    this.sourceFacet = facetOf((of, doc) => {
      const source = of.source(doc);
      return source ? (sourceList.get(source) ?? sourceList.set(source, [source]).get(source)!) : NONE;
    }, true, (b) => b.sourceFacet);
    this.docTypeFacet = facetOf((of, doc) => single(of.docType(doc)), true, (b) => b.docTypeFacet);
    this.issuerFacet = facetOf((of, doc) => single(of.issuer(doc)), true, (b) => b.issuerFacet);
    this.docNumberFacet = facetOf((of, doc) => single(of.docNumber(doc)), true, (b) => b.docNumberFacet);
    // A year per distinct date, not a string cut from each article's.
    const yearList = new Map<string, string[]>();
    const yearOf = (date: string) => yearList.get(date) ?? yearList.set(date, single(date.slice(0, 4))).get(date)!;
    this.yearFacet = facetOf((of, doc) => {
      const date = of.date(doc);
      return date ? yearOf(date) : NONE;
    }, false, (b) => b.yearFacet);
    // From the original lengths: known without normalising, and identical for a built and a loaded index.
    const bodyLength = new Float64Array(n);
    for (let doc = 0; doc < n; doc++) bodyLength[doc] = fields.bodyChars(doc) ?? bodyChars(this.paragraphsOf(doc));
    const avgLength = bodyLength.reduce((sum, l) => sum + l, 0) / Math.max(1, n);
    this.docInfo = new Uint32Array((n + 1) * DOC_STRIDE);
    this.docNorm = new Float32Array(this.docInfo.buffer);
    // Normalised titles, one at a time: packed, and their title-filter words (no array of 295k strings at ×10).
    // Normalising keeps a title's length but for rare characters: its written length is the place to start.
    const carried = parts.carried ?? null;
    // Titles normalised by the generation's writer: kept as they were read, only their filter words computed.
    const given = packed && parts.titlesNormalised && !carried ? packed : null;
    let written = packed ? packed.units.length : 0;
    if (!packed) for (let doc = 0; doc < n; doc++) written += fields.title(doc).length;
    const titles = new TitlePacker(given ? 0 : n, given ? 0 : written + 64);
    for (let doc = 0; doc < n; doc++) {
      const at = doc * DOC_STRIDE;
      const old = carried ? carried.oldOf[doc] : -1;
      if (given) {
        this.docInfo.set(titleBitsOf(given.units, given.start[doc], given.start[doc + 1]), at);
        this.docInfo[at + TITLE_AT] = given.start[doc];
      } else if (old >= 0) {
        // Normalised and filtered already (a live segment's base): copied, not normalised again.
        const from = carried!.from;
        for (let k = 0; k < TITLE_AT; k++) this.docInfo[at + k] = from.docInfo[old * DOC_STRIDE + k];
        this.docInfo[at + TITLE_AT] = titles.addUnits(from.titleUnits, from.docInfo[old * DOC_STRIDE + TITLE_AT], from.docInfo[(old + 1) * DOC_STRIDE + TITLE_AT]);
      } else {
        const t = normalize(packed ? unpackTitle(packed, doc) : fields.title(doc));
        this.docInfo.set(titleBits(t), at);
        this.docInfo[at + TITLE_AT] = titles.add(t);
      }
      // BM25's length normalisation, from the body's length in characters (as f32).
      this.docNorm[at + NORM_AT] = 1 - B + (B * bodyLength[doc]) / Math.max(1, avgLength);
    }
    ({ units: this.titleUnits, start: this.titleStart } = given ?? titles.done());
    this.docInfo[n * DOC_STRIDE + TITLE_AT] = this.titleStart[n];
  }

  /**
   * The parts a live segment is applied on, with the texts normalised so far
   * (a copy: this index goes on warming its own).
   */
  partsForLive(): IndexParts & { norm: Array<string | undefined> } {
    return { ...this.parts!, norm: this.norm.slice() };
  }

  /** The fields of this index's articles, as a live segment on it reads those of the articles it drops. */
  fieldsForLive(): ArticleFields {
    return fieldsOf(this.parts.articles);
  }

  /** Seconds spent in each step of the build, when this index was built in this process. */
  timings: Record<string, number> = {};

  /** The normalised text of an article, normalising it on first use. */
  private text(doc: number): string {
    if (this.reader) return this.reader.text(doc);
    const held = this.norm[doc];
    if (held !== undefined) return held;
    // An article a live segment kept is its base's: normalised there, once for every segment made on the base (each
    // set of live changes is applied to the base again). Read here, every change read the whole library again (~4 s
    // of a server's time at ×10 while it warmed).
    const old = this.base ? this.base.oldOf[doc] : -1;
    return (this.norm[doc] = old >= 0 ? this.base!.from.text(old) : searchableText({ title: this.articles[doc].title, paragraphs: this.paragraphsOf(doc) }));
  }

  /** The articles of `articles` not in a base (oldOf −1), by id. */
  private idsNotIn(articles: ArrayLike<ArticleMeta>, oldOf: Int32Array): Map<string, number> {
    const out = new Map<string, number>();
    for (let doc = 0; doc < oldOf.length; doc++) if (oldOf[doc] < 0) out.set(articles[doc].id, doc);
    return out;
  }

  private docOf(id: string): number | undefined {
    if (this.reader) return this.reader.docOf(id);
    const doc = this.byId.get(id);
    if (doc !== undefined || !this.base) return doc;
    const old = this.base.from.docOf(id);
    const now = old === undefined ? -1 : this.base.remap[old];
    return now >= 0 ? now : undefined;
  }

  /** An article's fields but its body (a lean index reads the article from its store). */
  private meta(doc: number): ArticleMeta {
    return this.reader ? this.reader.article(doc) : this.articles[doc];
  }

  /** An article's paragraphs as stored (read from the generation's file when bodies are not held). */
  body(doc: number): string[] {
    return this.paragraphsOf(doc);
  }

  /** A paged original's paragraph pages (PDFs), else undefined. */
  private pagesOf(doc: number, meta: ArticleMeta): number[] | undefined {
    if (meta.format !== "pdf") return undefined;
    if (this.reader) return this.reader.article(doc).pages;
    const held = this.articles[doc] as StoredArticle;
    return Array.isArray(held.paragraphs) ? held.pages : this.pagesReader?.(doc);
  }

  private paragraphsOf(doc: number): string[] {
    if (this.reader) return this.reader.article(doc).paragraphs;
    return this.bodyReader ? this.bodyReader(doc) : (this.articles[doc] as StoredArticle).paragraphs;
  }

  /**
   * Normalises the articles not yet normalised, a slice at a time between
   * requests: a loaded index answers at once, and is fully warm a moment later.
   * Bodies read on demand are all read here, so an article the generation's
   * file no longer holds intact rejects the promise (naming file and article).
   */
  warmTexts(sliceSize = 1000, sliceMs = WARM_SLICE_MS, titleIndexFrom = TITLE_INDEX_FROM): Promise<void> {
    // A lean index's texts stay in its store.
    if (this.reader) return Promise.resolve();
    let next = 0;
    // Then, in a large library, the titles' own n-gram index, built in steps too.
    let titles: Generator<void, NgramLookup, void> | null = null;
    return inSlices(() => {
      if (next < this.count) {
        this.text(next++);
        return false;
      }
      if (this.count < titleIndexFrom) return true;
      titles ??= this.titleIndexSteps();
      const step = titles.next();
      if (step.done) this.titleGrams = step.value;
      return !!step.done;
    }, sliceMs, sliceSize);
  }

  /**
   * The titles' n-gram index, in steps. A live segment's is its base's with
   * the added titles beside it (the base's built first when it has none: once
   * for every segment made on the base); built whole for each change, it was
   * ~1 s of a server's time at ×10 after every change.
   */
  private *titleIndexSteps(): Generator<void, NgramLookup, void> {
    const over = this.parts?.titlesOverBase;
    if (!this.base || !over) return yield* NgramIndex.building(this.titleTexts(), 256);
    const from = this.base.from;
    if (!(from.titleGrams instanceof NgramIndex)) {
      if (from.titleGrams) return yield* NgramIndex.building(this.titleTexts(), 256);
      const built = yield* NgramIndex.building(from.titleTexts(), 256);
      from.titleGrams ??= built;
    }
    const added = this.addedToBase();
    return over(from.titleGrams as NgramIndex, NgramIndex.build(Array.from(added, (doc) => this.normalizedTitle(doc))), added);
  }

  /**
   * The normalised titles' n-gram index (an index that holds its texts, once
   * warmed): exact terms' title counts are read from it in step with the
   * results instead of scanning each result's title. Over long result sets
   * those scans were a third of a search's time at ×10 (1 2 3 4 5 6 7 8:
   * 46 against 32 ms without them), each title a read from another place in
   * memory. 7 MB at ×1, 62 MB at ×10, but building it leaves the process
   * ~30 MB larger (at ×1: 579–591 MB resident after the bench's queries
   * against 552 without it), so only a library of TITLE_INDEX_FROM articles
   * or more has one; below that the scans cost a few milliseconds at most.
   */
  private titleGrams: NgramLookup | null = null;

  /**
   * A lean index's frequent title pairs (engine/title-pairs.ts), built after
   * the suggester between requests: until then, and for the other pairs,
   * scoring scans the titles (the same counts).
   */
  private titlePairs: TitlePairs | null = null;
  private titlePairsBuild: Promise<void> | null = null;

  private warmTitlePairs(sliceMs: number): Promise<void> {
    if (!this.reader) return Promise.resolve();
    return (this.titlePairsBuild ??= (() => {
      const steps = TitlePairs.building(this.titleUnits, this.titleStart, this.count);
      return inSlices(() => {
        const r = steps.next();
        if (r.done) this.titlePairs = r.value;
        return !!r.done;
      }, sliceMs);
    })());
  }

  /** A live segment's documents that are not its base's (the added ones), ascending. */
  private addedToBase(): Uint32Array {
    const added: number[] = [];
    for (let doc = 0; doc < this.count; doc++) if (this.base!.oldOf[doc] < 0) added.push(doc);
    return Uint32Array.from(added);
  }

  /** Every normalised title, as the title filter's scans read them. */
  private titleTexts(): string[] {
    const out: string[] = new Array(this.count);
    for (let doc = 0; doc < this.count; doc++) out[doc] = this.normalizedTitle(doc);
    return out;
  }

  /** An article's normalised title, from the packed titles. */
  private normalizedTitle(doc: number): string {
    const units = this.titleUnits;
    const at = doc * DOC_STRIDE + TITLE_AT;
    const from = this.docInfo[at];
    const to = this.docInfo[at + DOC_STRIDE];
    return Buffer.from(units.buffer, units.byteOffset + from * 2, (to - from) * 2).toString("utf16le");
  }

  /** The first and last year with a dated article: the span a timeline covers (computed once: the index never changes). */
  yearSpan(): [number, number] | null {
    if (this.span === undefined) this.span = this.computeYearSpan();
    return this.span;
  }

  private span: [number, number] | null | undefined;

  private computeYearSpan(): [number, number] | null {
    let lo = Infinity;
    let hi = -Infinity;
    // Over the distinct dates: the same least and greatest as over every article's.
    for (const date of this.dates) {
      const y = Number(date.slice(0, 4));
      if (y < lo) lo = y;
      if (y > hi) hi = y;
    }
    return Number.isFinite(lo) ? [lo, hi] : null;
  }

  get size(): number {
    return this.count;
  }

  /** Whether this index reads its rows from a store per query (see IndexParts.source). */
  get lean(): boolean {
    return this.reader !== null;
  }

  /**
   * Documents containing every term of an alternative, from the n-gram layer
   * (a superset until verified); for an author, source or 文号 alternative,
   * exactly the documents with a value holding its terms.
   */
  private alternativeCandidates(alt: Alternative): Uint32Array {
    if (!isTextField(alt.field)) {
      const facet = this.fieldFacet(alt.field!);
      return facet.documentsWith(facet.maskContaining([...alt.phrases, ...alt.words]), this.count);
    }
    let acc: Uint32Array | null = null;
    for (const term of [...alt.phrases, ...alt.words]) {
      const c = this.ngrams.candidates(term);
      acc = acc ? intersect(acc, c) : c;
      if (acc.length === 0) break;
    }
    return acc ?? new Uint32Array(0);
  }

  private fieldFacet(field: Field): Facet {
    return field === "author" ? this.authorFacet : field === "source" ? this.sourceFacet : this.docNumberFacet;
  }

  /** Whether an alternative's candidates all hold it (no text to read): exact terms in the whole text, or an author's, source's or 文号's. */
  private static exactAlternative(alt: Alternative): boolean {
    if (!isTextField(alt.field)) return true;
    if (alt.field || alt.near) return false;
    return [...alt.phrases, ...alt.words].every((t) => NgramIndex.exact(t));
  }

  /**
   * A check of whether documents hold a title or body alternative (every
   * term in that field) or a NEAR group, read from the texts: titles are
   * held by every index, a lean one counts body terms and reads NEAR texts
   * from its store.
   */
  private constraintCheck(alt: Alternative): TermCheck {
    const terms = [...alt.phrases, ...alt.words];
    const key = `${alt.field ?? ""}\u0000${JSON.stringify(alt.near ?? terms)}`;
    const near = alt.near;
    const reader = this.reader;
    if (near) {
      const region = (doc: number, text: string): [number, number] =>
        near.field === "title" ? [0, this.bodyFrom(doc) - 1] : near.field === "body" ? [this.bodyFrom(doc), text.length] : [0, text.length];
      return {
        term: key,
        test: (doc) => {
          const text = this.text(doc);
          return nearIn(text, near, ...region(doc, text));
        },
        sure: null,
        need: reader ? (docs) => reader.need(docs, []) : undefined,
      };
    }
    if (alt.field === "title") {
      const units = terms.map(unitsOf);
      const { docInfo: info, titleUnits } = this;
      return { term: key, test: (doc) => units.every((u) => occurrencesIn(titleUnits, info[doc * DOC_STRIDE + TITLE_AT], info[(doc + 1) * DOC_STRIDE + TITLE_AT], u, 1) > 0), sure: null, need: () => {} };
    }
    // The body. An exact term (one or two units) is there when the article holds it more often than its title does:
    // the n-gram layer counts it in the whole text (up to 255), the title is at hand; no text is read.
    const exact = terms.filter((t) => NgramIndex.exact(t));
    const long = terms.filter((t) => !NgramIndex.exact(t));
    const inBody = exact.map((t) => this.bodyByCounts(t));
    const keys = long.map((t) => countKey("body", t));
    const readLong = (doc: number) =>
      reader ? long.every((t, i) => reader.count(keys[i], t, OCCURRENCE_CAP, doc, this.bodyFrom(doc)) > 0) : long.every((t) => this.text(doc).indexOf(t, this.bodyFrom(doc)) !== -1);
    return {
      term: key,
      test: (doc) => inBody.every((holds) => holds(doc)) && readLong(doc),
      sure: null,
      need: reader
        ? (docs) => {
            const from = (doc: number) => this.bodyFrom(doc);
            const needs = long.map((term, i) => ({ key: keys[i], term, cap: OCCURRENCE_CAP, docs, from }));
            exact.forEach((term, i) => {
              const unsure = docs.filter((doc) => inBody[i].unsure(doc));
              if (unsure.length) needs.push({ key: countKey("body", term), term, cap: OCCURRENCE_CAP, docs: unsure, from });
            });
            if (needs.length) reader.needCounts(needs);
          }
        : undefined,
    };
  }

  /**
   * Whether a document's body holds an exact term, from its count in the
   * n-gram layer against the title's: asked in ascending order of document.
   * A count of 255 (the layer's cap) is `unsure`: then the body is read (or,
   * for a lean index, counted where its texts are).
   */
  private bodyByCounts(term: string): ((doc: number) => boolean) & { unsure: (doc: number) => boolean } {
    const { docs, freqs } = this.ngrams.postingsOf(term);
    const units = unitsOf(term);
    const { docInfo: info, titleUnits, reader } = this;
    let p = 0;
    let last = -1;
    const freqOf = (doc: number) => {
      // Asked again from the start (a lean index's needs, then the checks): walk again.
      if (doc < last) p = 0;
      last = doc;
      p = seek(docs, p, doc);
      return docs[p] === doc ? freqs[p] : 0;
    };
    const holds = (doc: number) => {
      const f = freqOf(doc);
      if (f === 0) return false;
      if (f < 255) return occurrencesIn(titleUnits, info[doc * DOC_STRIDE + TITLE_AT], info[(doc + 1) * DOC_STRIDE + TITLE_AT], units, f) < f;
      return reader ? reader.count(countKey("body", term), term, OCCURRENCE_CAP, doc, this.bodyFrom(doc)) > 0 : this.text(doc).indexOf(term, this.bodyFrom(doc)) !== -1;
    };
    return Object.assign(holds, { unsure: (doc: number) => freqOf(doc) >= 255 });
  }

  private readonly finders = new Map<string, TermFinder>();
  private byteCost: Float64Array | null = null;

  /**
   * How often each byte occurs in the library's text as indexOf scans it
   * (both bytes of every UTF-16 unit), counted over 256 articles spread over
   * the library: what TermFinder needs to pick the unit to scan for. (The
   * n-gram layer's document counts were a worse estimate: 国 is in nearly
   * every article, but many times in each.) Only an index that reads its
   * texts here uses it: a lean one has long terms counted in its store.
   */
  private scanByteCost(): Float64Array {
    if (this.byteCost) return this.byteCost;
    const cost = new Float64Array(256);
    const n = this.count;
    const sample: number[] = [];
    for (let i = 0, step = Math.max(1, n / 256); Math.floor(i) < n; i += step) sample.push(Math.floor(i));
    for (const doc of sample) {
      const text = this.text(doc);
      for (let k = 0; k < text.length; k++) {
        const c = text.charCodeAt(k);
        cost[c & 0xff]++;
        cost[c >> 8]++;
      }
    }
    return (this.byteCost = cost);
  }

  /** How to scan texts for a long term (kept for the next searches: a few hundred small objects at most). */
  private finder(term: string): TermFinder {
    let f = this.finders.get(term);
    if (!f) {
      if (this.finders.size >= 512) this.finders.clear();
      this.finders.set(term, (f = new TermFinder(term, this.scanByteCost())));
    }
    return f;
  }

  /**
   * A check of whether documents hold a long term (three units or more: not
   * exact in the n-gram layer), asked in ascending order of document among
   * `toCheck` of them. Where a search checks many documents, the term's
   * whole-word documents are taken as holding it without reading their text:
   * jieba's words are pieces of the same normalised text, so a document with
   * the term as a word holds it literally. The rest are read. (At ×10, the
   * 34,570 candidates of 班主任 all have it as a word: reading them cost
   * ~30 ms, the word list ~1 ms.) The word list is fetched only when the
   * documents to check are at least an eighth of the term's own candidates
   * (the word list is at most as long): a text read costs some 30 times a
   * word-list entry.
   */
  private termCheck(term: string, toCheck: number): TermCheck {
    const read = this.holds(term);
    if (toCheck * 8 < this.ngrams.candidates(term).length) return { term, test: read, sure: null };
    const sure = this.words.documents(term);
    if (sure.length === 0) return { term, test: read, sure: null };
    let at = 0;
    return {
      term,
      test: (doc) => {
        while (at < sure.length && sure[at] < doc) at++;
        return (at < sure.length && sure[at] === doc) || read(doc);
      },
      sure,
    };
  }

  /** Whether a document's text holds a long term: read here, or counted where a lean index's texts are (up to one). */
  private holds(term: string): (doc: number) => boolean {
    const reader = this.reader;
    if (reader) {
      const key = countKey("holds", term);
      return (doc) => reader.count(key, term, 1, doc, 0) > 0;
    }
    const finder = this.finder(term);
    return (doc) => finder.indexIn(this.text(doc), 0) !== -1;
  }

  /** Where a document's body starts in its normalised text (after the title and its line break). */
  private bodyFrom(doc: number): number {
    const at = doc * DOC_STRIDE + TITLE_AT;
    return this.docInfo[at + DOC_STRIDE] - this.docInfo[at] + 1;
  }

  /** For a lean index: what the checks may ask of these documents, counted before they run (one round trip for all). */
  private needChecksFor(docs: Uint32Array, checks: Iterable<TermCheck>): void {
    if (!this.reader) return;
    const own = [...checks].filter((c) => c.need);
    for (const c of own) c.need!(docs);
    const needs = [...checks].filter((c) => !c.need).map((check) => ({ key: countKey("holds", check.term), term: check.term, cap: 1, docs: check.sure ? difference(docs, check.sure) : docs, from: () => 0 }));
    this.reader.needCounts(needs);
  }

  /**
   * The articles matching a parsed query, ascending; `narrow` (the request's
   * filters) runs on the candidates before their texts are read, so that only
   * the ones it keeps are verified.
   */
  private matching(q: ParsedQuery, narrow?: (docs: Uint32Array) => Uint32Array): Uint32Array {
    this.reader?.needTerms(termsOf(q));
    // Each alternative's candidates (a superset of the documents holding it; exact when all its terms are exact).
    const candidates = q.clauses.map((clause) => clause.map((alt) => this.alternativeCandidates(alt)));
    // Every clause's documents (one alternative: its candidates as they are, never written to), the shortest first.
    if (candidates.length === 0) return new Uint32Array(0);
    let result = intersectAll(candidates.map(unionAll));
    if (narrow) result = narrow(result);
    return this.excludeIn(this.exclude(this.holdingAll(result, q.clauses, candidates), q.excluded), q.excludedIn);
  }

  /**
   * The documents among `docs` (ascending, each among the candidates of some
   * alternative of every clause) that really hold every clause: one
   * alternative whose terms all occur. An alternative of exact terms holds
   * wherever it is a candidate, so a clause of such alternatives needs no
   * check at all, and a document among their candidates none for its clause;
   * only the long terms (see NgramIndex.exact) of the others are checked, in
   * ascending order of document, as the term checks need.
   */
  private holdingAll(docs: Uint32Array, clauses: Alternative[][], candidates: Uint32Array[][]): Uint32Array {
    const checks = new Map<string, TermCheck>();
    const check = (t: string) => checks.get(t) ?? checks.set(t, this.termCheck(t, docs.length)).get(t)!;
    const plans: ClausePlan[] = [];
    clauses.forEach((clause, c) => {
      const exactAlts: Uint32Array[] = [];
      const checked: ClausePlan["alts"] = [];
      clause.forEach((alt, a) => {
        if (SearchIndex.exactAlternative(alt)) return void exactAlts.push(candidates[c][a]);
        const constrained = alt.field !== undefined || alt.near !== undefined;
        const own = constrained ? [checks.get(JSON.stringify(alt)) ?? checks.set(JSON.stringify(alt), this.constraintCheck(alt)).get(JSON.stringify(alt))!] : null;
        const long = own ?? [...alt.phrases, ...alt.words].filter((t) => !NgramIndex.exact(t)).map(check);
        // With one alternative, every document is among its candidates.
        checked.push({ candidates: clause.length > 1 ? candidates[c][a] : null, at: 0, checks: long });
      });
      if (checked.length === 0) return; // every document is among some exact alternative's candidates: it holds
      plans.push({ sure: unionAll(exactAlts), at: 0, alts: checked });
    });
    if (plans.length === 0) return docs;
    this.needChecksOf(docs, plans);
    const verified = new Uint32Array(docs.length);
    let n = 0;
    outer: for (const doc of docs) {
      for (const plan of plans) {
        plan.at = seek(plan.sure, plan.at, doc);
        if (plan.sure[plan.at] === doc) continue;
        let holds = false;
        for (const alt of plan.alts) {
          if (alt.candidates) {
            alt.at = seek(alt.candidates, alt.at, doc);
            if (alt.candidates[alt.at] !== doc) continue;
          }
          const checks = alt.checks;
          let all = true;
          for (let t = 0; t < checks.length && all; t++) all = checks[t].test(doc);
          if (all) {
            holds = true;
            break;
          }
        }
        if (!holds) continue outer;
      }
      verified[n++] = doc;
    }
    return n === docs.length ? docs : verified.subarray(0, n);
  }

  /** For a lean index: what the clause checks may ask of these documents, counted before they run (one round trip for all). */
  private needChecksOf(docs: Uint32Array, plans: ClausePlan[]): void {
    if (!this.reader) return;
    const asked = new Map<TermCheck, Uint32Array>();
    for (const plan of plans) {
      const open = plan.sure.length ? difference(docs, plan.sure) : docs;
      for (const alt of plan.alts) {
        const mayAsk = alt.candidates ? intersect(open, alt.candidates) : open;
        for (const c of alt.checks) asked.set(c, asked.has(c) ? union(asked.get(c)!, mayAsk) : mayAsk);
      }
    }
    for (const [c, d] of asked) this.needChecksFor(d, [c]);
  }

  /** `docs` without the documents holding an excluded term (only those among `docs` are checked). */
  private exclude(docs: Uint32Array, excluded: string[]): Uint32Array {
    let out = docs;
    for (const ex of excluded) {
      const maybe = intersect(out, this.ngrams.candidates(ex));
      if (maybe.length === 0) continue;
      let sure = maybe;
      if (!NgramIndex.exact(ex)) {
        const check = this.termCheck(ex, maybe.length);
        this.needChecksFor(maybe, [check]);
        sure = maybe.filter(check.test);
      }
      out = difference(out, sure);
    }
    return out;
  }

  /** `docs` without the documents holding a term in a field (-正文:通知, -作者:张三). */
  private excludeIn(docs: Uint32Array, excludedIn: ParsedQuery["excludedIn"]): Uint32Array {
    let out = docs;
    for (const { field, term } of excludedIn) {
      const alt: Alternative = { words: [], phrases: [term], chunks: [], field };
      const maybe = intersect(out, this.alternativeCandidates(alt));
      if (maybe.length === 0) continue;
      let sure = maybe;
      if (isTextField(field)) {
        const check = this.constraintCheck(alt);
        this.needChecksFor(maybe, [check]);
        sure = maybe.filter(check.test);
      }
      out = difference(out, sure);
    }
    return out;
  }

  /**
   * The documents among `docs` that pass the request's filters: dated within
   * from–to, by one of the authors, from one of the sources. Authors and
   * sources are compared as the facets group them (normalised, trimmed), by
   * their facet ids: no string comparison per document.
   */
  private applyFilters(docs: Uint32Array, req: SearchRequest, authors: string[], sources: string[], docTypes: string[] = [], issuers: string[] = []): Uint32Array {
    const byAuthor = authors.length ? this.authorFacet.mask(authors) : null;
    const bySource = sources.length ? this.sourceFacet.mask(sources) : null;
    const byDocType = docTypes.length ? this.docTypeFacet.mask(docTypes) : null;
    const byIssuer = issuers.length ? this.issuerFacet.mask(issuers) : null;
    const out = new Uint32Array(docs.length);
    let n = 0;
    // Dated from–to, as ordinals: the first date not before `from`, the last not after `to` (+1, as dateOrdinal counts).
    const dated = !!(req.from || req.to);
    const lowest = req.from ? countBefore(this.dates, req.from, false) + 1 : 1;
    const highest = req.to ? countBefore(this.dates, req.to, true) : this.dates.length;
    const ordinal = this.dateOrdinal;
    for (let i = 0; i < docs.length; i++) {
      const doc = docs[i];
      if (dated) {
        const o = ordinal[doc];
        if (o === 0 || o < lowest || o > highest) continue;
      }
      if (byAuthor && !this.authorFacet.hasAny(doc, byAuthor)) continue;
      if (bySource && !this.sourceFacet.hasAny(doc, bySource)) continue;
      if (byDocType && !this.docTypeFacet.hasAny(doc, byDocType)) continue;
      if (byIssuer && !this.issuerFacet.hasAny(doc, byIssuer)) continue;
      out[n++] = doc;
    }
    // Right-sized: a view would keep the whole candidate list's buffer alive in whatever keeps the result.
    return n === docs.length ? out : out.slice(0, n);
  }

  /**
   * Relevance scores (BM25-like) for the matching documents. Term
   * frequencies come from the n-gram layer's counts for one- and two-unit
   * terms, and from indexOf for longer ones (or, over very large result sets,
   * from the smallest count among their pairs, an upper bound). Title hits
   * weigh several times body hits; the unspaced query as a phrase and whole
   * jieba words add to it; the whole query inside a title outranks the rest.
   */
  private scores(docs: Uint32Array, q: ParsedQuery): Float64Array {
    // (The query's n-gram rows and word lists were fetched for matching(), which always runs first.)
    this.needBodyCounts(docs, q);
    const scratch = this.scoreScratchFor(docs);
    const typed = q.clauses.map((clause) => clause.filter((alt) => !alt.kind && isTextField(alt.field)));
    const single = typed.length === 1 && typed[0].length === 1 ? typed[0][0] : null;
    // The whole query when it is one typed term: its pass records the titles that hold it (in scratch.titleHits).
    const fragment = single ? (single.chunks[0] ?? single.phrases[0] ?? (single.words.length === 1 ? single.words[0] : null)) : null;
    const pass: TermPass = { docs, scratch, approximate: docs.length > EXACT_COUNT_LIMIT, fragment, fragmentHits: -1 };
    for (const clause of q.clauses) {
      for (const alt of clause) {
        // An author's, source's or 文号's terms filter: they are not in the text.
        if (!isTextField(alt.field)) continue;
        const factor = alt.kind === "synonym" ? SYNONYM_WEIGHT : 1;
        let altWeight = 0;
        for (const term of alt.words) {
          const w = this.idf(term);
          altWeight += w;
          this.scoreTerm(pass, term, w, true, factor);
        }
        for (const term of alt.phrases) this.scoreTerm(pass, term, this.idf(term), false, PHRASE_WEIGHT * factor);
        for (const chunk of alt.chunks) this.scoreTerm(pass, chunk, altWeight, false, PHRASE_WEIGHT * factor);
      }
      this.addExactTier(clause, docs, scratch.scores);
    }
    if (fragment) this.addTitleFragmentBonus(fragment, scratch.titleHits, pass.fragmentHits, scratch.scores);
    return scratch.scores;
  }

  /** For a lean index: long terms' body counts (below EXACT_COUNT_LIMIT documents) counted where its texts are, before scoring reads them. */
  private needBodyCounts(docs: Uint32Array, q: ParsedQuery): void {
    if (!this.reader || docs.length > EXACT_COUNT_LIMIT) return;
    const long = [...termsOf(q, false)].filter((t) => !NgramIndex.exact(t));
    this.reader.needCounts(long.map((term) => ({ key: countKey("body", term), term, cap: OCCURRENCE_CAP, docs, from: (doc: number) => this.bodyFrom(doc) })));
  }

  /**
   * The arrays scoring writes, over the whole library and kept between
   * searches: allocating them per search cost more than scoring (fresh
   * pages: ~0.5 ms for 30k articles here). Only the previous search's
   * documents were written, and only those are cleared.
   */
  private scoreScratchFor(docs: Uint32Array): ScoreScratch {
    const n = this.count;
    const scratch = (this.scoreScratch ??= { scores: new Float64Array(n), tf: new Uint8Array(n), last: new Uint32Array(n), lastCount: 0, titleHits: new Uint32Array(n) });
    for (let i = 0; i < scratch.lastCount; i++) scratch.scores[scratch.last[i]] = 0;
    scratch.last.set(docs); // a copy: `docs` may be a view of an array a later search reuses
    scratch.lastCount = docs.length;
    return scratch;
  }

  /** A term's inverse document frequency (BM25's), from its n-gram candidates. */
  private idf(term: string): number {
    const df = this.ngrams.candidates(term).length;
    return Math.log(1 + (this.count - df + 0.5) / (df + 0.5));
  }

  /**
   * One term's pass over the matching documents that can hold it: its title
   * hits (through the title filter) and body occurrences, BM25 over the
   * body's length, the whole-word bonus. An exact term's counts are read
   * beside its documents, in step with `docs` (ascending); a long term's are
   * counted in the texts (or, approximately, written out by document from
   * its grams' frequencies). (Adding a clause's terms document by document
   * instead, each document's row read once, was 30–40% slower at ×10: a call
   * per document and term cost more than the rows it saved reading.)
   */
  private scoreTerm(pass: TermPass, term: string, weight: number, isWord: boolean, factor: number): void {
    const { approximate } = pass;
    const { scores, tf, titleHits } = pass.scratch;
    const { docInfo: info, docNorm, titleUnits } = this;
    const exact = NgramIndex.exact(term);
    const countExactly = !exact && !approximate;
    const [b0, b1, b2, b3, b4, b5] = titleBits(term);
    const units = unitsOf(term);
    const finder = countExactly && !this.reader ? this.finder(term) : null;
    const bodyKey = countExactly && this.reader ? countKey("body", term) : "";
    const recordHits = term === pass.fragment && pass.fragmentHits < 0;
    let hits = 0;
    const postings = exact ? this.ngrams.postingsOf(term) : null;
    if (approximate && !exact) {
      tf.fill(0);
      this.ngrams.frequenciesOf(term, tf);
    }
    const pDocs = postings?.docs;
    const pFreqs = postings?.freqs;
    let p = 0;
    // An exact term's title counts, where the titles' index is built.
    const inTitles = exact && this.titleGrams ? this.titleGrams.postingsOf(term) : null;
    const tDocs = inTitles?.docs;
    const tFreqs = inTitles?.freqs;
    let t = 0;
    // Else a frequent pair's title counts (a lean index), read bit by bit (TITLE_COUNT_CAP is 2: once, or twice and more).
    const pair = exact && !inTitles && this.titlePairs ? this.titlePairs.of(term) : null;
    const once = pair?.once;
    const twice = pair?.twice;
    // The documents that can hold the term: where its postings are much shorter than the results (an alternative of
    // an OR), only those among them; a long term's candidates only (no text read, and no approximate count, for a
    // result that cannot hold it).
    const docs = pDocs ? (pDocs.length * 4 < pass.docs.length ? intersect(pass.docs, pDocs) : pass.docs) : intersect(pass.docs, this.ngrams.candidates(term));
    // One-unit words are not looked up as whole words (one is in most articles): no bonus, rather than the marks of
    // the word before them. The whole-word list is ascending too: walked in step as well.
    const wholeWordLookup = isWord && term.length >= 2;
    const wholeDocs = wholeWordLookup ? this.words.documents(term) : null;
    let w = 0;
    const termWeight = weight * factor;
    const wholeWord = wholeWordLookup ? weight * WHOLE_WORD_BONUS : 0;
    for (let i = 0; i < docs.length; i++) {
      const doc = docs[i];
      const at = doc * DOC_STRIDE;
      let inTitle = 0;
      if (tDocs) {
        while (t < tDocs.length && tDocs[t] < doc) t++;
        if (t < tDocs.length && tDocs[t] === doc) inTitle = Math.min(TITLE_COUNT_CAP, tFreqs![t]);
      } else if (once) {
        inTitle = (once[doc >>> 5] >>> (doc & 31)) & 1;
        if (inTitle) {
          while (t < twice!.length && twice![t] < doc) t++;
          if (t < twice!.length && twice![t] === doc) inTitle = 2;
        }
      } else if (
        // The title filter: scan the title only when the term's bits are all among its bits.
        (info[at] & b0) === b0 && (info[at + 1] & b1) === b1 && (info[at + 2] & b2) === b2 && (info[at + 3] & b3) === b3 && (info[at + 4] & b4) === b4 && (info[at + 5] & b5) === b5
      )
        inTitle = occurrencesIn(titleUnits, info[at + TITLE_AT], info[at + TITLE_AT + DOC_STRIDE], units, TITLE_COUNT_CAP);
      if (recordHits && inTitle > 0) titleHits[hits++] = doc;
      let total: number;
      if (pDocs) {
        while (p < pDocs.length && pDocs[p] < doc) p++;
        total = p < pDocs.length && pDocs[p] === doc ? pFreqs![p] : 0;
      } else if (countExactly) {
        const from = info[at + TITLE_AT + DOC_STRIDE] - info[at + TITLE_AT] + 1;
        if (this.reader) total = inTitle + this.reader.count(bodyKey, term, OCCURRENCE_CAP, doc, from);
        else {
          const text = this.text(doc);
          total = inTitle + finder!.count(text, from, text.length, OCCURRENCE_CAP);
        }
      } else total = tf[doc];
      if (total === 0) continue;
      const inBody = Math.min(OCCURRENCE_CAP, Math.max(0, total - inTitle));
      const bm25 = (inBody * (K1 + 1)) / (inBody + K1 * docNorm[at + NORM_AT]);
      let s = termWeight * (TITLE_WEIGHT * inTitle + bm25);
      if (wholeDocs) {
        while (w < wholeDocs.length && wholeDocs[w] < doc) w++;
        if (w < wholeDocs.length && wholeDocs[w] === doc) s += wholeWord;
      }
      scores[doc] += s;
    }
    if (recordHits) pass.fragmentHits = hits;
  }

  /** Where synonyms widened a part, the articles that match it as typed come first. */
  private addExactTier(clause: Alternative[], docs: Uint32Array, scores: Float64Array): void {
    if (!clause.some((alt) => alt.kind === "synonym")) return;
    const typed = clause.filter((alt) => alt.kind !== "synonym");
    // The documents that hold the clause as typed: among those holding one of its alternatives' candidates, checked.
    const candidates = typed.map((alt) => this.alternativeCandidates(alt));
    const maybe = intersect(docs, unionAll(candidates));
    for (const doc of this.holdingAll(maybe, [typed], [candidates])) scores[doc] += EXACT_TIER;
  }

  /**
   * The whole query inside the title: the article people are looking for.
   * Shorter titles fit better. The fragment is one of the typed alternative's
   * own terms, so its pass found those titles (`hits` of them in `titleHits`).
   */
  private addTitleFragmentBonus(fragment: string, titleHits: Uint32Array, hits: number, scores: Float64Array): void {
    for (let i = 0; i < hits; i++) {
      const doc = titleHits[i];
      scores[doc] += TITLE_FRAGMENT_BONUS * (1 + fragment.length / Math.max(1, this.titleLength(doc)));
    }
  }

  /** The normalised title's length (where the body starts in the article's text, after a newline). */
  private titleLength(doc: number): number {
    return this.titleStart[doc + 1] - this.titleStart[doc];
  }

  /**
   * Documents ordered by score, newest first among equals, using one native
   * numeric sort of composite keys. With `limit`, only the best `limit` are
   * ordered (a bounded heap first keeps the sort small on large result sets).
   */
  private byScore(docs: Uint32Array, scores: Float64Array, limit = Infinity): Uint32Array {
    const RANKS = 2 ** 21;
    // Smaller key = better: higher score first, then newer.
    const keyOf = (doc: number) => -(Math.round(scores[doc] * 1024) * RANKS + (RANKS - 1 - this.newestRank[doc]));
    let keys: Float64Array;
    if (docs.length > 4 * limit) {
      keys = smallest(docs, keyOf, limit);
    } else {
      keys = new Float64Array(docs.length);
      for (let i = 0; i < docs.length; i++) keys[i] = keyOf(docs[i]);
    }
    keys.sort();
    const out = new Uint32Array(Math.min(keys.length, limit));
    for (let i = 0; i < out.length; i++) {
      const rank = RANKS - 1 - (-keys[i] % RANKS);
      out[i] = this.byNewest[rank];
    }
    return out;
  }

  private byDate(docs: Uint32Array, oldestFirst: boolean): Uint32Array {
    const n = this.count;
    let ranks: Uint32Array;
    if (docs.length * 16 > n) {
      // A large share of the library (the home page lists all of it): mark the ranks and read them in order, no sort.
      const marks = (this.rankMarks ??= new Uint8Array(n));
      for (let i = 0; i < docs.length; i++) marks[this.newestRank[docs[i]]] = 1;
      ranks = new Uint32Array(docs.length);
      for (let r = 0, k = 0; r < n; r++) if (marks[r]) (ranks[k++] = r), (marks[r] = 0);
    } else {
      ranks = new Uint32Array(docs.length);
      for (let i = 0; i < docs.length; i++) ranks[i] = this.newestRank[docs[i]];
      ranks.sort();
    }
    const out = new Uint32Array(docs.length);
    let undated = 0;
    for (let i = 0; i < ranks.length; i++) if (this.dateOrdinal[this.byNewest[ranks[i]]] === 0) undated++;
    const dated = ranks.length - undated;
    for (let i = 0; i < ranks.length; i++) {
      const doc = this.byNewest[ranks[i]];
      // Newest first is rank order (undated at the end); oldest first reverses the dated part only.
      out[oldestFirst && i < dated ? dated - 1 - i : i] = doc;
    }
    return out;
  }

  /** Runs a search; `limit` bounds how many of the best are put in order (all by default). */
  private run(req: SearchRequest, limit = Infinity): { q: ParsedQuery; docs: Uint32Array; shown: Uint32Array; ordered: Uint32Array; scores: Float64Array | null } {
    const { q, docs } = this.matchingDocs(req);
    const useRelevance = req.sort === "relevance" && !isEmptyQuery(q);
    const scores = useRelevance ? this.scores(docs, q) : null;
    const shown = req.group === false ? docs : this.groupRepresentatives(docs, scores, req.sort === "oldest");
    const ordered = scores ? this.byScore(shown, scores, limit) : this.byDate(shown, req.sort === "oldest");
    return { q, docs, shown, ordered, scores };
  }

  /** Every article matching a request's query and passing its filters, ascending (every one for an empty query). */
  private matchingDocs(req: SearchRequest): { q: ParsedQuery; docs: Uint32Array } {
    const q = parseQuery(req.q);
    const authors = req.authors.map((a) => normalize(a).trim());
    const sources = req.sources.map((s) => normalize(s).trim());
    const docTypes = (req.docTypes ?? []).map((s) => normalize(s).trim());
    const issuers = (req.issuers ?? []).map((s) => normalize(s).trim());
    const filtered = !!(req.from || req.to || authors.length || sources.length || docTypes.length || issuers.length);
    const narrow = filtered ? (docs: Uint32Array) => this.applyFilters(docs, req, authors, sources, docTypes, issuers) : undefined;
    let docs: Uint32Array;
    if (!isEmptyQuery(q)) docs = this.matching(q, narrow);
    else {
      docs = this.allDocs ??= Uint32Array.from({ length: this.count }, (_, doc) => doc);
      if (narrow) docs = narrow(docs);
    }
    return { q, docs };
  }

  /**
   * Term trends (trends.ts): each query's matching articles and their marks
   * per year or month, beside every article passing the filters. The buckets
   * run from `from` (else the first dated article's) to `to` (else the last).
   */
  trends(req: TrendRequest): TrendResponse {
    const filters: SearchRequest = { q: "", authors: req.authors, sources: req.sources, docTypes: req.docTypes, issuers: req.issuers, from: req.from, to: req.to, sort: TREND_SORT, page: 1, size: 1, group: false };
    const all = this.matchingDocs(filters).docs;
    const ordinal = this.dateOrdinal;
    let lo = Infinity;
    let hi = 0;
    for (let i = 0; i < all.length; i++) {
      const o = ordinal[all[i]];
      if (o !== 0 && o < lo) lo = o;
      if (o > hi) hi = o;
    }
    const by = req.by;
    const dataFirst = hi ? bucketOf(this.dates[lo - 1], by) : null;
    const dataLast = hi ? bucketOf(this.dates[hi - 1], by) : null;
    let first = req.from ? bucketOf(req.from, by) : dataFirst;
    let last = req.to ? bucketOf(req.to, by) : dataLast;
    let buckets = first && last && first <= last ? bucketsBetween(first, last, by) : [];
    if (buckets.length > MAX_BUCKETS) {
      first = dataFirst;
      last = dataLast;
      buckets = first && last ? bucketsBetween(first, last, by).slice(0, MAX_BUCKETS) : [];
    }
    const indexOf = new Map(buckets.map((b, i) => [b, i]));
    // Each date's bucket (−1: outside), by its ordinal.
    const bucketAt = new Int32Array(this.dates.length + 1).fill(-1);
    this.dates.forEach((d, i) => (bucketAt[i + 1] = indexOf.get(bucketOf(d, by)) ?? -1));
    const totals = new Array<number>(buckets.length).fill(0);
    for (let i = 0; i < all.length; i++) {
      const b = bucketAt[ordinal[all[i]]];
      if (b >= 0) totals[b]++;
    }
    const series = req.queries.map((q): TrendSeries => {
      const { q: parsed, docs } = this.matchingDocs({ ...filters, q });
      const articles = new Array<number>(buckets.length).fill(0);
      const occurrences = new Array<number>(buckets.length).fill(0);
      const inBuckets = docs.filter((doc) => bucketAt[ordinal[doc]] >= 0);
      const marks = this.marksOf(inBuckets, parsed);
      inBuckets.forEach((doc, i) => {
        const b = bucketAt[ordinal[doc]];
        articles[b]++;
        occurrences[b] += marks[i];
      });
      const share = articles.map((n, b) => (totals[b] ? Math.round((n / totals[b]) * 1e6) / 1e6 : 0));
      return { q, articles, occurrences, share };
    });
    return { by, buckets, totals, series };
  }

  /** trends() for any index (see searchAsync). */
  trendsAsync(req: TrendRequest): Promise<TrendResponse> {
    return this.reader ? this.reader.run(() => this.trends(req)) : Promise.resolve(this.trends(req));
  }

  /**
   * The marks a reading page shows for the query in each of `docs` (see
   * countMarks). One term that cannot overlap itself, of one or two units, is
   * counted by the n-gram layer (its counts stop at 255: those are read); the
   * rest from the texts.
   */
  private marksOf(docs: Uint32Array, q: ParsedQuery): Uint32Array {
    const out = new Uint32Array(docs.length);
    const titleTerms = highlightTerms(q, "title");
    const bodyTerms = highlightTerms(q, "body");
    const one = titleTerms.length === 1 && bodyTerms.length === 1 && titleTerms[0] === bodyTerms[0] ? titleTerms[0] : null;
    const postings = one && NgramIndex.exact(one) && !selfOverlapping(one) ? this.ngrams.postingsOf(one) : null;
    const toRead: number[] = [];
    let p = 0;
    docs.forEach((doc, i) => {
      if (postings) {
        p = seek(postings.docs, p, doc);
        const f = postings.docs[p] === doc ? postings.freqs[p] : 0;
        if (f < 255) return void (out[i] = f);
      }
      toRead.push(i);
    });
    const reader = this.reader;
    // A lean index counts one term where its texts are (a term that cannot overlap itself: its occurrences are its marks);
    // other queries' texts are fetched.
    if (reader && one && !selfOverlapping(one)) {
      const key = countKey("all", one);
      reader.needCounts([{ key, term: one, cap: ALL_OCCURRENCES, docs: toRead.map((i) => docs[i]), from: () => 0 }]);
      for (const i of toRead) out[i] = reader.count(key, one, ALL_OCCURRENCES, docs[i], 0);
      return out;
    }
    reader?.need(toRead.map((i) => docs[i]), []);
    for (const i of toRead) out[i] = countMarks(this.text(docs[i]), this.bodyFrom(docs[i]), titleTerms, bodyTerms);
    return out;
  }

  /**
   * One article per repost group among `docs` (ascending): the best scored,
   * else the newest (the oldest when sorting oldest first); ties go to the
   * group's first article. Filters ran before, so a source filter shows that
   * source's copy.
   */
  private groupRepresentatives(docs: Uint32Array, scores: Float64Array | null, oldest: boolean): Uint32Array {
    if (this.groupMembers.leaders.length === 0) return docs;
    const groupOf = this.aids.groupOf;
    // The chosen member per group leader, as document + 1 (0: none yet); only touched entries are reset.
    const chosen = (this.chosenScratch ??= new Int32Array(this.count));
    const leaders: number[] = [];
    let dropped = 0;
    for (let i = 0; i < docs.length; i++) {
      const doc = docs[i];
      if (this.grouped[doc] === 0) continue;
      const leader = groupOf[doc];
      const current = chosen[leader] - 1;
      if (current < 0) {
        chosen[leader] = doc + 1;
        leaders.push(leader);
        continue;
      }
      dropped++;
      const better = scores
        ? scores[doc] > scores[current] || (scores[doc] === scores[current] && this.newestRank[doc] < this.newestRank[current])
        : oldest
          ? this.dateOrdinal[doc] !== 0 && (this.dateOrdinal[current] === 0 || this.newestRank[doc] > this.newestRank[current])
          : this.newestRank[doc] < this.newestRank[current];
      if (better) chosen[leader] = doc + 1;
    }
    let out = docs;
    if (dropped > 0) {
      out = new Uint32Array(docs.length - dropped);
      let k = 0;
      for (let i = 0; i < docs.length; i++) {
        const doc = docs[i];
        if (this.grouped[doc] === 0 || chosen[groupOf[doc]] === doc + 1) out[k++] = doc;
      }
    }
    for (const leader of leaders) chosen[leader] = 0;
    return out;
  }

  /** An article as results and pages list it (a lean index reads only these fields from its store). */
  private ref(doc: number): ArticleRef {
    if (this.reader) return this.reader.ref(doc);
    const a = this.articles[doc];
    return { id: a.id, title: a.title, source: a.source, date: a.date };
  }

  /** The other articles of a document's repost group. */
  private copiesOf(doc: number): ArticleRef[] {
    return this.copyDocs(doc).map((m) => this.ref(m));
  }

  private copyDocs(doc: number): number[] {
    const members = this.groupMembers.members(this.aids.groupOf[doc]);
    return members ? Array.from(members).filter((m) => m !== doc) : [];
  }

  /** The suggestion and did-you-mean index, built on first use (warmSuggestions builds it ahead, or finishes here). */
  private get suggestions(): Suggester {
    while (!this.stepSuggester());
    return this.suggester!;
  }

  /**
   * One step of the suggestion build under way (started if there is none);
   * true once the suggester is built. A step that throws ends that build: the
   * next one starts over.
   */
  private stepSuggester(): boolean {
    if (this.suggester) return true;
    const steps = (this.suggesterSteps ??= this.suggesterBuild());
    let r: IteratorResult<void, Suggester>;
    try {
      r = steps.next();
    } catch (e) {
      this.suggesterSteps = null;
      throw e;
    }
    if (!r.done) return false;
    this.suggester = r.value;
    this.suggesterSteps = null;
    return true;
  }

  private *suggesterBuild(): Generator<void, Suggester, void> {
    const reader = this.reader;
    const titles = {
      units: this.titleUnits,
      start: this.titleStart,
      need: reader ? (docs: number[]) => reader.needTitles(docs) : undefined,
      original: (doc: number) => (reader ? reader.title(doc) : this.articles[doc].title),
    };
    if (!this.base) return yield* Suggester.building(this.aids.vocabulary, titles);
    // A live segment's, from its base's (built first if it is not yet: once for every segment made on the base).
    const from = this.base.from;
    while (!from.stepSuggester()) yield;
    return yield* Suggester.carrying(from.suggester!, this.aids.vocabulary, titles, this.base.remap, this.addedToBase());
  }

  /** A fingerprint of the vocabulary (words, document frequencies, pinyin): tests compare builds with it. */
  vocabularyDigest(): string {
    const v = this.aids.vocabulary;
    return createHash("sha1").update(v.words.join("\n")).update(Buffer.from(v.df.buffer, v.df.byteOffset, v.df.byteLength)).update(v.pinyin.join("\n")).digest("hex");
  }

  /**
   * Builds the suggestion index between requests, about `sliceMs` at a
   * time (~50 ms for each of its sorts; ~0.3 s in one go on the corpus, which
   * held every request arriving meanwhile). A request that needs it first
   * finishes the build itself.
   */
  warmSuggestions(sliceMs = WARM_SLICE_MS): Promise<void> {
    if (this.suggester) return this.warmTitlePairs(sliceMs);
    const steps = (this.suggesterSteps ??= this.suggesterBuild());
    // Done when this build is: finished here or by a request meanwhile, or ended by a step that threw there.
    return inSlices(() => this.suggesterSteps !== steps || this.stepSuggester(), sliceMs).then(() => this.warmTitlePairs(sliceMs));
  }

  /** Up to `limit` completions of what is being typed: words, titles, words for typed pinyin or initials. */
  suggest(q: string, limit?: number): Suggestion[] {
    return this.suggestions.suggest(q, limit);
  }

  /** suggest() for any index: a lean one reads the titles it shows from its store. */
  suggestAsync(q: string, limit?: number): Promise<Suggestion[]> {
    return this.reader ? this.reader.run(() => this.suggest(q, limit)) : Promise.resolve(this.suggest(q, limit));
  }

  /** A query that exists in the library and finds more than `q` (which found `found`), or null. */
  didYouMean(q: string, found: number): string | null {
    const candidate = this.suggestions.closest(q);
    if (!candidate || normalize(candidate) === normalize(q).trim()) return null;
    const parsed = parseQuery(candidate);
    if (isEmptyQuery(parsed)) return null;
    return this.matching(parsed).length > found ? candidate : null;
  }

  /** Ids of every matching article, in result order (page and size are ignored; reposts are not grouped unless `group` is set). */
  searchIds(req: SearchRequest): string[] {
    const { ordered } = this.run({ ...req, group: req.group ?? false });
    this.reader?.need([], [], [], ordered);
    return Array.from(ordered, (doc) => this.ref(doc).id);
  }

  /**
   * A results page. Recent pages are kept (RESULT_CACHE_ENTRIES, default
   * 1000; 0 turns it off): an index never changes, so a repeated request gets
   * the same page without running again; `tookMs` is this answer's own time.
   * Callers must not change the response.
   */
  search(req: SearchRequest): SearchResponse {
    if (!this.answers.enabled) return this.page(req, false).response;
    const started = performance.now();
    const key = this.answers.key(req);
    return this.answers.get(key, started) ?? this.answers.set(key, this.page(req, false).response);
  }

  /** search() for any index: a lean one fetches what the search reads from its store (lean-reader.ts). */
  async searchAsync(req: SearchRequest): Promise<SearchResponse> {
    const reader = this.reader;
    if (!reader) return this.search(req);
    const memo: PageMemo = {};
    if (!this.answers.enabled) return reader.run(() => this.page(req, false, memo).response);
    const started = performance.now();
    const key = this.answers.key(req);
    const kept = this.answers.get(key, started);
    if (kept) return kept;
    const response = await reader.run(() => this.page(req, false, memo).response);
    // tookMs of a lean answer counts its fetching.
    response.tookMs = Math.round((performance.now() - started) * 100) / 100;
    return this.answers.set(key, response);
  }

  /** searchWithDocs() for any index (see searchAsync). */
  searchWithDocsAsync(req: SearchRequest): Promise<{ response: SearchResponse; docs: Uint32Array }> {
    const memo: PageMemo = {};
    return this.reader ? this.reader.run(() => this.page(req, true, memo)) : Promise.resolve(this.page(req, true));
  }

  /** get() for any index (see searchAsync). */
  /** A document's original file as the store keeps it (Word, PDF, scan), or null: no such article, or none kept for it. */
  originalAsync(id: string): Promise<OriginalFile | null> {
    const find = () => {
      const doc = this.docOf(id);
      if (doc === undefined) return null;
      return this.meta(doc).original ?? null;
    };
    return this.reader ? this.reader.run(find) : Promise.resolve(find());
  }

  getAsync(id: string, q?: string): Promise<ArticleView | null> {
    return this.reader ? this.reader.run(() => this.get(id, q)) : Promise.resolve(this.get(id, q));
  }

  /**
   * A results page, and every matching article as positions in `articles`
   * (ascending, unordered): one run for both, for benchmarks and exports.
   */
  searchWithDocs(req: SearchRequest): { response: SearchResponse; docs: Uint32Array } {
    return this.page(req, true);
  }

  private page(req: SearchRequest, withDocs: boolean, memo: PageMemo = {}): { response: SearchResponse; docs: Uint32Array } {
    const started = performance.now();
    const ran = (memo.ran ??= this.ranPage(req, withDocs));
    const { q, pageDocs, pageScores, total, totalArticles, facets, docs } = ran;
    const terms = highlightTerms(q, "body");
    const titleTerms = highlightTerms(q, "title");
    try {
      this.reader?.need(pageDocs, pageDocs, [], req.group === false ? [] : [...pageDocs].flatMap((doc) => this.copyDocs(doc)));
    } catch (e) {
      // The request fetches, then reruns from the memo: the matching documents outlive this search, as a copy.
      if (!memo.copied) memo.ran = { ...ran, docs: docs.slice() };
      memo.copied = true;
      throw e;
    }
    const hits: SearchHit[] = Array.from(pageDocs, (doc, i) => this.hitOf(doc, terms, titleTerms, pageScores ? pageScores[i] : null, req.group !== false));
    const response: SearchResponse = {
      query: describeQuery(q),
      total,
      totalArticles,
      didYouMean: total < FEW_RESULTS && req.q.trim() ? this.didYouMean(req.q, totalArticles) : null,
      page: req.page,
      size: req.size,
      tookMs: 0,
      hits,
      facets,
    };
    response.tookMs = Math.round((performance.now() - started) * 100) / 100;
    return { response, docs };
  }

  /**
   * A page's search, up to what it reads from a lean index's store (its hits'
   * texts, articles and reposts): kept in the request's memo, so that the
   * rerun after that fetch does not search again (at 1M, scoring a common
   * word's ~375k articles once more: ~20 ms of each such query's first run).
   * The page's documents and scores are copies: the arrays a search returns
   * are scratch that another request may reuse while this one fetches (and so
   * are the matching documents, copied before a fetch: see page).
   */
  private ranPage(req: SearchRequest, withDocs: boolean): RanPage {
    // Only the requested page needs ordering; the total and facets need the whole set.
    const { q, docs, shown, ordered, scores } = this.run(req, req.page * req.size);
    const start = (req.page - 1) * req.size;
    const pageDocs = ordered.slice(start, start + req.size);
    return {
      q,
      pageDocs,
      pageScores: scores ? Float64Array.from(pageDocs, (doc) => scores[doc]) : null,
      total: shown.length,
      totalArticles: docs.length,
      facets: this.facets(docs),
      docs: withDocs ? docs : new Uint32Array(0),
    };
  }

  /** A result as the API lists it (its article fetched beforehand, for a lean index). */
  private hitOf(doc: number, terms: string[], titleTerms: string[], score: number | null, grouped: boolean): SearchHit {
    const a = this.meta(doc);
    const normalized = this.text(doc).split("\n").slice(1);
    const paragraphs = this.paragraphsOf(doc);
    // The normalised text's lines are the paragraphs' normal forms, one for one, unless normalising made a line break.
    const cut = snippetsIn(paragraphs, terms, {}, normalized.length === paragraphs.length ? normalized : undefined);
    const pages = this.pagesOf(doc, a);
    const first = terms.length ? normalized.findIndex((p) => terms.some((t) => p.includes(t))) : -1;
    return {
      id: a.id,
      title: a.title,
      titleParts: highlight(a.title, titleTerms),
      author: a.authors.length ? a.authors.join(AUTHOR_JOINER) : null,
      source: a.source,
      date: a.date,
      url: a.url,
      snippets: cut.map((c) => c.parts),
      score: score === null ? null : Math.round(score * 1000) / 1000,
      copies: grouped ? this.copiesOf(doc) : [],
      ...documentFields(a),
      snippetPages: pages ? cut.map((c) => pages[c.paragraph] ?? 1) : null,
      matchParagraph: first >= 0 ? first + 1 : null,
    };
  }

  /**
   * Every result of a request in its order and grouping, at most `limit`,
   * `batch` hits at a time (an export streams them): the search runs once,
   * and only the batch being written is held. Scores are copied out of the
   * scratch arrays the next search reuses.
   */
  async *allHits(req: SearchRequest, limit: number, batch = 100): AsyncGenerator<SearchHit[], void, void> {
    const first = () => {
      const { q, ordered, scores } = this.run(req, limit);
      const docs = ordered.slice(0, limit);
      return { q, docs, scores: scores ? Float64Array.from(docs, (doc) => scores[doc]) : null };
    };
    const { q, docs, scores } = this.reader ? await this.reader.run(first) : first();
    const terms = highlightTerms(q, "body");
    const titleTerms = highlightTerms(q, "title");
    const grouped = req.group !== false;
    for (let at = 0; at < docs.length; at += batch) {
      const slice = docs.subarray(at, at + batch);
      const make = () => {
        this.reader?.need(slice, slice, [], grouped ? [...slice].flatMap((doc) => this.copyDocs(doc)) : []);
        return Array.from(slice, (doc, i) => this.hitOf(doc, terms, titleTerms, scores ? scores[at + i] : null, grouped));
      };
      yield this.reader ? await this.reader.run(make) : make();
    }
  }

  private facets(docs: Uint32Array): SearchResponse["facets"] {
    if (docs.length === this.count) return (this.allFacets ??= this.countFacets(docs));
    return this.countFacets(docs);
  }

  private countFacets(docs: Uint32Array): SearchResponse["facets"] {
    return {
      authors: this.authorFacet.count(docs),
      sources: this.sourceFacet.count(docs),
      years: this.yearFacet.count(docs).sort((a, b) => b.value.localeCompare(a.value)),
      docTypes: this.docTypeFacet.count(docs),
      issuers: this.issuerFacet.count(docs),
    };
  }

  /** One article, with highlights when a query is given. */
  get(id: string, q?: string): ArticleView | null {
    const doc = this.docOf(id);
    if (doc === undefined) return null;
    this.reader?.need([], [doc], [doc], [...this.relatedDocs(doc), ...this.copyDocs(doc)]);
    const a = this.meta(doc);
    const paragraphs = this.paragraphsOf(doc);
    const view: ArticleView = {
      id: a.id,
      title: a.title,
      author: a.authors.length ? a.authors.join(AUTHOR_JOINER) : null,
      source: a.source,
      date: a.date,
      url: a.url,
      body: paragraphs.join("\n"),
      script: a.script,
      tags: a.tags,
      related: this.relatedTo(doc),
      keywords: this.reader ? this.reader.keywords(doc) : this.aids.keywords[doc],
      copies: this.copiesOf(doc),
      ...documentFields(a),
      pages: this.pagesOf(doc, a) ?? null,
      original: a.original ? { name: a.original.name, type: a.original.type, bytes: a.original.bytes } : null,
    };
    if (q !== undefined && q.trim()) {
      const parsed = parseQuery(q);
      const terms = highlightTerms(parsed, "body");
      view.titleParts = highlight(a.title, highlightTerms(parsed, "title"));
      view.paragraphs = paragraphs.map((p): Parts => highlight(p, terms));
    }
    return view;
  }

  private relatedTo(doc: number): ArticleRef[] {
    return this.relatedDocs(doc).map((other) => this.ref(other));
  }

  private relatedDocs(doc: number): number[] {
    const out: number[] = [];
    for (let k = 0; k < RELATED; k++) {
      const other = this.aids.related[doc * RELATED + k];
      if (other >= 0) out.push(other);
    }
    return out;
  }

  /** Repost groups of two or more articles: each member with its estimated similarity to the group's leader (the corpus report). */
  repostGroups(): Array<Array<{ article: ArticleMeta; similarity: number }>> {
    if (this.reader) throw new Error("search: a lean index (SEARCH_BACKEND=postgres) does not hold what the repost report reads; load the generation whole");
    return Array.from(this.groupMembers.leaders, (leader) =>
      Array.from(this.groupMembers.members(leader)!, (doc) => ({ article: this.articles[doc], similarity: similarity(this.aids.signatures, doc, leader) })),
    );
  }

  /** The normalised text of an article (tests use it as ground truth). */
  normalizedText(id: string): string | null {
    const doc = this.docOf(id);
    return doc === undefined ? null : this.text(doc);
  }
}

/** The arrays scoring writes, over the whole library (see SearchIndex.scoreScratchFor). */
interface ScoreScratch {
  scores: Float64Array;
  /** Long terms' approximate frequencies by document, over very large result sets. */
  tf: Uint8Array;
  /** The documents the last search scored (only their entries are cleared). */
  last: Uint32Array;
  lastCount: number;
  /** The documents whose titles hold the query's fragment, in `docs` order. */
  titleHits: Uint32Array;
}

/** One scoring run's state shared by its term passes. */
interface TermPass {
  docs: Uint32Array;
  scratch: ScoreScratch;
  /** Over EXACT_COUNT_LIMIT documents, long terms are counted from their pairs' frequencies. */
  approximate: boolean;
  /** The whole query when it is one typed term, and how many titles hold it (−1 until its pass). */
  fragment: string | null;
  fragmentHits: number;
}

/** How holdingAll checks one clause: documents among `sure` hold it; others need an alternative whose candidates hold them and whose long terms all pass. */
interface ClausePlan {
  sure: Uint32Array;
  at: number;
  alts: Array<{ candidates: Uint32Array | null; at: number; checks: TermCheck[] }>;
}

/** A check of whether documents hold a long term; `sure` lists the documents known to without reading (null: every one is read). */
interface TermCheck {
  term: string;
  test: (doc: number) => boolean;
  sure: Uint32Array | null;
  /** For a lean index: fetches what `test` reads of these documents (a field or NEAR check; a term's check counts it). */
  need?: (docs: Uint32Array) => void;
}

/** Every term a query's search may look up: its alternatives' words, phrases and chunks, and (unless `withExcluded` is false) its excluded terms. */
function termsOf(q: ParsedQuery, withExcluded = true): Set<string> {
  const out = new Set<string>();
  for (const clause of q.clauses) for (const alt of clause) if (isTextField(alt.field)) for (const t of [...alt.words, ...alt.phrases, ...alt.chunks]) out.add(t);
  if (withExcluded) for (const t of q.excluded) out.add(t);
  if (withExcluded) for (const e of q.excludedIn) if (isTextField(e.field)) out.add(e.term);
  return out;
}

/** The document fields of an article's record, as hits and views report them. */
function documentFields(a: ArticleMeta): DocumentFields {
  return { format: a.format ?? null, ocr: a.ocr === true, docNumber: a.docNumber ?? null, docType: a.docType ?? null, issuer: a.issuer ?? null };
}
