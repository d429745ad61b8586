// What the build asks of segmentation (jieba's cutting of texts into
// search-mode words): one function over a list of texts, run in this process
// or on worker threads (segmentation-pool.ts).
import type { KeyTerms } from "@/lib/search/reader-aids/reader-aids";
import { indexWords } from "@/lib/text/segment";

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
