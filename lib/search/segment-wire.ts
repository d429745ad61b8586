// How a segmentation thread sends one text's result back: words joined by a
// space, then its key terms and their weights, separated by \u0001 (one
// string per text is far cheaper to send than nested arrays).
import type { KeyTerms } from "@/lib/search/reader-aids";

const SEP = "\u0001";

export function encodeSegmented(words: string[], terms: KeyTerms): string {
  return `${words.join(" ")}${SEP}${terms.terms.join(" ")}${SEP}${terms.weights.join(" ")}`;
}

const list = (s: string) => (s ? s.split(" ") : []);

/** Decodes `encoded` (one string per text) into `words` and `terms` from position `at` on. */
export function decodeSegmented(encoded: string[], at: number, words: string[][], terms: KeyTerms[]): void {
  for (let i = 0; i < encoded.length; i++) {
    const [w = "", t = "", k = ""] = encoded[i].split(SEP);
    words[at + i] = list(w);
    terms[at + i] = { terms: list(t), weights: list(k).map(Number) };
  }
}
