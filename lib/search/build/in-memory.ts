// A complete build searched where it was made, without a store: for tests,
// benchmarks and reports. `npm run index` builds generations and saves them
// through a store (storage/); servers load them from there.
import type { Article } from "@/lib/content/article";
import { buildFull } from "@/lib/search/build/full";
import { segmentInProcess, type Segmenter } from "@/lib/search/build/segmenter";
import { SearchIndex } from "@/lib/search/engine/search-index";
import type { Generation } from "@/lib/search/formats/generation";
import { NgramIndex } from "@/lib/search/formats/ngram-index";
import { WordLayer } from "@/lib/search/formats/word-index";

/** A complete build in memory, searchable. */
export async function buildSearchIndex(input: Article[], segment: Segmenter = segmentInProcess): Promise<SearchIndex> {
  return searchIndexOfBuild(await buildFull(input, segment));
}

/** The index of a complete build made in this process (before or without saving it). */
export async function searchIndexOfBuild(gen: Generation): Promise<SearchIndex> {
  const words = await gen.words;
  if (!gen.articles || !(gen.ngrams instanceof NgramIndex) || words.newSegments.length !== 1) throw new Error("search: only a complete build is searchable before it is saved");
  const { aids } = await gen.aids;
  const index = new SearchIndex({ articles: gen.articles, ngrams: gen.ngrams, words: new WordLayer([words.newSegments[0].index], null), manifest: gen.manifest, norm: gen.norm, aids });
  index.timings = gen.timings;
  return index;
}
