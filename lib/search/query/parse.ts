// The query language, parsed into normalised terms. Space-separated parts must
// all match; an unspaced Chinese part is cut by jieba and its words ANDed;
// "quotes" (ASCII or Chinese) are exact phrases; -word excludes; A | B and
// A OR B match either. Every term is a normalised string matched literally
// against normalised text, so Traditional and Simplified queries are the same
// query.
import { keptSpellingVariants, normalize } from "@/lib/text/normalize";
import { cut } from "@/lib/text/segment";
import { findSynonymTerms, synonymTable } from "@/lib/text/synonyms";

/** Terms that must all occur (one alternative of a clause). */
export interface Alternative {
  /** Normalised words, each a literal substring to find. */
  words: string[];
  /** Normalised exact phrases. */
  phrases: string[];
  /** The unspaced part the words were cut from, when it gave several words: occurrences of it rank higher. */
  chunks: string[];
  /**
   * Where it came from: the query as typed (absent), the same part with the
   * characters a regional phrase keeps left as typed ("spelling", 著 for 著作),
   * or the synonym table ("synonym", ranked below exact matches).
   */
  kind?: "spelling" | "synonym";
}

/** A query term the synonym table expanded, as the API shows it. */
export interface Expansion {
  term: string;
  synonyms: string[];
}

export interface ParsedQuery {
  /** The whole query, normalised. */
  normalized: string;
  /** All clauses must match; a clause matches when any of its alternatives does. */
  clauses: Alternative[][];
  /** Normalised terms that must not occur. */
  excluded: string[];
  /** Terms the synonym table expanded. */
  expanded: Expansion[];
}

/**
 * At most this many alternatives added to a whole query by synonyms and kept
 * spellings (several terms with large groups multiply; 16 ORed synonym terms
 * expanded in full took ~230 ms on the corpus, against ~10 ms within this).
 */
export const MAX_EXPANSIONS = 24;

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

function wordsOf(n: string): string[] {
  return [...new Set(cut(n).filter((w) => SEARCHABLE.test(w)))];
}

function alternativeOf(token: RawToken, normalized = normalize(token.text).trim()): Alternative | null {
  const n = normalized;
  if (!n || !SEARCHABLE.test(n)) return null;
  if (token.phrase) return { words: [], phrases: [n], chunks: [] };
  const words = wordsOf(n);
  if (words.length === 0) return null;
  return { words, phrases: [], chunks: words.length > 1 ? [n] : [] };
}

/** The part as typed, as kept spellings and as synonyms: every alternative that should find it. */
function alternativesOf(token: RawToken, expanded: Expansion[], budget: { left: number }): Alternative[] {
  const exact = alternativeOf(token);
  if (!exact) return [];
  const out = [exact];
  // As a literal phrase: it is there to find the text a phrase kept, not to widen the part.
  for (const kept of keptSpellingVariants(normalize(token.text).trim())) {
    if (budget.left <= 0) break;
    budget.left--;
    out.push({ words: [], phrases: [kept], chunks: [], kind: "spelling" });
  }
  // Quoted phrases are exact: only bare parts are expanded.
  if (token.phrase) return out;
  const n = normalize(token.text).trim();
  const hits = findSynonymTerms(n);
  if (hits.length === 0 || budget.left <= 0) return out;
  const table = synonymTable();
  const rest: string[] = [];
  let at = 0;
  for (const hit of hits) {
    rest.push(n.slice(at, hit.start));
    at = hit.start + hit.term.length;
  }
  rest.push(n.slice(at));
  const restWords = [...new Set(rest.flatMap((r) => (r.trim() ? wordsOf(r.trim()) : [])))];
  // Every choice of one term per hit except the query's own, first-hit-major, capped.
  const choices = hits.map((h) => [h.term, ...table.others.get(h.term)!]);
  const total = choices.reduce((k, c) => k * c.length, 1);
  const used = hits.map(() => new Set<string>());
  for (let combo = 1; combo < total && budget.left > 0; combo++) {
    const phrases: string[] = [];
    let rem = combo;
    for (let k = choices.length - 1; k >= 0; k--) {
      const choice = choices[k][rem % choices[k].length];
      phrases.unshift(choice);
      if (choice !== hits[k].term) used[k].add(choice);
      rem = Math.floor(rem / choices[k].length);
    }
    budget.left--;
    out.push({ words: restWords.filter((w) => !phrases.some((p) => p.includes(w))), phrases: [...new Set(phrases)], chunks: [], kind: "synonym" });
  }
  // What the page and the API say was added: only the synonyms the budget let in.
  hits.forEach((hit, k) => {
    if (used[k].size === 0) return;
    const known = expanded.find((e) => e.term === hit.term);
    if (known) for (const u of used[k]) !known.synonyms.includes(u) && known.synonyms.push(u);
    else expanded.push({ term: hit.term, synonyms: table.others.get(hit.term)!.filter((o) => used[k].has(o)) });
  });
  return out;
}

export function parseQuery(raw: string): ParsedQuery {
  const tokens = tokenize(raw);
  const clauses: Alternative[][] = [];
  const excluded: string[] = [];
  const expanded: Expansion[] = [];
  const budget = { left: MAX_EXPANSIONS };
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
    const alts = alternativesOf(token, expanded, budget);
    if (alts.length === 0) continue;
    if (joinNext) clauses[clauses.length - 1].push(...alts);
    else clauses.push(alts);
    joinNext = false;
  }
  return { normalized: normalize(raw).replace(/\s+/gu, " ").trim(), clauses, excluded: [...new Set(excluded)], expanded };
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

/** The words and phrases as shown to callers: `query` in the API (synonyms are listed in `expanded`). */
export function describeQuery(q: ParsedQuery): { normalized: string; words: string[]; phrases: string[]; excluded: string[]; expanded: Expansion[] } {
  const words = new Set<string>();
  const phrases = new Set<string>();
  for (const clause of q.clauses)
    for (const alt of clause) {
      if (alt.kind) continue;
      alt.words.forEach((w) => words.add(w));
      alt.phrases.forEach((p) => phrases.add(p));
    }
  return { normalized: q.normalized, words: [...words], phrases: [...phrases], excluded: q.excluded, expanded: q.expanded };
}
