// The query language, parsed into normalised terms. Space-separated parts must
// all match; an unspaced Chinese part is cut by jieba and its words ANDed;
// "quotes" (ASCII or Chinese) are exact phrases; -word excludes; A | B and
// A OR B match either. Every term is a normalised string matched literally
// against normalised text, so Traditional and Simplified queries are the same
// query.
import { normalize } from "@/lib/text/normalize";
import { cut } from "@/lib/text/segment";

/** Terms that must all occur (one alternative of a clause). */
export interface Alternative {
  /** Normalised words, each a literal substring to find. */
  words: string[];
  /** Normalised exact phrases. */
  phrases: string[];
  /** The unspaced part the words were cut from, when it gave several words: occurrences of it rank higher. */
  chunks: string[];
}

export interface ParsedQuery {
  /** The whole query, normalised. */
  normalized: string;
  /** All clauses must match; a clause matches when any of its alternatives does. */
  clauses: Alternative[][];
  /** Normalised terms that must not occur. */
  excluded: string[];
}

const OPEN_QUOTES = new Set(['"', "“", "”", "「", "『", "＂", "„"]);
const CLOSE_FOR: Record<string, string[]> = {
  '"': ['"', "”", "“"],
  "“": ["”", '"'],
  "”": ["“", '"', "”"],
  "「": ["」"],
  "『": ["』"],
  "＂": ["＂", '"'],
  "„": ["“", "”", '"'],
};

interface RawToken {
  text: string;
  phrase: boolean;
  negated: boolean;
  /** An OR operator standing alone. */
  or?: boolean;
}

/** Splits a raw query into tokens, keeping quoted phrases together. */
function tokenize(raw: string): RawToken[] {
  const tokens: RawToken[] = [];
  let i = 0;
  const s = raw.replace(/[\u3000\s]+/gu, " ");
  while (i < s.length) {
    if (s[i] === " ") {
      i++;
      continue;
    }
    let negated = false;
    if ((s[i] === "-" || s[i] === "－") && i + 1 < s.length && s[i + 1] !== " ") {
      negated = true;
      i++;
    }
    if (OPEN_QUOTES.has(s[i])) {
      const closers = CLOSE_FOR[s[i]];
      let j = i + 1;
      while (j < s.length && !closers.includes(s[j])) j++;
      tokens.push({ text: s.slice(i + 1, j), phrase: true, negated });
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < s.length && s[j] !== " " && !OPEN_QUOTES.has(s[j]) && s[j] !== "|" && s[j] !== "｜") j++;
    if (j === i && (s[i] === "|" || s[i] === "｜")) {
      tokens.push({ text: "|", phrase: false, negated: false, or: true });
      i++;
      continue;
    }
    const text = s.slice(i, j);
    if (text === "OR" && !negated) tokens.push({ text, phrase: false, negated: false, or: true });
    else if (text) tokens.push({ text, phrase: false, negated });
    i = j;
  }
  return tokens;
}

/** How many parts a raw query has (words, phrases, exclusions; each alternative of an OR counts): what the request limit counts, before any segmentation. */
export function queryParts(raw: string): number {
  return tokenize(raw).filter((t) => !t.or).length;
}

/** Letters, digits or Han: anything else alone (punctuation, symbols) is not worth searching for. */
const SEARCHABLE = /[\p{L}\p{N}]/u;

function alternativeOf(token: RawToken): Alternative | null {
  const n = normalize(token.text).trim();
  if (!n || !SEARCHABLE.test(n)) return null;
  if (token.phrase) return { words: [], phrases: [n], chunks: [] };
  const words = [...new Set(cut(n).filter((w) => SEARCHABLE.test(w)))];
  if (words.length === 0) return null;
  return { words, phrases: [], chunks: words.length > 1 ? [n] : [] };
}

export function parseQuery(raw: string): ParsedQuery {
  const tokens = tokenize(raw);
  const clauses: Alternative[][] = [];
  const excluded: string[] = [];
  let joinNext = false;
  for (const token of tokens) {
    if (token.or) {
      joinNext = clauses.length > 0;
      continue;
    }
    if (token.negated) {
      const n = normalize(token.text).trim();
      if (n && SEARCHABLE.test(n)) excluded.push(n);
      joinNext = false;
      continue;
    }
    const alt = alternativeOf(token);
    if (!alt) continue;
    if (joinNext) clauses[clauses.length - 1].push(alt);
    else clauses.push([alt]);
    joinNext = false;
  }
  return { normalized: normalize(raw).replace(/\s+/gu, " ").trim(), clauses, excluded: [...new Set(excluded)] };
}

/** Every positive term of a query (words and phrases of all alternatives), longest first: what highlighting marks. */
export function positiveTerms(q: ParsedQuery): string[] {
  const all = new Set<string>();
  for (const clause of q.clauses) for (const alt of clause) for (const t of [...alt.chunks, ...alt.phrases, ...alt.words]) all.add(t);
  return [...all].sort((a, b) => b.length - a.length);
}

export function isEmptyQuery(q: ParsedQuery): boolean {
  return q.clauses.length === 0;
}

/** The words and phrases as shown to callers: `query` in the API. */
export function describeQuery(q: ParsedQuery): { normalized: string; words: string[]; phrases: string[]; excluded: string[] } {
  const words = new Set<string>();
  const phrases = new Set<string>();
  for (const clause of q.clauses)
    for (const alt of clause) {
      alt.words.forEach((w) => words.add(w));
      alt.phrases.forEach((p) => phrases.add(p));
    }
  return { normalized: q.normalized, words: [...words], phrases: [...phrases], excluded: q.excluded };
}
