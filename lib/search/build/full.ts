// A complete build in memory: every article normalised, segmented and
// indexed; serials are document numbers. Reading and writing generations is
// storage/'s job; searching is engine/'s.
import type { Article } from "@/lib/content/article";
import { catalogEntryOf, searchableText, storedOf } from "@/lib/search/formats/article-record";
import type { Generation } from "@/lib/search/formats/generation";
import type { BuildSummary } from "@/lib/search/formats/manifest";
import { NgramIndex } from "@/lib/search/formats/ngram-index";
import { WordIndex } from "@/lib/search/formats/word-index";
import { makeSegment, manifestOf, stepTimer } from "@/lib/search/build/parts";
import { segmentInProcess, type Segmenter } from "@/lib/search/build/segmenter";
import { bodySignatures, computeAids, documentFrequencies } from "@/lib/search/reader-aids/reader-aids";

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
