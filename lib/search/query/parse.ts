// The query language, parsed into normalised terms. Space-separated parts must
// all match; an unspaced Chinese part is cut by jieba and its words ANDed;
// "quotes" (ASCII or Chinese) are exact phrases; -word excludes; A | B and
// A OR B match either; 标题:word (title:, 正文:/body:, 作者:/author:,
// 来源:/source:, 文号:) matches only in that field; A NEAR/10 B matches A and
// B within 10 characters of each other (NEAR/s: one sentence, NEAR/p: one
// paragraph). Every term is a normalised string matched literally against
// normalised text, so Traditional and Simplified queries are the same query.
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
  /** Only in this field: the title or the body (its text), or an author, the source or the 文号 (each term in one value). */
  field?: Field;
  /** Its phrases (the operands, in order) near each other. */
  near?: Near;
}

/** The fields a term can be limited to. */
export const FIELDS = ["title", "body", "author", "source", "docNumber"] as const;
export type Field = (typeof FIELDS)[number];

/** What each field is called in a query (lower case; English names match in any case). */
export const FIELD_NAMES: Record<string, Field> = { 标题: "title", title: "title", 正文: "body", body: "body", 作者: "author", author: "author", 来源: "source", source: "source", 文号: "docNumber" };

/** Fields of the article's text (searched in the n-gram layer); the others are its metadata. */
export const isTextField = (f: Field | undefined): boolean => f === undefined || f === "title" || f === "body";

/** How near two operands must be: within this many characters (between the end of one and the start of the other), in one sentence, or in one paragraph. */
export type Within = number | "sentence" | "paragraph";

/** Operands (normalised literal terms) each near the next: `links[i]` says how near `terms[i]` and `terms[i + 1]` are. */
export interface Near {
  terms: string[];
  links: Within[];
  /** Only in the title or only in the body (when an operand says so). */
  field?: "title" | "body";
}

/** The largest NEAR/n distance (characters); larger ones are read as this. */
export const MAX_NEAR = 10_000;

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
  /** Normalised terms that must not occur in a field. */
  excludedIn: Array<{ field: Field; term: string }>;
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
  /** A NEAR operator standing alone (NEAR/10, NEAR/s, NEAR/p). */
  near?: Within;
  /** The field it names (标题:…). */
  field?: Field;
}

const FIELD_PREFIX = new RegExp(`^(${Object.keys(FIELD_NAMES).join("|")})[:：]`, "iu");
const NEAR_OPERATOR = /^NEAR\/(\d{1,6}|[sSpP])$/u;

function withinOf(spec: string): Within {
  if (spec === "s" || spec === "S") return "sentence";
  if (spec === "p" || spec === "P") return "paragraph";
  return Math.min(MAX_NEAR, Number(spec));
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
    let field: Field | undefined;
    const prefix = FIELD_PREFIX.exec(s.slice(i, i + 8));
    if (prefix) {
      field = FIELD_NAMES[prefix[1].toLowerCase()];
      i += prefix[0].length;
      // A field name with nothing after it names nothing.
      if (i >= s.length || s[i] === " ") continue;
    }
    if (OPEN_QUOTES.has(s[i])) {
      const closers = CLOSE_FOR[s[i]];
      let j = i + 1;
      while (j < s.length && !closers.includes(s[j])) j++;
      tokens.push({ text: s.slice(i + 1, j), phrase: true, negated, ...(field && { field }) });
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
    const near = field || negated ? null : NEAR_OPERATOR.exec(text);
    if (text === "OR" && !negated && !field) tokens.push({ text, phrase: false, negated: false, or: true });
    else if (near) tokens.push({ text, phrase: false, negated: false, near: withinOf(near[1]) });
    else if (text) tokens.push({ text, phrase: false, negated, ...(field && { field }) });
    i = j;
  }
  return tokens;
}

/** How many parts a raw query has (words, phrases, exclusions; each alternative of an OR counts): what the request limit counts, before any segmentation. */
export function queryParts(raw: string): number {
  return tokenize(raw).filter((t) => !t.or && t.near === undefined).length;
}

/** Letters, digits or Han: anything else alone (punctuation, symbols) is not worth searching for. */
const SEARCHABLE = /[\p{L}\p{N}]/u;

function wordsOf(n: string): string[] {
  return [...new Set(cut(n).filter((w) => SEARCHABLE.test(w)))];
}

function alternativeOf(token: RawToken, normalized = normalize(token.text).trim()): Alternative | null {
  const n = normalized;
  if (!n || !SEARCHABLE.test(n)) return null;
  const field = token.field ? { field: token.field } : {};
  // A phrase, or a name or number: one literal (张三 in an author, 中组发[2024]3号 in a 文号; jieba's pieces of a name mean nothing).
  if (token.phrase || !isTextField(token.field)) return { words: [], phrases: [n], chunks: [], ...field };
  const words = wordsOf(n);
  if (words.length === 0) return null;
  return { words, phrases: [], chunks: words.length > 1 ? [n] : [], ...field };
}

/** The part as typed, as kept spellings and as synonyms: every alternative that should find it. */
function alternativesOf(token: RawToken, expanded: Expansion[], budget: { left: number }): Alternative[] {
  const exact = alternativeOf(token);
  if (!exact) return [];
  const out = [exact];
  // A field term is matched as typed (in either script): no spellings or synonyms widen a name or a title search.
  if (token.field) return out;
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

/** A NEAR group's operand: a literal term (quoted or not), and the field it names. */
function operandOf(token: RawToken | undefined): { term: string; field?: Field } | null {
  if (!token || token.or || token.near !== undefined || token.negated) return null;
  if (token.field && !isTextField(token.field)) return null;
  const term = normalize(token.text).trim();
  return term && SEARCHABLE.test(term) ? { term, field: token.field } : null;
}

/**
 * The tokens with NEAR groups made: `A NEAR/n B NEAR/s C` becomes one
 * alternative of operands A, B, C. A NEAR without a term on each side is
 * dropped (its terms stay plain terms).
 */
function grouped(tokens: RawToken[]): Array<RawToken | Alternative> {
  const out: Array<RawToken | Alternative> = [];
  for (let k = 0; k < tokens.length; k++) {
    const token = tokens[k];
    if (token.near === undefined) {
      out.push(token);
      continue;
    }
    const right = operandOf(tokens[k + 1]);
    const prev = out[out.length - 1];
    const left = prev && "near" in prev && prev.near ? null : operandOf(prev as RawToken | undefined);
    if (!right || (!left && !(prev && "words" in prev && prev.near))) continue;
    let alt: Alternative;
    if (left) {
      alt = { words: [], phrases: [left.term], chunks: [], near: { terms: [left.term], links: [] } };
      if (left.field) alt.near!.field = left.field as "title" | "body";
      out[out.length - 1] = alt;
    } else alt = prev as Alternative;
    const near = alt.near!;
    near.terms.push(right.term);
    near.links.push(token.near);
    if (!alt.phrases.includes(right.term)) alt.phrases.push(right.term);
    if (right.field) near.field ??= right.field as "title" | "body";
    k++;
  }
  return out;
}

export function parseQuery(raw: string): ParsedQuery {
  const tokens = grouped(tokenize(raw));
  const clauses: Alternative[][] = [];
  const excluded: string[] = [];
  const excludedIn: ParsedQuery["excludedIn"] = [];
  const expanded: Expansion[] = [];
  const budget = { left: MAX_EXPANSIONS };
  let joinNext = false;
  for (const item of tokens) {
    let alts: Alternative[];
    if ("words" in item) alts = [item];
    else {
      const token = item;
      if (token.or) {
        joinNext = clauses.length > 0;
        continue;
      }
      if (token.negated) {
        const n = normalize(token.text).trim();
        if (n && SEARCHABLE.test(n)) {
          if (token.field) excludedIn.some((e) => e.field === token.field && e.term === n) || excludedIn.push({ field: token.field, term: n });
          else excluded.push(n);
        }
        joinNext = false;
        continue;
      }
      alts = alternativesOf(token, expanded, budget);
    }
    if (alts.length === 0) continue;
    if (joinNext) clauses[clauses.length - 1].push(...alts);
    else clauses.push(alts);
    joinNext = false;
  }
  return { normalized: normalize(raw).replace(/\s+/gu, " ").trim(), clauses, excluded: [...new Set(excluded)], excludedIn, expanded };
}

/** Every positive term of a query (words and phrases of all alternatives), longest first: what highlighting marks. */
export function positiveTerms(q: ParsedQuery): string[] {
  return termsIn(q, () => true);
}

/**
 * The positive terms a part of an article shows marked, longest first: a
 * title-only term is marked in the title only, a body-only term in the body
 * only, and an author's, source's or 文号's term in neither.
 */
export function highlightTerms(q: ParsedQuery, part: "title" | "body"): string[] {
  return termsIn(q, (alt) => {
    const field = alt.near?.field ?? alt.field;
    return field === undefined || field === part;
  });
}

function termsIn(q: ParsedQuery, keep: (alt: Alternative) => boolean): string[] {
  const all = new Set<string>();
  for (const clause of q.clauses) for (const alt of clause) if (keep(alt)) for (const t of [...alt.chunks, ...alt.phrases, ...alt.words]) all.add(t);
  return [...all].sort((a, b) => b.length - a.length);
}

export function isEmptyQuery(q: ParsedQuery): boolean {
  return q.clauses.length === 0;
}

/** A NEAR link as the query reads it: NEAR/10, NEAR/s, NEAR/p. */
export function nearOperator(within: Within): string {
  return within === "sentence" ? "NEAR/s" : within === "paragraph" ? "NEAR/p" : `NEAR/${within}`;
}

/** The words and phrases as shown to callers: `query` in the API (synonyms are listed in `expanded`, field terms in `fields`, NEAR groups in `near`). */
export function describeQuery(q: ParsedQuery): {
  normalized: string;
  words: string[];
  phrases: string[];
  excluded: string[];
  expanded: Expansion[];
  fields: Array<{ field: Field; terms: string[]; excluded: boolean }>;
  near: Array<{ terms: string[]; within: Within[]; field: "title" | "body" | null }>;
} {
  const words = new Set<string>();
  const phrases = new Set<string>();
  const fields: Array<{ field: Field; terms: string[]; excluded: boolean }> = [];
  const near: Array<{ terms: string[]; within: Within[]; field: "title" | "body" | null }> = [];
  for (const clause of q.clauses)
    for (const alt of clause) {
      if (alt.kind) continue;
      if (alt.near) near.push({ terms: alt.near.terms, within: alt.near.links, field: alt.near.field ?? null });
      else if (alt.field) fields.push({ field: alt.field, terms: [...alt.phrases, ...alt.words], excluded: false });
      else {
        alt.words.forEach((w) => words.add(w));
        alt.phrases.forEach((p) => phrases.add(p));
      }
    }
  for (const e of q.excludedIn) fields.push({ field: e.field, terms: [e.term], excluded: true });
  return { normalized: q.normalized, words: [...words], phrases: [...phrases], excluded: q.excluded, expanded: q.expanded, fields, near };
}
