// How a segmentation thread sends one text's result back: words joined by a
// space, then its key terms and their weights, separated by \u0001 (one
// string per text is far cheaper to send than nested arrays).
import type { Segmented } from "@/lib/search/build/segmenter";
import { documentFrequencies, type KeyTerms } from "@/lib/search/reader-aids/reader-aids";

const SEP = "\u0001";

export function encodeSegmented(words: string[], terms: KeyTerms): string {
  return `${words.join(" ")}${SEP}${terms.terms.join(" ")}${SEP}${terms.weights.join(" ")}`;
}

const list = (s: string) => (s ? s.split(" ") : []);

function decodeSegmented(encoded: string[]): Segmented {
  const words: string[][] = new Array(encoded.length);
  const joined: string[] = new Array(encoded.length);
  const terms: KeyTerms[] = new Array(encoded.length);
  encoded.forEach((e, i) => {
    const [w = "", t = "", k = ""] = e.split(SEP);
    words[i] = list(w);
    joined[i] = w;
    terms[i] = { terms: list(t), weights: list(k).map(Number) };
  });
  return { words, terms, joined };
}

/** What a segmentation thread sends for a batch of texts: each text's result, and the batch's document frequencies. */
export interface SegmentedBatch {
  joined: string[];
  /** The words of documentFrequencies over the batch, in its order, joined by \u0001, and their counts. */
  dfWords: string;
  dfCounts: Uint32Array;
}

/** A batch's results and document frequencies (counted on the segmenting thread, so the main thread need not). */
export function encodeBatch(joined: string[], words: string[][]): SegmentedBatch {
  const df = documentFrequencies(words);
  return { joined, dfWords: [...df.keys()].join(SEP), dfCounts: Uint32Array.from(df.values()) };
}

/** One batch decoded, with its document frequencies. */
export type DecodedBatch = Segmented & { df: Map<string, number> };

export function decodeBatch(b: SegmentedBatch): DecodedBatch {
  const words = b.dfWords ? b.dfWords.split(SEP) : [];
  if (words.length !== b.dfCounts.length) throw new Error(`index: a segmentation thread sent ${words.length} words and ${b.dfCounts.length} counts`);
  const df = new Map<string, number>();
  for (let i = 0; i < words.length; i++) df.set(words[i], b.dfCounts[i]);
  return { ...decodeSegmented(b.joined), df };
}

/**
 * Decoded batches in text order as one result: their document frequencies
 * summed in order, which gives documentFrequencies over all the words
 * exactly (each word first where it first occurs, the counts added).
 */
export function joinSegmented(parts: DecodedBatch[]): Segmented {
  const df = new Map<string, number>();
  for (const p of parts) for (const [w, n] of p.df) df.set(w, (df.get(w) ?? 0) + n);
  return {
    words: parts.flatMap((p) => p.words),
    terms: parts.flatMap((p) => p.terms ?? []),
    joined: parts.flatMap((p) => p.joined ?? []),
    df,
  };
}
