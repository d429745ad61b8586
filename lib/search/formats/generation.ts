// A generation in memory, as a build hands it to a store to write, and the
// previous one as a store hands it to an incremental build: the contract
// between the write path (build/) and storage (storage/). Neither side
// imports the other; both import this.
import type { CatalogEntry, StoredArticle } from "@/lib/search/formats/article-record";
import type { IndexManifest, SegmentInfo } from "@/lib/search/formats/manifest";
import type { NgramIndex, NgramMerge } from "@/lib/search/formats/ngram-index";
import type { WordIndex } from "@/lib/search/formats/word-index";
import type { KeyTerms, ReaderAids } from "@/lib/search/reader-aids/reader-aids";

/** A segment made by this build, to be written by the store. */
export interface NewSegment {
  name: string;
  index: WordIndex;
  serials: Uint32Array;
  hashes: string[];
  /** Each article's words joined by spaces: the segmentation cache. */
  words: string[];
}

/** Read access to the previous generation's segments (the store implements it over its files). */
export interface SegmentReader {
  docs(name: string): Promise<{ serials: Uint32Array; hashes: string[] }>;
  words(name: string): Promise<string[]>;
}

/** An article's stored JSON: new text, or a range of the previous generation's article file (UTF-16 units), copied as bytes. */
export type ArticleJson = string | { start: number; end: number };

/** A generation's n-gram layer: built in memory, or to be merged from the previous generation's file as it is written. */
export type NgramLayer = NgramIndex | { from: string; merge: NgramMerge };

export interface PreviousGeneration {
  manifest: IndexManifest;
  /** Article ids and content hashes in document order: all an incremental build reads of the articles it keeps. */
  ids: string[];
  hashes: string[];
  json(doc: number): ArticleJson;
  /** A kept article's catalog entry (its fields but the body): the next catalog lists it as it is. */
  meta(doc: number): CatalogEntry;
  /** One article, read and parsed on demand (the removed ones, to take their n-grams out). */
  article(doc: number): StoredArticle;
  /** Articles whose stored bytes do not match their checksum: never copied on, and never read for their text. */
  damaged?: ReadonlySet<number>;
  files: { articles: string; ngrams: string };
  serials: Uint32Array;
  segments: SegmentReader;
  /** The previous reader aids and word frequencies (carried for kept articles). */
  aids(): Promise<AidsPart>;
}

/** A generation's reader aids, with the document frequency of every word (what the next incremental build updates). */
export interface AidsPart {
  aids: ReaderAids;
  df: Map<string, number>;
}

/** A generation's word layer: ready for a full build; for an incremental one it may still be segmenting while the rest is written. */
export interface WordPart {
  segments: SegmentInfo[];
  newSegments: NewSegment[];
  /** Texts jieba segmented, and word segment merges done. */
  segmented: number;
  merged: number;
  /** The words of the articles added, and of those removed (their old versions), for the reader aids. */
  addedWords: string[][];
  /** Key terms of the articles added, where the segmenter picked them. */
  addedTerms: Array<KeyTerms | null>;
  removedWords: string[][];
}

export interface Generation {
  /** Without `segments` (and `build.segmented`/`merged`) until `words` resolves; the store completes it. */
  manifest: IndexManifest;
  /** Article ids and content hashes, in document order. */
  ids: string[];
  hashes: string[];
  /** Each article's stored JSON, in document order; ranges are of `articlesFrom`. */
  articleJson: ArticleJson[];
  /** Each article's catalog entry (what a server keeps in memory), in document order. */
  meta: CatalogEntry[];
  articlesFrom?: string;
  /** The articles as objects, when the build made them all (a full build). */
  articles?: StoredArticle[];
  ngrams: NgramLayer;
  /** Each document's serial number. */
  serials: Uint32Array;
  words: Promise<WordPart>;
  /** Key terms, related articles, repost groups, vocabulary: once the words are in. */
  aids: Promise<AidsPart>;
  /** Normalised texts, when the build made all of them (a full build). */
  norm?: string[];
  /** Seconds spent in each step. */
  timings: Record<string, number>;
  /** Ids of kept articles whose stored copy was damaged, written again from their source. */
  repaired?: string[];
}

// A full build in ranges (build/ranged.ts), handed to a store range by range.

/** One range of a ranged build, in document order: documents first … first + ids.length - 1. */
export interface GenerationRange {
  /** Its place among the ranges (0, 1, …): the order a store joins n-gram pieces in. */
  index: number;
  first: number;
  ids: string[];
  hashes: string[];
  articles: StoredArticle[];
  /** Each article's stored JSON. */
  articleJson: string[];
  norm: string[];
  /** The range's n-gram rows, its documents numbered from 0 (document `first` is 0). */
  ngrams: NgramIndex;
  /** Its word segment (serials are document numbers). */
  segment: NewSegment;
  /** Each article's key terms (the reader aids' keywords). */
  keywords: string[][];
}

/** What a ranged build knows once every range is out. */
export interface RangedSummary {
  /** Complete but for the n-gram key count, which the store counts as it joins the pieces (`ngrams: 0` here). */
  manifest: IndexManifest;
  serials: Uint32Array;
  aids: AidsPart;
  /** The original files the articles were read from (their sha256 keys, sorted). */
  originals: string[];
  timings: Record<string, number>;
}

export interface RangedGeneration {
  ranges: AsyncIterable<GenerationRange>;
  /** Once `ranges` is exhausted. */
  summary(): RangedSummary;
}
