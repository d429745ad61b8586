// Highlights as data: parts {text, match} whose texts concatenate to the
// original (unconverted) text. Matching happens on normalised text; the offset
// map carries each match back, so 党建 marks 黨建 in a Traditional article and
// a match is always whole characters of the original.
import { normalizeWithMap } from "@/lib/text/normalize";

export interface Part {
  text: string;
  match: boolean;
}

export type Parts = Part[];

/**
 * All occurrences of all terms in a normalised text, as [start, end) ranges,
 * overlapping or touching ones merged: 马克 and 马克思 both matching gives
 * one mark over 马克思, and 党建 followed by 工作 one mark over 党建工作.
 */
function matchRanges(normalized: string, terms: readonly string[]): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const term of terms) {
    if (!term) continue;
    for (let at = normalized.indexOf(term); at !== -1; at = normalized.indexOf(term, at + 1)) ranges.push([at, at + term.length]);
  }
  if (ranges.length === 0) return ranges;
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: Array<[number, number]> = [ranges[0]];
  for (let i = 1; i < ranges.length; i++) {
    const last = merged[merged.length - 1];
    const [s, e] = ranges[i];
    if (s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  return merged;
}

/** Cuts `original[from, to)` into parts, marking the given ranges (original offsets, sorted, disjoint). */
function partsOf(original: string, ranges: Array<[number, number]>, from: number, to: number): Parts {
  const parts: Parts = [];
  let at = from;
  for (const [s0, e0] of ranges) {
    const s = Math.max(s0, from);
    const e = Math.min(e0, to);
    if (e <= s) continue;
    if (s > at) parts.push({ text: original.slice(at, s), match: false });
    parts.push({ text: original.slice(s, e), match: true });
    at = e;
  }
  if (at < to) parts.push({ text: original.slice(at, to), match: false });
  return parts;
}

/** Ranges in original offsets of every match of `terms` in `original` (`normalized`: its normal form, when known). */
function originalRanges(original: string, terms: readonly string[], normalized?: string): Array<[number, number]> {
  if (terms.length === 0 || original.length === 0) return [];
  const { text, start, end } = normalizeWithMap(original, normalized);
  return matchRanges(text, terms).map(([s, e]) => [start[s], end[e - 1]] as [number, number]);
}

/** The whole text as parts, every match marked. */
export function highlight(original: string, terms: readonly string[]): Parts {
  if (original.length === 0) return [];
  return partsOf(original, originalRanges(original, terms), 0, original.length);
}

export interface SnippetOptions {
  /** Characters of context in a snippet, about. */
  width?: number;
  /** How many snippets at most. */
  count?: number;
}

const SENTENCE_END = /[。！？；!?;]/u;
const MAX_PARAGRAPHS_EXAMINED = 40;

/**
 * The best one or two windows of the body: the windows holding the most
 * distinct terms, then the most matches, each widened to sentence edges where
 * they are near. Without any match, the start of the article.
 */
export function snippets(
  paragraphs: readonly string[],
  terms: readonly string[],
  options: SnippetOptions = {},
  /** The paragraphs already normalised (`normalize` of each), when the caller has them: paragraphs without a match are then skipped cheaply, and the others not normalised again. */
  normalizedParagraphs?: readonly string[],
): Parts[] {
  return snippetsIn(paragraphs, terms, options, normalizedParagraphs).map((s) => s.parts);
}

/** Snippets with the index of the paragraph each is cut from (for the page it is on). */
export function snippetsIn(
  paragraphs: readonly string[],
  terms: readonly string[],
  options: SnippetOptions = {},
  normalizedParagraphs?: readonly string[],
): Array<{ parts: Parts; paragraph: number }> {
  const width = options.width ?? 100;
  const count = options.count ?? 2;
  interface Window {
    paragraph: number;
    from: number;
    to: number;
    distinct: number;
    matches: number;
    ranges: Array<[number, number]>;
  }
  const windows: Window[] = [];
  if (terms.length > 0) {
    let examined = 0;
    paragraphs.forEach((p, index) => {
      // Long reports: the first matching paragraphs are enough to choose from.
      if (examined >= MAX_PARAGRAPHS_EXAMINED) return;
      const n = normalizedParagraphs?.[index];
      if (n !== undefined && !terms.some((t) => n.includes(t))) return;
      examined++;
      const ranges = originalRanges(p, terms, n);
      if (ranges.length === 0) return;
      const lowerTerms = terms;
      for (let k = 0; k < ranges.length; k++) {
        const from = Math.max(0, ranges[k][0] - Math.floor(width / 4));
        const to = Math.min(p.length, from + width);
        const inside = ranges.filter(([s, e]) => s >= from && e <= to);
        const seen = new Set(inside.map(([s, e]) => p.slice(s, e)));
        windows.push({ paragraph: index, from, to, distinct: Math.min(seen.size, lowerTerms.length), matches: inside.length, ranges });
      }
    });
  }
  windows.sort((a, b) => b.distinct - a.distinct || b.matches - a.matches || a.paragraph - b.paragraph || a.from - b.from);
  const chosen: Window[] = [];
  for (const w of windows) {
    if (chosen.length >= count) break;
    if (chosen.some((c) => c.paragraph === w.paragraph && w.from < c.to && c.from < w.to)) continue;
    chosen.push(w);
  }
  if (chosen.length === 0) {
    const first = paragraphs.findIndex((p) => p.length > 0);
    if (first === -1) return [];
    const p = paragraphs[first];
    return [{ parts: partsOf(p, [], 0, Math.min(p.length, width)), paragraph: first }];
  }
  chosen.sort((a, b) => a.paragraph - b.paragraph || a.from - b.from);
  return chosen.map((w) => {
    const p = paragraphs[w.paragraph];
    let from = w.from;
    let to = w.to;
    // Start at a sentence if one begins shortly before; end at one if it ends shortly after.
    for (let i = from; i > Math.max(0, from - 20); i--) {
      if (SENTENCE_END.test(p[i - 1] ?? "")) {
        from = i;
        break;
      }
      if (i - 1 === 0) from = 0;
    }
    for (let i = to; i < Math.min(p.length, to + 20); i++) {
      if (SENTENCE_END.test(p[i])) {
        to = i + 1;
        break;
      }
    }
    // Never cut a match in half.
    for (const [s, e] of w.ranges) {
      if (s < from && e > from) from = s;
      if (s < to && e > to) to = e;
    }
    return { parts: partsOf(p, w.ranges, from, to), paragraph: w.paragraph };
  });
}

/** Parts as plain text (an export's snippet). */
export function plainText(parts: Parts): string {
  return parts.map((p) => p.text).join("");
}
