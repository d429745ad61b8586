// A complete build in ranges of articles, for libraries too large to hold in
// memory at once (a million articles): each range is normalised, segmented
// and indexed on its own (an n-gram index over its documents, one word
// segment) and handed to the store to write before the next is read; what
// the whole library needs (repost groups, related articles, vocabulary) is
// made at the end from the few numbers and words kept per article (key
// terms, body signature, document frequencies).
//
// The ranges are pieces of the full build's structures: a range's n-gram
// rows are the full build's rows cut at its first and last document, and its
// segment is the full build's word segment restricted to its serials (the
// serials are document numbers, as in a full build). A store that joins the
// pieces in order answers exactly as from buildFull (tests/unit/pg-ranged.test.ts).
import type { Article } from "@/lib/content/article";
import { catalogEntryOf, searchableText, storedOf } from "@/lib/search/formats/article-record";
import type { GenerationRange, RangedGeneration } from "@/lib/search/formats/generation";
import type { BuildSummary } from "@/lib/search/formats/manifest";
import { NgramIndex } from "@/lib/search/formats/ngram-index";
import { WordIndex } from "@/lib/search/formats/word-index";
import { makeSegment, manifestOf, stepTimer } from "@/lib/search/build/parts";
import type { Segmenter } from "@/lib/search/build/segmenter";
import { aidsOf, bodySignatures, documentFrequencies, keyTerms, SIGNATURE_STRIDE } from "@/lib/search/reader-aids/reader-aids";

/**
 * A full build over `batches` of articles (each batch one range, in order),
 * one range in memory at a time besides the per-article key terms and
 * signatures. Ids must be distinct across the batches.
 */
export function buildRanged(batches: AsyncIterable<Article[]>, segment: Segmenter): RangedGeneration {
  const { timings, step } = stepTimer();
  const time = (name: string) => {
    const before = timings[name] ?? 0;
    step(name);
    timings[name] += before;
  };
  const keywords: string[][] = [];
  const weights: number[][] = [];
  let signatures = new Uint32Array(1 << 16);
  const df = new Map<string, number>();
  const seen = new Set<string>();
  const originals = new Set<string>();
  let articles = 0;
  let chars = 0;
  let ranges = 0;
  let done = false;

  /** A range read and normalised, its segmentation started on the threads (its words go to its segment as runs come back). */
  const begin = (batch: Article[], first: number) => {
    const stored = batch.map(storedOf);
    for (const a of stored) {
      if (seen.has(a.id)) throw new Error(`index: article id ${a.id} is given twice`);
      seen.add(a.id);
      const original = catalogEntryOf(a).original;
      if (original) originals.add(original.sha256);
    }
    const norm = stored.map(searchableText);
    time("normalize");
    const wordIndex = new WordIndex();
    let added = 0;
    const addWords = (from: number, lists: readonly string[][]) => {
      if (from !== added) throw new Error(`index: segmented texts arrived out of order (${from}, expected ${added})`);
      for (let k = 0; k < lists.length; k++) wordIndex.add(first + from + k, lists[k]);
      added += lists.length;
    };
    const segmented = segment(norm, (from, part) => addWords(from, part.words));
    // (A failure is the range's to report when it is awaited: not an unhandled rejection while the store writes.)
    segmented.catch(() => {});
    return { first, stored, norm, wordIndex, segmented, rest: (words: string[][]) => added < words.length && addWords(added, words.slice(added)) };
  };

  async function* run(): AsyncGenerator<GenerationRange> {
    const input = batches[Symbol.asyncIterator]();
    const nextBatch = async () => {
      for (;;) {
        const r = await input.next();
        if (r.done) return null;
        if (r.value.length) return r.value;
      }
    };
    const opening = await nextBatch();
    let current = opening && begin(opening, 0);
    while (current) {
      const { first, stored, norm, wordIndex, segmented } = current;
      // As in a full build: the range's n-grams and signatures here while the threads segment it.
      const ngrams = NgramIndex.build(norm);
      time("ngrams");
      const sig = bodySignatures(norm);
      const { words, terms, df: counted, joined } = await segmented;
      time("segment (rest)");
      current.rest(words);
      const serials = Uint32Array.from(stored.keys(), (k) => first + k);
      const seg = makeSegment(serials, stored.map((a) => a.contentHash), words, joined, wordIndex);
      if (counted) for (const [w, n] of counted) df.set(w, (df.get(w) ?? 0) + n);
      else documentFrequencies(words, df);
      const rangeKeywords: string[][] = [];
      for (let k = 0; k < stored.length; k++) {
        const t = terms?.[k] ?? keyTerms(norm[k], words[k]);
        keywords.push(t.terms);
        weights.push(t.weights);
        rangeKeywords.push(t.terms);
      }
      const end = (first + stored.length) * SIGNATURE_STRIDE;
      if (signatures.length < end) {
        const grown = new Uint32Array(Math.max(end, signatures.length * 2));
        grown.set(signatures);
        signatures = grown;
      }
      signatures.set(sig, first * SIGNATURE_STRIDE);
      articles += stored.length;
      chars += norm.reduce((n, t) => n + t.length, 0);
      time("words");
      // The next range's segmentation starts before this one is handed over: the threads segment it while the store writes this one.
      const after = await nextBatch();
      const next = after && begin(after, articles);
      yield {
        index: ranges++,
        first,
        ids: stored.map((a) => a.id),
        hashes: stored.map((a) => a.contentHash),
        articles: stored,
        articleJson: stored.map((a) => JSON.stringify(a)),
        norm,
        ngrams,
        segment: seg,
        keywords: rangeKeywords,
      };
      time("write");
      current = next;
    }
    done = true;
  }

  return {
    ranges: run(),
    summary() {
      if (!done) throw new Error("index: a ranged build's summary is asked for before its last range");
      const aids = aidsOf(keywords, weights, signatures.slice(0, articles * SIGNATURE_STRIDE), df);
      time("reader aids");
      const build: BuildSummary = { kind: "full", added: articles, changed: 0, deleted: 0, kept: 0, segmented: articles, merged: 0 };
      const manifest = manifestOf(articles, 0, chars, articles, [], build);
      return { manifest, serials: Uint32Array.from({ length: articles }, (_, k) => k), aids: { aids, df }, originals: [...originals].sort(), timings };
    },
  };
}
