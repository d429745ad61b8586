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
import { NgramIndex } from "@/lib/search/ngram-index";
import type { StoredArticle } from "@/lib/search/types";
import { WORD_INDEX_OPTIONS, WordIndex, WordLayer } from "@/lib/search/word-index";
import { NORMALIZATION_VERSION, normalize } from "@/lib/text/normalize";
import { dictionaryFingerprint, indexWords } from "@/lib/text/segment";

export const INDEX_FORMAT = 3;

/** Segments normalised texts into search-mode words; the build may run it on several threads. */
export type Segmenter = (texts: string[]) => Promise<string[][]>;

export const segmentInProcess: Segmenter = async (texts) => texts.map(indexWords);

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

export interface PreviousGeneration {
  manifest: IndexManifest;
  articles: StoredArticle[];
  ngrams: NgramIndex;
  serials: Uint32Array;
  segments: SegmentSource;
}

export interface Generation {
  manifest: IndexManifest;
  articles: StoredArticle[];
  ngrams: NgramIndex;
  /** Each document's serial number. */
  serials: Uint32Array;
  newSegments: NewSegment[];
  /** Normalised texts, when the build made all of them (a full build). */
  norm?: string[];
  /** Seconds spent in each step. */
  timings: Record<string, number>;
}

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

function makeSegment(serials: Uint32Array, hashes: string[], wordLists: string[][]): NewSegment {
  const index = new WordIndex();
  serials.forEach((serial, k) => index.add(serial, wordLists[k]));
  return { name: newSegmentName(), index, serials, hashes, words: wordLists.map((w) => w.join(" ")) };
}

function manifestOf(
  articles: StoredArticle[],
  ngrams: NgramIndex,
  chars: number,
  nextSerial: number,
  segments: SegmentInfo[],
  build: BuildSummary,
): IndexManifest {
  return {
    format: INDEX_FORMAT,
    normalizationVersion: NORMALIZATION_VERSION,
    dictionary: dictionaryFingerprint(),
    wordIndexOptions: WORD_INDEX_OPTIONS,
    articles: articles.length,
    chars,
    ngrams: ngrams.size.keys,
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
  // Segmentation (slow, may run on other threads) overlaps the n-gram build.
  const segmented = segment(norm);
  const ngrams = NgramIndex.build(norm);
  step("ngrams");
  const wordLists = await segmented;
  step("segment (rest)");
  const serials = Uint32Array.from(articles.keys());
  const seg = makeSegment(serials, articles.map((a) => a.contentHash), wordLists);
  step("words");
  const chars = norm.reduce((n, t) => n + t.length, 0);
  const build: BuildSummary = { kind: "full", added: articles.length, changed: 0, deleted: 0, kept: 0, segmented: articles.length, merged: 0 };
  const manifest = manifestOf(articles, ngrams, chars, articles.length, [{ name: seg.name, docs: articles.length }], build);
  return { manifest, articles, ngrams, serials, newSegments: [seg], norm, timings };
}

/** The word layer of a generation built in this process with a single segment. */
export function wordLayerOf(gen: Generation): WordLayer {
  if (gen.newSegments.length !== 1 || gen.manifest.segments.length !== 1) throw new Error("search: only a full build's word layer is in memory");
  return new WordLayer([gen.newSegments[0].index], null);
}

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
  const articles = input.map(storedOf);
  const oldByKey = new Map<string, number>();
  prev.articles.forEach((a, doc) => oldByKey.set(a.id, doc));

  // Survivors keep their relative order (the merge needs it); one that moved
  // against the others is treated as removed and added again.
  const remap = new Int32Array(prev.articles.length).fill(-1);
  const serials = new Uint32Array(articles.length);
  const addedDocs: number[] = [];
  let lastOld = -1;
  let changed = 0;
  for (let doc = 0; doc < articles.length; doc++) {
    const a = articles[doc];
    const old = oldByKey.get(a.id);
    if (old !== undefined && prev.articles[old].contentHash === a.contentHash && old > lastOld) {
      remap[old] = doc;
      serials[doc] = prev.serials[old];
      lastOld = old;
    } else {
      if (old !== undefined && prev.articles[old].contentHash !== a.contentHash) changed++;
      addedDocs.push(doc);
    }
  }
  const newIds = new Set(articles.map((a) => a.id));
  let deleted = 0;
  let removedChars = 0;
  for (let old = 0; old < prev.articles.length; old++) {
    if (remap[old] !== -1) continue;
    if (!newIds.has(prev.articles[old].id)) deleted++;
    removedChars += searchableText(prev.articles[old]).length;
  }
  step("compare");

  const added = Uint32Array.from(addedDocs);
  const texts = addedDocs.map((doc) => searchableText(articles[doc]));
  step("normalize");

  // Words: from the segmentation cache where this content was seen, jieba for the rest.
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
  const toSegment: number[] = [];
  for (let k = 0; k < addedDocs.length; k++) {
    const hit = cachedAt.get(articles[addedDocs[k]].contentHash);
    if (hit) {
      const joined = (await cachedWords(hit[0]))[hit[1]];
      wordLists[k] = joined ? joined.split(" ") : [];
    } else toSegment.push(k);
  }
  const segmented = toSegment.length ? segment(toSegment.map((k) => texts[k])) : Promise.resolve([]);
  const delta = NgramIndex.build(texts);
  const ngrams = NgramIndex.merge(prev.ngrams, remap, delta, added);
  step("ngrams");
  (await segmented).forEach((words, i) => (wordLists[toSegment[i]] = words));
  step("segment");

  let nextSerial = prev.manifest.nextSerial;
  for (const doc of addedDocs) serials[doc] = nextSerial++;
  const docOfSerial = new Int32Array(nextSerial).fill(-1);
  serials.forEach((serial, doc) => (docOfSerial[serial] = doc));

  // The segment list, oldest first, with what is still alive in each.
  type Tier = { name: string; serials: Uint32Array; hashes: string[]; fresh?: NewSegment };
  const tiers: Tier[] = prev.manifest.segments.map((s) => ({ name: s.name, ...segmentDocs.get(s.name)! }));
  if (addedDocs.length) {
    const seg = makeSegment(
      Uint32Array.from(addedDocs, (doc) => serials[doc]),
      addedDocs.map((doc) => articles[doc].contentHash),
      wordLists,
    );
    tiers.push({ name: seg.name, serials: seg.serials, hashes: seg.hashes, fresh: seg });
  }
  const alive = (t: Tier) => t.serials.reduce((n, s) => n + (docOfSerial[s] >= 0 ? 1 : 0), 0);
  let merged = 0;
  for (;;) {
    const n = tiers.length;
    if (n < 2) break;
    const [older, newer] = [tiers[n - 2], tiers[n - 1]];
    const liveOlder = alive(older);
    if (!(alive(newer) * 2 >= liveOlder || liveOlder * 2 < older.serials.length || n > MAX_SEGMENTS)) break;
    tiers.splice(n - 2, 2, await mergeTiers([older, newer], docOfSerial, async (t) => (t.fresh ? t.fresh.words : cachedWords(t.name))));
    merged++;
  }
  // A segment with nothing alive is dropped.
  const kept = tiers.filter((t) => alive(t) > 0);
  step("words");

  const chars = prev.manifest.chars - removedChars + texts.reduce((n, t) => n + t.length, 0);
  const build: BuildSummary = {
    kind: "incremental",
    added: addedDocs.length - changed,
    changed,
    deleted,
    kept: articles.length - addedDocs.length,
    segmented: toSegment.length,
    merged,
  };
  const manifest = manifestOf(articles, ngrams, chars, nextSerial, kept.map((t) => ({ name: t.name, docs: t.serials.length })), build);
  return { manifest, articles, ngrams, serials, newSegments: kept.flatMap((t) => (t.fresh ? [t.fresh] : [])), timings };

  async function mergeTiers(pair: Tier[], liveness: Int32Array, words: (t: Tier) => Promise<string[]>): Promise<Tier> {
    const serialList: number[] = [];
    const hashes: string[] = [];
    const lists: string[][] = [];
    for (const t of pair) {
      const w = await words(t);
      t.serials.forEach((serial, k) => {
        if (liveness[serial] < 0) return;
        serialList.push(serial);
        hashes.push(t.hashes[k]);
        lists.push(w[k] ? w[k].split(" ") : []);
      });
    }
    const seg = makeSegment(Uint32Array.from(serialList), hashes, lists);
    return { name: seg.name, serials: seg.serials, hashes, fresh: seg };
  }
}
