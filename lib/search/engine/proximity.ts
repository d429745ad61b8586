// NEAR: whether a text holds operands near each other (within n characters,
// in one sentence, in one paragraph), on normalised text. Pure functions.
import type { Near, Within } from "@/lib/search/query/parse";

/** Whether a UTF-16 unit ends a sentence in normalised text: 。 ! ? ; (full-width ！？； normalise to the ASCII ones) or a line end. */
const endsSentence = (c: number) => c === 0x3002 || c === 0x21 || c === 0x3f || c === 0x3b || c === 0x0a;

/** Every start of `term` in text[from, to), overlapping ones too, ascending. */
export function startsOf(text: string, term: string, from: number, to: number): number[] {
  const out: number[] = [];
  const last = to - term.length;
  for (let at = text.indexOf(term, from); at !== -1 && at <= last; at = text.indexOf(term, at + 1)) out.push(at);
  return out;
}

/**
 * Where the unit (sentence or paragraph) holding position `at` starts: after
 * the last line end (or sentence end) before it, or `from`. Read backwards
 * from `at`, so only the unit's own characters are read (a paragraph's line
 * end is found natively); two positions share a unit when their starts agree.
 */
function unitStart(text: string, at: number, from: number, sentence: boolean): number {
  if (!sentence) return Math.max(from, text.lastIndexOf("\n", at - 1) + 1);
  for (let i = at - 1; i >= from; i--) if (endsSentence(text.charCodeAt(i))) return i + 1;
  return from;
}

/** How many of `sorted` are below `x`. */
function below(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Whether text[from, to) holds the operands each near the next: an
 * occurrence of every operand such that each is near the next one's (per
 * link). Within n: at most n characters between the end of one and the start
 * of the other, either order (overlapping counts as near). In one sentence
 * or paragraph: both start in the same one (sentences end at 。!?; and line
 * ends, paragraphs at line ends). An operand next to the same term (党建
 * NEAR/10 党建) needs another occurrence of it: one is never near itself.
 */
export function nearIn(text: string, near: Near, from = 0, to = text.length): boolean {
  let valid = startsOf(text, near.terms[0], from, to);
  for (let k = 0; k < near.links.length && valid.length > 0; k++) {
    const within: Within = near.links[k];
    const left = near.terms[k];
    const right = near.terms[k + 1];
    const same = left === right;
    const next: number[] = [];
    const candidates = startsOf(text, right, from, to);
    // The last link needs one near pair, not all of them.
    const last = k === near.links.length - 1;
    if (typeof within === "number") {
      // An occurrence a of `left` is near b when a.start ∈ [b.start − n − |left|, b.end + n] (and a ≠ b for the same term).
      for (const b of candidates) {
        let i = below(valid, b - within - left.length);
        if (same && valid[i] === b) i++;
        if (i < valid.length && valid[i] <= b + right.length + within) {
          if (last) return true;
          next.push(b);
        }
      }
    } else {
      const sentence = within === "sentence";
      // Each unit's kept occurrences: how many, and (for the same term) whether b is one of them.
      const perUnit = new Map<number, number>();
      for (const a of valid) {
        const u = unitStart(text, a, from, sentence);
        perUnit.set(u, (perUnit.get(u) ?? 0) + 1);
      }
      for (const b of candidates) {
        const n = perUnit.get(unitStart(text, b, from, sentence)) ?? 0;
        const self = same && valid[below(valid, b)] === b ? 1 : 0;
        if (n - self > 0) {
          if (last) return true;
          next.push(b);
        }
      }
    }
    valid = next;
  }
  return valid.length > 0;
}
