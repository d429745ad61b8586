// What full and incremental builds share: step timings, new word segments
// and their names, and the manifest of what the build used.
import type { BuildSummary, IndexManifest, SegmentInfo } from "@/lib/search/formats/manifest";
import { INDEX_FORMAT } from "@/lib/search/formats/manifest";
import type { NewSegment } from "@/lib/search/formats/generation";
import { WORD_INDEX_OPTIONS, WordIndex } from "@/lib/search/formats/word-index";
import { READER_AIDS_VERSION } from "@/lib/search/reader-aids/reader-aids";
import { NORMALIZATION_VERSION, spellingVersion } from "@/lib/text/normalize";
import { dictionaryFingerprint } from "@/lib/text/segment";

export function stepTimer(): { timings: Record<string, number>; step: (name: string) => void } {
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
function newSegmentName(): string {
  return `${Date.now().toString(36)}-${process.pid.toString(36)}-${(segmentCounter++).toString(36)}`;
}

/** A new word segment; `joined` (each list joined by a space) when the segmenter already made it; `index` when already built. */
export function makeSegment(serials: Uint32Array, hashes: string[], wordLists: string[][], joined?: string[], index?: WordIndex): NewSegment {
  if (!index) {
    index = new WordIndex();
    for (let k = 0; k < serials.length; k++) index.add(serials[k], wordLists[k]);
  }
  return { name: newSegmentName(), index, serials, hashes, words: joined ?? wordLists.map((w) => w.join(" ")) };
}

export function manifestOf(
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
