// Checks the engine on the real corpus with queries drawn from it
// (reproducibly, with a seed): recall against a plain substring scan,
// precision of ANDed words, Traditional = Simplified, and title fragments.
// Shared by the corpus test and the benchmark.
import * as OpenCC from "opencc-js";
import { SearchIndex } from "@/lib/search/engine/search-index";
import { parseQuery } from "@/lib/search/query/parse";
import type { SearchRequest } from "@/lib/search/engine/types";
import { cut } from "@/lib/text/segment";

export function seededRandom(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

export interface SampledQuery {
  kind: "word" | "two-words" | "substring" | "cross-boundary" | "traditional" | "title-fragment";
  q: string;
  /** The literal every matching article must contain (for recall), when the query is one. */
  literal: string | null;
  /** For title fragments: the article the fragment was cut from. */
  target?: string;
}

const CLEAN = /^[\p{Script=Han}\p{L}\p{N}]+$/u;

/** Draws queries of each kind from the indexed articles. */
export function sampleQueries(index: SearchIndex, perKind: number, seed = 20261128): SampledQuery[] {
  const rand = seededRandom(seed);
  const toTraditional = OpenCC.Converter({ from: "cn", to: "tw" });
  const articles = index.articles;
  const out: SampledQuery[] = [];
  const pick = () => articles[rand(articles.length)];
  const textOf = (a: { id: string }) => index.normalizedText(a.id)!;
  const bodyLine = (a: { id: string }) => {
    const lines = textOf(a).split("\n").slice(1).filter((l) => l.length >= 12);
    return lines.length ? lines[rand(lines.length)] : null;
  };
  const tries = perKind * 50;
  const add = (kind: SampledQuery["kind"], make: () => SampledQuery | null) => {
    let n = 0;
    for (let t = 0; t < tries && n < perKind; t++) {
      const q = make();
      if (q && !out.some((o) => o.q === q.q && o.kind === q.kind)) {
        out.push(q);
        n++;
      }
    }
  };
  add("word", () => {
    const line = bodyLine(pick());
    if (!line) return null;
    const words = cut(line).filter((w) => w.length >= 2 && CLEAN.test(w));
    const w = words[rand(Math.max(1, words.length))];
    return w ? { kind: "word", q: w, literal: w } : null;
  });
  add("two-words", () => {
    const line = bodyLine(pick());
    if (!line) return null;
    const words = cut(line).filter((w) => w.length >= 2 && CLEAN.test(w));
    if (words.length < 2) return null;
    const a = words[rand(words.length)];
    const b = words[rand(words.length)];
    return a === b ? null : { kind: "two-words", q: `${a} ${b}`, literal: null };
  });
  add("substring", () => {
    const line = bodyLine(pick());
    if (!line) return null;
    const len = 2 + rand(5);
    const at = rand(Math.max(1, line.length - len));
    const s = line.slice(at, at + len);
    return CLEAN.test(s) ? { kind: "substring", q: s, literal: s } : null;
  });
  add("cross-boundary", () => {
    const line = bodyLine(pick());
    if (!line) return null;
    const words = cut(line);
    const i = rand(Math.max(1, words.length - 1));
    if (!words[i + 1] || words[i].length < 2 || words[i + 1].length < 2) return null;
    // The end of one word and the start of the next: never a token by itself.
    const s = words[i].slice(-1) + words[i + 1].slice(0, 1 + rand(words[i + 1].length - 1));
    return CLEAN.test(s) ? { kind: "cross-boundary", q: s, literal: s } : null;
  });
  add("traditional", () => {
    const line = bodyLine(pick());
    if (!line) return null;
    const words = cut(line).filter((w) => w.length >= 2 && CLEAN.test(w));
    const w = words[rand(Math.max(1, words.length))];
    if (!w) return null;
    const t = toTraditional(w);
    return t === w ? null : { kind: "traditional", q: t, literal: w };
  });
  // Known-item queries: a piece of one title that no other (different) title contains,
  // as someone would type who remembers part of the headline.
  const titles = articles.map((a) => textOf(a).split("\n")[0]);
  add("title-fragment", () => {
    const a = pick();
    const title = a.title;
    if (title.length < 8) return null;
    const len = 4 + rand(Math.min(6, title.length - 4));
    const at = rand(title.length - len + 1);
    const s = title.slice(at, at + len).trim();
    if (s.length < 4 || /[\s"“”「」『』|｜]|^-/u.test(s)) return null;
    const own = textOf(a).split("\n")[0];
    const fragment = own.slice(at, at + len);
    const holders = new Set(titles.filter((t) => t.includes(fragment)));
    return holders.size === 1 ? { kind: "title-fragment", q: s, literal: null, target: a.id } : null;
  });
  return out;
}

export interface QualityReport {
  queries: number;
  recall: number;
  precision: number;
  crossScriptEqual: number;
  crossScriptOf: number;
  titleFirst: number;
  titleOf: number;
  failures: string[];
}

const ALL: Omit<SearchRequest, "q"> = { authors: [], sources: [], from: null, to: null, sort: "relevance", page: 1, size: 10 };

/**
 * Async only to yield between queries: a test worker whose event loop stays
 * blocked for a minute (this scans 30k texts per query) misses Vitest's RPC
 * timeout on a loaded 2-core machine, and the run fails though every test passed.
 */
export async function measureSearchQuality(index: SearchIndex, queries: SampledQuery[]): Promise<QualityReport> {
  let expected = 0;
  let found = 0;
  let returned = 0;
  let correct = 0;
  let crossEqual = 0;
  let crossOf = 0;
  let titleFirst = 0;
  let titleOf = 0;
  const failures: string[] = [];
  const texts = new Map(index.articles.map((a) => [a.id, index.normalizedText(a.id)!]));
  const toSimplifiedQuery = OpenCC.Converter({ from: "tw", to: "cn" });
  const toTraditionalQuery = OpenCC.Converter({ from: "cn", to: "tw" });
  for (const sq of queries) {
    await new Promise((resolve) => setImmediate(resolve));
    const ids = index.searchIds({ ...ALL, q: sq.q });
    const got = new Set(ids);
    if (sq.literal) {
      for (const [id, text] of texts) {
        if (!text.includes(sq.literal)) continue;
        expected++;
        if (got.has(id)) found++;
        else if (failures.length < 20) failures.push(`recall: "${sq.q}" missed ${id}`);
      }
    }
    for (const id of ids) {
      returned++;
      const text = texts.get(id)!;
      // Precision against the query as read: each part holds as typed, or as one of its synonyms.
      if (parseQuery(sq.q).clauses.every((clause) => clause.some((alt) => [...alt.words, ...alt.phrases].every((t) => text.includes(t))))) correct++;
      else if (failures.length < 20) failures.push(`precision: "${sq.q}" returned ${id}`);
    }
    if (sq.kind === "traditional" || sq.kind === "word" || sq.kind === "substring") {
      crossOf++;
      const other = sq.kind === "traditional" ? toSimplifiedQuery(sq.q) : toTraditionalQuery(sq.q);
      const otherIds = index.searchIds({ ...ALL, q: other });
      if (otherIds.length === ids.length && otherIds.every((id, i) => id === ids[i])) crossEqual++;
      else if (failures.length < 20) failures.push(`cross-script: "${sq.q}" vs "${other}"`);
    }
    if (sq.kind === "title-fragment") {
      titleOf++;
      const top = ids[0];
      const targetTitle = index.get(sq.target!)!.title;
      if (top === sq.target || (top && index.get(top)!.title === targetTitle)) titleFirst++;
      else if (failures.length < 20) failures.push(`title: "${sq.q}" put ${top} first, not ${sq.target}`);
    }
  }
  return {
    queries: queries.length,
    recall: expected ? found / expected : 1,
    precision: returned ? correct / returned : 1,
    crossScriptEqual: crossOf ? crossEqual / crossOf : 1,
    crossScriptOf: crossOf,
    titleFirst: titleOf ? titleFirst / titleOf : 1,
    titleOf,
    failures,
  };
}

export function formatQuality(r: QualityReport): string {
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  return (
    `search quality on ${r.queries} corpus queries: recall ${pct(r.recall)}, precision ${pct(r.precision)}, ` +
    `Traditional = Simplified ${pct(r.crossScriptEqual)} of ${r.crossScriptOf}, title fragment first ${pct(r.titleFirst)} of ${r.titleOf}`
  );
}

