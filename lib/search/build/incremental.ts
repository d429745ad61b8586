// An incremental build on top of the previous generation, answering exactly
// as a full build of the same content does (a test compares them):
//   - the n-gram layer is the previous one's postings renumbered, gone
//     articles dropped, merged with a small index of the new and changed
//     articles as the store writes it: byte for byte what a full build writes;
//   - the word layer gains one segment for the new and changed articles
//     (formats/word-index.ts); small segments are merged by size tiers;
//   - jieba runs only on texts whose content hash no segment has seen with
//     this dictionary: each segment keeps its articles' words as a cache.
import type { Article } from "@/lib/content/article";
import { catalogEntryOf, searchableText, storedOf, type CatalogEntry } from "@/lib/search/formats/article-record";
import type { AidsPart, ArticleJson, Generation, NewSegment, NgramLayer, PreviousGeneration, WordPart } from "@/lib/search/formats/generation";
import type { BuildSummary } from "@/lib/search/formats/manifest";
import { oldDocs } from "@/lib/search/formats/live-changes";
import { NgramIndex } from "@/lib/search/formats/ngram-index";
import { makeSegment, manifestOf, stepTimer } from "@/lib/search/build/parts";
import { segmentInProcess, type Segmenter } from "@/lib/search/build/segmenter";
import { computeAids, documentFrequencies, signaturesAndGroups, type KeyTerms } from "@/lib/search/reader-aids/reader-aids";

/**
 * The previous generation has a damaged article that an incremental build
 * cannot write again from its source (it changed or went, so its old text
 * would be read to take its n-grams out): the run builds in full instead.
 */
export class DamagedBaseError extends Error {}

/** A word segment in an incremental build's merge policy. */
type Tier = { name: string; serials: Uint32Array; hashes: string[]; fresh?: NewSegment };

/** Up to this many removed articles are segmented again for their words rather than read from the segment caches. */
const RESEGMENT_REMOVED_UP_TO = 200;

/** Merge when a segment is at least half its older neighbour's size, or the older one is mostly gone. */
const MAX_SEGMENTS = 12;

/** What carrying the previous generation over found: which articles stay (and where), which are new or changed, which went. */
export interface Comparison {
  ids: string[];
  hashes: string[];
  /** Each old document's new place, −1 where it is gone (or changed, or moved against the others). */
  remap: Int32Array;
  serials: Uint32Array;
  articleJson: ArticleJson[];
  meta: CatalogEntry[];
  /** New and changed documents, ascending. */
  addedDocs: number[];
  changed: number;
  deleted: number;
  /** The old texts of the articles that changed or went (their n-grams are taken out); empty when not asked for. */
  removedTexts: string[];
  /** Kept articles whose stored copy was damaged, written again from their source. */
  repaired: string[];
}

/**
 * An incremental build on top of `prev`: `input` is the whole new content in
 * full-build order. Articles with the same id and content hash as before are
 * carried over; the rest are normalised, segmented (or taken from the
 * segmentation cache) and merged in.
 */
export async function buildIncremental(input: Article[], prev: PreviousGeneration, segment: Segmenter = segmentInProcess): Promise<Generation> {
  const { timings, step } = stepTimer();
  const n = input.length;
  const c = compareWithPrevious(input, prev);
  step("compare");

  const texts = c.addedDocs.map((doc) => {
    const stored = storedOf(input[doc]);
    c.articleJson[doc] = JSON.stringify(stored);
    c.meta[doc] = catalogEntryOf(stored);
    return searchableText(stored);
  });
  step("normalize");

  // The merge itself runs as the store writes the new file (one streaming pass).
  const ngrams: NgramLayer = { from: prev.files.ngrams, merge: { remap: c.remap, added: NgramIndex.build(texts), addedDocs: Uint32Array.from(c.addedDocs), removed: NgramIndex.build(c.removedTexts) } };
  step("ngrams");

  let nextSerial = prev.manifest.nextSerial;
  for (const doc of c.addedDocs) c.serials[doc] = nextSerial++;
  const docOfSerial = new Int32Array(nextSerial).fill(-1);
  c.serials.forEach((serial, doc) => (docOfSerial[serial] = doc));

  const length = (list: string[]) => list.reduce((k, t) => k + t.length, 0);
  const chars = prev.manifest.chars - length(c.removedTexts) + length(texts);
  const build: BuildSummary = {
    kind: "incremental",
    added: c.addedDocs.length - c.changed,
    changed: c.changed,
    deleted: c.deleted,
    kept: n - c.addedDocs.length,
    segmented: 0,
    merged: 0,
  };
  // The n-gram count is known once the store has merged the file, the segments once the words are in.
  const manifest = manifestOf(n, 0, chars, nextSerial, [], build);
  // jieba (on another thread, loading its dictionary since the run began) works while the store writes the rest.
  const words = incrementalWords(prev, c, texts, docOfSerial, segment).finally(() => step("words (segment, merge)"));
  // Unhandled until the store awaits it; a failure surfaces there.
  words.catch(() => undefined);
  const aids = incrementalAids(prev, c, texts, n, words).finally(() => step("reader aids"));
  aids.catch(() => undefined);
  const { ids, hashes, articleJson, meta, serials, repaired } = c;
  return { manifest, ids, hashes, articleJson, meta, articlesFrom: prev.files.articles, ngrams, serials, words, aids, timings, repaired };
}

export interface CompareOptions {
  /** Read the gone articles' texts (an incremental build takes their n-grams out); default true. */
  readRemoved?: boolean;
  /** Carry the kept articles' stored copies and catalog entries over (a build writes them); default true. */
  carry?: boolean;
  /** oldDocsById(prev), when the caller keeps it. */
  oldByKey?: Map<string, number>;
}

/** The previous generation's documents by id. */
export function oldDocsById(prev: PreviousGeneration): Map<string, number> {
  const out = new Map<string, number>();
  prev.ids.forEach((id, doc) => out.set(id, doc));
  return out;
}

/**
 * Which articles stay, which are new or changed, which went. Survivors keep
 * their relative order (the n-gram merge needs it); one that moved against
 * the others is treated as removed and added again. Their stored JSON is
 * copied from the previous generation, never parsed.
 */
export function compareWithPrevious(input: Article[], prev: PreviousGeneration, options: CompareOptions = {}): Comparison {
  const { readRemoved = true, carry = true } = options;
  const n = input.length;
  const ids = input.map((a) => a.id);
  const hashes = input.map((a) => a.contentHash);
  const oldByKey = options.oldByKey ?? oldDocsById(prev);
  const remap = new Int32Array(prev.ids.length).fill(-1);
  const serials = new Uint32Array(n);
  const articleJson: ArticleJson[] = new Array(n);
  const meta: CatalogEntry[] = new Array(n);
  const addedDocs: number[] = [];
  let lastOld = -1;
  let changed = 0;
  const repaired: string[] = [];
  // The previous documents whose id is still in the input (a removed one among them was changed, not deleted).
  const idStays = new Uint8Array(prev.ids.length);
  for (let doc = 0; doc < n; doc++) {
    const old = oldByKey.get(ids[doc]);
    if (old !== undefined) idStays[old] = 1;
    if (old !== undefined && prev.hashes[old] === hashes[doc] && old > lastOld) {
      remap[old] = doc;
      serials[doc] = prev.serials[old];
      if (!carry) {
        if (prev.damaged?.has(old)) repaired.push(ids[doc]);
      } else if (prev.damaged?.has(old)) {
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
  // By id, as idStays marks them, when the previous ids are distinct (a generation's are); a Set of every id was a
  // third of comparing at ×10 in a live run.
  const newIds = oldByKey.size === prev.ids.length ? null : new Set(ids);
  const stays = (old: number) => (newIds ? newIds.has(prev.ids[old]) : idStays[old] === 1);
  let deleted = 0;
  const removedTexts: string[] = [];
  for (let old = 0; old < prev.ids.length; old++) {
    if (remap[old] !== -1) continue;
    if (!stays(old)) deleted++;
    if (readRemoved) removedTexts.push(searchableText(prev.article(old)));
  }
  return { ids, hashes, remap, serials, articleJson, meta, addedDocs, changed, deleted, removedTexts, repaired };
}

/** The reader aids: kept articles' carried, the added ones' computed, frequencies updated by the words that came and went. */
async function incrementalAids(prev: PreviousGeneration, c: Comparison, texts: string[], n: number, words: Promise<WordPart>): Promise<AidsPart> {
  const previous = await prev.aids();
  const addedAt = new Int32Array(n).fill(-1);
  c.addedDocs.forEach((doc, k) => (addedAt[doc] = k));
  const oldOf = oldDocs(c.remap, n);
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

/**
 * The word layer: the added articles' words from the segmentation cache
 * where their content was seen, jieba for the rest; the removed ones' words
 * (to take their counts out); one new segment, then small ones merged.
 */
async function incrementalWords(prev: PreviousGeneration, c: Comparison, texts: string[], docOfSerial: Int32Array, segment: Segmenter): Promise<WordPart> {
  const { addedDocs, hashes, serials, remap, removedTexts } = c;
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
  const { kept, merged } = await mergeSmallSegments(tiers, docOfSerial, async (t) => (t.fresh ? t.fresh.words : cachedWords(t.name)));
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

/**
 * The merge policy (Lucene's, by size tiers): the newest segment merges into
 * the one before while it is at least half that one's live size, the older
 * one is mostly gone, or there are more than MAX_SEGMENTS; a segment with
 * nothing alive is dropped.
 */
async function mergeSmallSegments(tiers: Tier[], docOfSerial: Int32Array, words: (t: Tier) => Promise<string[]>): Promise<{ kept: Tier[]; merged: number }> {
  const alive = (t: Tier) => t.serials.reduce((k, serial) => k + (docOfSerial[serial] >= 0 ? 1 : 0), 0);
  let merged = 0;
  for (;;) {
    const count = tiers.length;
    if (count < 2) break;
    const [older, newer] = [tiers[count - 2], tiers[count - 1]];
    const liveOlder = alive(older);
    if (!(alive(newer) * 2 >= liveOlder || liveOlder * 2 < older.serials.length || count > MAX_SEGMENTS)) break;
    tiers.splice(count - 2, 2, await mergeTiers([older, newer], docOfSerial, words));
    merged++;
  }
  return { kept: tiers.filter((t) => alive(t) > 0), merged };
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
