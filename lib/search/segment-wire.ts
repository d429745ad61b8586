// How a segmentation thread sends one text's result back: words joined by a
// space, then its key terms and their weights, separated by \u0001 (one
// string per text is far cheaper to send than nested arrays).
import type { Segmented } from "@/lib/search/generation";
import type { KeyTerms } from "@/lib/search/reader-aids";

const SEP = "\u0001";

export function encodeSegmented(words: string[], terms: KeyTerms): string {
  return `${words.join(" ")}${SEP}${terms.terms.join(" ")}${SEP}${terms.weights.join(" ")}`;
}

const list = (s: string) => (s ? s.split(" ") : []);

export function decodeSegmented(encoded: string[]): Segmented {
  const words: string[][] = new Array(encoded.length);
  const terms: KeyTerms[] = new Array(encoded.length);
  encoded.forEach((e, i) => {
    const [w = "", t = "", k = ""] = e.split(SEP);
    words[i] = list(w);
    terms[i] = { terms: list(t), weights: list(k).map(Number) };
  });
  return { words, terms };
}
