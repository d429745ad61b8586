// Builds generations of the index in memory: complete, or incrementally from
// the previous generation. Both give the same answers (a test compares them):
//   - the n-gram layer of an incremental build is the previous one's postings
//     renumbered, gone articles dropped, merged with a small index of the new
//     and changed articles: byte for byte what a full build writes;
//   - the word layer gains one segment for the new and changed articles
//     (see word-index.ts); small segments are merged by size tiers;
//   - jieba runs only on texts whose content hash no segment has seen with
//     this dictionary: each segment keeps its articles' words as a cache.
// Reading and writing generations is store.ts's job; searching is engine.ts's.
import type { Article } from "@/lib/content/article";
import { NgramIndex, type NgramMerge } from "@/lib/search/formats/ngram-index";
import { READER_AIDS_VERSION, bodySignatures, computeAids, signaturesAndGroups, documentFrequencies, type KeyTerms, type ReaderAids } from "@/lib/search/reader-aids/reader-aids";
import type { CatalogEntry, StoredArticle } from "@/lib/search/engine/types";
import { WORD_INDEX_OPTIONS, WordIndex } from "@/lib/search/formats/word-index";
import { NORMALIZATION_VERSION, normalize, spellingVersion } from "@/lib/text/normalize";
import { dictionaryFingerprint, indexWords } from "@/lib/text/segment";

export const INDEX_FORMAT = 4;

/**
 * Segments normalised texts into search-mode words, and (when it runs on
 * other threads) picks each text's key terms while it has the words; the
 * build may run it on several threads.
 */
export type Segmenter = (texts: string[], onChunk?: ChunkListener) => Promise<Segmented>;

/**
 * Told of each finished run of texts, in order, while the rest are still
 * being segmented (texts[from], texts[from + 1], …): the build adds their
 * words to the word layer then, instead of after all of them. A segmenter
 * may never call it; the result holds every text either way.
 */
export type ChunkListener = (from: number, part: Segmented) => void;

export interface Segmented {
  words: string[][];
  /** Key terms per text, or null when the caller is to compute them. */
  terms: KeyTerms[] | null;
  /** documentFrequencies(words), when the segmenter counted them on its threads (same counts, same order). */
  df?: Map<string, number>;
  /** Each text's words joined by a space, when the segmenter sent them so. */
  joined?: string[];
}

export const segmentInProcess: Segmenter = async (texts) => ({ words: texts.map(indexWords), terms: null });

/** A word segment as a generation lists it. */
export interface SegmentInfo {
  name: string;
  /** Articles it was built from (some may be gone since). */
  docs: number;
}

export interface BuildSummary {
  kind: "full" | "incremental";
  added: number;
  changed: number;
  deleted: number;
  /** Articles carried over untouched. */
  kept: number;
  /** Texts jieba segmented in this build (the rest came from the segmentation cache). */
  segmented: number;
  /** Word segments merged into one in this build. */
  merged: number;
}

export interface IndexManifest {
  format: number;
  normalizationVersion: number;
  /** The regional spelling dictionaries the texts were normalised with. */
  spellings: string;
  /** The format of the reader aids (reader-aids.ts). */
  readerAids: number;
  dictionary: string;
  wordIndexOptions: typeof WORD_INDEX_OPTIONS;
  articles: number;
  chars: number;
  ngrams: number;
  /** The next unused serial number (see word-index.ts). */
  nextSerial: number;
  segments: SegmentInfo[];
  build: BuildSummary;
  builtAt: string;
  /** Byte size of every file of the generation, checked before loading (set when saved). */
  files?: Record<string, number>;
}

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
export interface SegmentSource {
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
  segments: SegmentSource;
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

/**
 * The previous generation has a damaged article that an incremental build
 * cannot write again from its source (it changed or went, so its old text
 * would be read to take its n-grams out): the run builds in full instead.
 */
export class DamagedBaseError extends Error {}

export function storedOf(a: Article): StoredArticle {
  return {
    id: a.id,
    title: a.title,
    authors: a.authors,
    source: a.source,
    date: a.date,
    url: a.url,
    tags: a.tags,
    paragraphs: a.paragraphs,
    script: a.script,
    contentHash: a.contentHash,
  };
}

/** An article's catalog entry: the fields a server keeps in memory, and its body's length for ranking. */
export function catalogEntryOf(a: StoredArticle): CatalogEntry {
  // The id and content hash are listed beside the entries; the body stays in the article file.
  const { id: _id, contentHash: _hash, paragraphs, ...fields } = a;
  return { ...fields, bodyChars: bodyChars(paragraphs) };
}

/** A body's length as ranking counts it: its characters, and one for each paragraph's break. */
export function bodyChars(paragraphs: readonly string[]): number {
  let n = 0;
  for (const p of paragraphs) n += p.length + 1;
  return n;
}

/** Normalised searchable text: the title, then each paragraph, on their own lines (no match crosses a line). */
export function searchableText(article: Pick<StoredArticle, "title" | "paragraphs">): string {
  return [article.title, ...article.paragraphs].map(normalize).join("\n");
}

function stepTimer(): { timings: Record<string, number>; step: (name: string) => void } {
  const timings: Record<string, number> = {};
  let mark = performance.now();
  return {
    timings,
    step(name) {
      const now = performance.now();
      timings[name] = Math.round(now - mark) / 1000;
      mark = now;
    },
  };
}

let segmentCounter = 0;
export function newSegmentName(): string {
  return `${Date.now().toString(36)}-${process.pid.toString(36)}-${(segmentCounter++).toString(36)}`;
}

/** A new word segment; `joined` (each list joined by a space) when the segmenter already made it; `index` when already built. */
function makeSegment(serials: Uint32Array, hashes: string[], wordLists: string[][], joined?: string[], index?: WordIndex): NewSegment {
  if (!index) {
    index = new WordIndex();
    for (let k = 0; k < serials.length; k++) index.add(serials[k], wordLists[k]);
  }
  return { name: newSegmentName(), index, serials, hashes, words: joined ?? wordLists.map((w) => w.join(" ")) };
}

function manifestOf(
  articles: number,
  ngrams: number,
  chars: number,
  nextSerial: number,
  segments: SegmentInfo[],
  build: BuildSummary,
): IndexManifest {
  return {
    format: INDEX_FORMAT,
    normalizationVersion: NORMALIZATION_VERSION,
    spellings: spellingVersion(),
    readerAids: READER_AIDS_VERSION,
    dictionary: dictionaryFingerprint(),
    wordIndexOptions: WORD_INDEX_OPTIONS,
    articles,
    chars,
    ngrams,
    nextSerial,
    segments,
    build,
    builtAt: new Date().toISOString(),
  };
}

/** A complete build: every article normalised, segmented and indexed; serials are document numbers. */
export async function buildFull(input: Article[], segment: Segmenter = segmentInProcess): Promise<Generation> {
  const { timings, step } = stepTimer();
  const articles = input.map(storedOf);
  const norm = articles.map(searchableText);
  step("normalize");
  // Segmentation (slow, may run on other threads) overlaps the n-gram build, and the word layer takes each run of
  // texts as it is done (document k's serial is k), while the threads segment the next.
  const wordIndex = new WordIndex();
  let added = 0;
  const addWords = (from: number, lists: readonly string[][]) => {
    if (from !== added) throw new Error(`index: segmented texts arrived out of order (${from}, expected ${added})`);
    for (let k = 0; k < lists.length; k++) wordIndex.add(from + k, lists[k]);
    added += lists.length;
  };
  const segmented = segment(norm, (from, part) => addWords(from, part.words));
  const ngrams = NgramIndex.build(norm);
  step("ngrams");
  // The bodies' signatures while the other threads segment.
  const signatures = bodySignatures(norm);
  const { words: wordLists, terms, df: counted, joined } = await segmented;
  step("segment (rest)");
  if (added < wordLists.length) addWords(added, wordLists.slice(added));
  const serials = Uint32Array.from(articles.keys());
  const seg = makeSegment(serials, articles.map((a) => a.contentHash), wordLists, joined, wordIndex);
  step("words");
  const chars = norm.reduce((n, t) => n + t.length, 0);
  const build: BuildSummary = { kind: "full", added: articles.length, changed: 0, deleted: 0, kept: 0, segmented: articles.length, merged: 0 };
  const segments = [{ name: seg.name, docs: articles.length }];
  const manifest = manifestOf(articles.length, ngrams.size.keys, chars, articles.length, segments, build);
  const articleJson = articles.map((a) => JSON.stringify(a));
  const words = Promise.resolve({ segments, newSegments: [seg], segmented: articles.length, merged: 0, addedWords: wordLists, addedTerms: terms ?? [], removedWords: [] });
  const df = counted ?? documentFrequencies(wordLists);
  const aids = computeAids({ text: (doc) => norm[doc], words: (doc) => wordLists[doc], terms: (doc) => terms?.[doc] ?? null, signatures, articles: articles.length, df });
  step("reader aids");
  return {
    manifest,
    ids: articles.map((a) => a.id),
    hashes: articles.map((a) => a.contentHash),
    articleJson,
    meta: articles.map(catalogEntryOf),
    articles,
    ngrams,
    serials,
    words,
    aids: Promise.resolve({ aids, df }),
    norm,
    timings,
  };
}

/** A word segment in an incremental build's merge policy. */
type Tier = { name: string; serials: Uint32Array; hashes: string[]; fresh?: NewSegment };

/** Up to this many removed articles are segmented again for their words rather than read from the segment caches. */
const RESEGMENT_REMOVED_UP_TO = 200;

/** Merge when a segment is at least half its older neighbour's size, or the older one is mostly gone. */
const MAX_SEGMENTS = 12;

/**
 * An incremental build on top of `prev`: `input` is the whole new content in
 * full-build order. Articles with the same id and content hash as before are
 * carried over; the rest are normalised, segmented (or taken from the
 * segmentation cache) and merged in.
 */
export async function buildIncremental(input: Article[], prev: PreviousGeneration, segment: Segmenter = segmentInProcess): Promise<Generation> {
  const { timings, step } = stepTimer();
  const n = input.length;
  const ids = input.map((a) => a.id);
  const hashes = input.map((a) => a.contentHash);
  const oldByKey = new Map<string, number>();
  prev.ids.forEach((id, doc) => oldByKey.set(id, doc));

  // Survivors keep their relative order (the merge needs it); one that moved
  // against the others is treated as removed and added again. Their stored
  // JSON is copied from the previous generation, never parsed.
  const remap = new Int32Array(prev.ids.length).fill(-1);
  const serials = new Uint32Array(n);
  const articleJson: ArticleJson[] = new Array(n);
  const meta: CatalogEntry[] = new Array(n);
  const addedDocs: number[] = [];
  let lastOld = -1;
  let changed = 0;
  const repaired: string[] = [];
  for (let doc = 0; doc < n; doc++) {
    const old = oldByKey.get(ids[doc]);
    if (old !== undefined && prev.hashes[old] === hashes[doc] && old > lastOld) {
      remap[old] = doc;
      serials[doc] = prev.serials[old];
      if (prev.damaged?.has(old)) {
        // Its n-grams, words and aids were made from the text before the damage: only the stored copy is written again.
        const stored = storedOf(input[doc]);
        articleJson[doc] = JSON.stringify(stored);
        meta[doc] = catalogEntryOf(stored);
        repaired.push(ids[doc]);
      } else {
        articleJson[doc] = prev.json(old);
        meta[doc] = prev.meta(old);
      }
      lastOld = old;
    } else {
      if (old !== undefined && prev.hashes[old] !== hashes[doc]) changed++;
      addedDocs.push(doc);
    }
  }
  for (const old of prev.damaged ?? [])
    if (remap[old] === -1) throw new DamagedBaseError(`article ${old} (${prev.ids[old]}) of the previous generation is damaged and was changed or removed since`);
  const newIds = new Set(ids);
  let deleted = 0;
  const removedTexts: string[] = [];
  for (let old = 0; old < prev.ids.length; old++) {
    if (remap[old] !== -1) continue;
    if (!newIds.has(prev.ids[old])) deleted++;
    removedTexts.push(searchableText(prev.article(old)));
  }
  step("compare");

  const added = Uint32Array.from(addedDocs);
  const texts = addedDocs.map((doc) => {
    const stored = storedOf(input[doc]);
    articleJson[doc] = JSON.stringify(stored);
    meta[doc] = catalogEntryOf(stored);
    return searchableText(stored);
  });
  step("normalize");

  // The merge itself runs as the store writes the new file (one streaming pass).
  const ngrams: NgramLayer = { from: prev.files.ngrams, merge: { remap, added: NgramIndex.build(texts), addedDocs: added, removed: NgramIndex.build(removedTexts) } };
  step("ngrams");

  let nextSerial = prev.manifest.nextSerial;
  for (const doc of addedDocs) serials[doc] = nextSerial++;
  const docOfSerial = new Int32Array(nextSerial).fill(-1);
  serials.forEach((serial, doc) => (docOfSerial[serial] = doc));

  const length = (list: string[]) => list.reduce((k, t) => k + t.length, 0);
  const chars = prev.manifest.chars - length(removedTexts) + length(texts);
  const build: BuildSummary = {
    kind: "incremental",
    added: addedDocs.length - changed,
    changed,
    deleted,
    kept: n - addedDocs.length,
    segmented: 0,
    merged: 0,
  };
  // The n-gram count is known once the store has merged the file, the segments once the words are in.
  const manifest = manifestOf(n, 0, chars, nextSerial, [], build);
  // jieba (on another thread, loading its dictionary since the run began) works while the store writes the rest.
  const words = incrementalWords().finally(() => step("words (segment, merge)"));
  // Unhandled until the store awaits it; a failure surfaces there.
  words.catch(() => undefined);
  const aids = incrementalAids().finally(() => step("reader aids"));
  aids.catch(() => undefined);
  return { manifest, ids, hashes, articleJson, meta, articlesFrom: prev.files.articles, ngrams, serials, words, aids, timings, repaired };

  async function incrementalAids(): Promise<AidsPart> {
    const previous = await prev.aids();
    const addedAt = new Int32Array(n).fill(-1);
    addedDocs.forEach((doc, k) => (addedAt[doc] = k));
    const oldOf = new Int32Array(n).fill(-1);
    remap.forEach((doc, old) => doc >= 0 && (oldOf[doc] = old));
    const carried = { aids: previous.aids, docOf: (doc: number) => oldOf[doc] };
    const text = (doc: number) => (addedAt[doc] >= 0 ? texts[addedAt[doc]] : null);
    // Signatures and repost groups need no words: done while jieba segments the new texts.
    const { signatures, groupOf } = signaturesAndGroups(n, text, carried);
    const w = await words;
    const df = new Map(previous.df);
    documentFrequencies(w.removedWords, df, -1);
    documentFrequencies(w.addedWords, df);
    const aids = computeAids({
      text,
      words: (doc) => (addedAt[doc] >= 0 ? w.addedWords[addedAt[doc]] : null),
      terms: (doc) => (addedAt[doc] >= 0 ? w.addedTerms[addedAt[doc]] : null),
      signatures,
      groupOf,
      articles: n,
      df,
      previous: carried,
      changedWords: new Set([...w.removedWords.flat(), ...w.addedWords.flat()]),
    });
    return { aids, df };
  }

  async function incrementalWords(): Promise<WordPart> {
    // From the segmentation cache where this content was seen, jieba for the rest.
    const segmentDocs = new Map<string, { serials: Uint32Array; hashes: string[] }>();
    for (const s of prev.manifest.segments) segmentDocs.set(s.name, await prev.segments.docs(s.name));
    const cachedAt = new Map<string, [string, number]>();
    for (const [name, d] of segmentDocs) d.hashes.forEach((h, k) => cachedAt.set(h, [name, k]));
    const wordsOf = new Map<string, string[]>();
    const cachedWords = async (name: string) => {
      if (!wordsOf.has(name)) wordsOf.set(name, await prev.segments.words(name));
      return wordsOf.get(name)!;
    };
    const wordLists: string[][] = new Array(addedDocs.length);
    const termLists: Array<KeyTerms | null> = new Array(addedDocs.length).fill(null);
    const toSegment: number[] = [];
    for (let k = 0; k < addedDocs.length; k++) {
      const hit = cachedAt.get(hashes[addedDocs[k]]);
      if (hit) {
        const joined = (await cachedWords(hit[0]))[hit[1]];
        wordLists[k] = joined ? joined.split(" ") : [];
      } else toSegment.push(k);
    }
    // The removed articles' words take their counts out of the vocabulary. A few are segmented again (jieba is
    // deterministic for one dictionary: milliseconds, where reading a large segment's cache takes most of a second);
    // many are read from the cache.
    const resegment = removedTexts.length <= RESEGMENT_REMOVED_UP_TO ? removedTexts : [];
    const removedWords: string[][] = [];
    if (toSegment.length || resegment.length) {
      const done = await segment([...toSegment.map((k) => texts[k]), ...resegment]);
      toSegment.forEach((k, i) => {
        wordLists[k] = done.words[i];
        if (done.terms) termLists[k] = done.terms[i];
      });
      removedWords.push(...done.words.slice(toSegment.length));
    }
    if (resegment.length === 0 && removedTexts.length > 0) {
      for (let old = 0; old < prev.ids.length; old++) {
        if (remap[old] !== -1) continue;
        const hit = cachedAt.get(prev.hashes[old]);
        if (!hit) throw new Error(`index: the words of removed article ${prev.ids[old]} are in no segment`);
        const joined = (await cachedWords(hit[0]))[hit[1]];
        removedWords.push(joined ? joined.split(" ") : []);
      }
    }

    // The segment list, oldest first, with what is still alive in each.
    const tiers: Tier[] = prev.manifest.segments.map((s) => ({ name: s.name, ...segmentDocs.get(s.name)! }));
    if (addedDocs.length) {
      const seg = makeSegment(
        Uint32Array.from(addedDocs, (doc) => serials[doc]),
        addedDocs.map((doc) => hashes[doc]),
        wordLists,
      );
      tiers.push({ name: seg.name, serials: seg.serials, hashes: seg.hashes, fresh: seg });
    }
    const alive = (t: Tier) => t.serials.reduce((k, serial) => k + (docOfSerial[serial] >= 0 ? 1 : 0), 0);
    let merged = 0;
    for (;;) {
      const count = tiers.length;
      if (count < 2) break;
      const [older, newer] = [tiers[count - 2], tiers[count - 1]];
      const liveOlder = alive(older);
      if (!(alive(newer) * 2 >= liveOlder || liveOlder * 2 < older.serials.length || count > MAX_SEGMENTS)) break;
      tiers.splice(count - 2, 2, await mergeTiers([older, newer], docOfSerial, async (t) => (t.fresh ? t.fresh.words : cachedWords(t.name))));
      merged++;
    }
    // A segment with nothing alive is dropped.
    const kept = tiers.filter((t) => alive(t) > 0);
    return {
      segments: kept.map((t) => ({ name: t.name, docs: t.serials.length })),
      newSegments: kept.flatMap((t) => (t.fresh ? [t.fresh] : [])),
      segmented: toSegment.length,
      merged,
      addedWords: wordLists,
      addedTerms: termLists,
      removedWords,
    };
  }
}

/** One segment of the live articles of two, serials kept, words from their caches (no jieba). */
async function mergeTiers(pair: Tier[], liveness: Int32Array, words: (t: Tier) => Promise<string[]>): Promise<Tier> {
  const serialList: number[] = [];
  const mergedHashes: string[] = [];
  const lists: string[][] = [];
  for (const t of pair) {
    const w = await words(t);
    t.serials.forEach((serial, k) => {
      if (liveness[serial] < 0) return;
      serialList.push(serial);
      mergedHashes.push(t.hashes[k]);
      lists.push(w[k] ? w[k].split(" ") : []);
    });
  }
  const seg = makeSegment(Uint32Array.from(serialList), mergedHashes, lists);
  return { name: seg.name, serials: seg.serials, hashes: mergedHashes, fresh: seg };
}
