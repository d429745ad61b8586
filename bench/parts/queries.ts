// The bench's seeded query set, drawn from the corpus, and its truth (a
// plain substring scan), shared by npm run bench and npm run bench:scale;
// larger libraries are the corpus replicated with new ids.
import * as OpenCC from "opencc-js";
import type { Article } from "@/lib/content/article";
import { keptSpellingVariants, normalize } from "@/lib/text/normalize";
import { cut } from "@/lib/text/segment";
import { seededRandom } from "../../testkit/search-quality";
import type { BenchQuery } from "./systems";

/** The articles ×scale: copy k > 0 of article a has the id `${a.id}~r${k}` (identical texts under new ids). */
export function replicate(articles: Article[], scale: number): Article[] {
  const out: Article[] = [];
  for (let k = 0; k < scale; k++) for (const a of articles) out.push(k === 0 ? a : { ...a, id: `${a.id}~r${k}` });
  return out;
}

const CLEAN = /^[\p{Script=Han}\p{L}\p{N}]+$/u;

/** A seeded query set drawn from the corpus: words by frequency band, pairs, cross-boundary substrings, Traditional forms, title fragments, filtered. */
export function makeQueries(articles: Article[], texts: string[], perKind: number): BenchQuery[] {
  const rand = seededRandom(20261128);
  const toTraditional = OpenCC.Converter({ from: "cn", to: "tw" });
  const df = (w: string) => {
    let n = 0;
    for (const t of texts) if (t.includes(w)) n++;
    return n;
  };
  const lines = (d: number) => texts[d].split("\n").slice(1).filter((l) => l.length >= 12);
  const randomLine = () => {
    for (;;) {
      const d = rand(texts.length);
      const ls = lines(d);
      if (ls.length) return { d, line: ls[rand(ls.length)] };
    }
  };
  const out: BenchQuery[] = [];
  const seen = new Set<string>();
  const add = (q: BenchQuery) => {
    const key = `${q.kind}|${q.parts.join(" ")}|${JSON.stringify(q.filter ?? {})}`;
    if (seen.has(key)) return false;
    seen.add(key);
    out.push(q);
    return true;
  };
  // Words in three document-frequency bands.
  const bands: Array<[string, number, number]> = [
    ["word-common", 0.05, 1],
    ["word-medium", 0.005, 0.05],
    ["word-rare", 0, 0.005],
  ];
  for (const [kind, lo, hi] of bands) {
    let n = 0;
    for (let tries = 0; n < perKind && tries < perKind * 200; tries++) {
      const { line } = randomLine();
      const words = cut(line).filter((w) => w.length >= 2 && CLEAN.test(w));
      const w = words[rand(Math.max(1, words.length))];
      if (!w) continue;
      const share = df(w) / texts.length;
      if (share >= lo && share < hi && add({ kind, parts: [w] })) n++;
    }
  }
  const sample = (kind: string, make: () => BenchQuery | null) => {
    let n = 0;
    for (let tries = 0; n < perKind && tries < perKind * 100; tries++) {
      const q = make();
      if (q && add(q)) n++;
    }
  };
  sample("two-words", () => {
    const words = cut(randomLine().line).filter((w) => w.length >= 2 && CLEAN.test(w));
    const a = words[rand(Math.max(1, words.length))];
    const b = words[rand(Math.max(1, words.length))];
    return a && b && a !== b ? { kind: "two-words", parts: [a, b] } : null;
  });
  sample("cross-boundary", () => {
    const words = cut(randomLine().line);
    const i = rand(Math.max(1, words.length - 1));
    if (!words[i + 1] || words[i].length < 2 || words[i + 1].length < 2) return null;
    const s = words[i].slice(-1) + words[i + 1].slice(0, 1 + rand(words[i + 1].length - 1));
    return CLEAN.test(s) ? { kind: "cross-boundary", parts: [s] } : null;
  });
  sample("traditional", () => {
    const words = cut(randomLine().line).filter((w) => w.length >= 2 && CLEAN.test(w));
    const w = words[rand(Math.max(1, words.length))];
    if (!w || toTraditional(w) === w) return null;
    // Typed in Traditional, normalised like every query: the same literal as its Simplified form.
    return { kind: "traditional", parts: [normalize(toTraditional(w))] };
  });
  const titles = texts.map((t) => t.split("\n")[0]);
  sample("title-fragment", () => {
    const d = rand(texts.length);
    const title = titles[d];
    if (title.length < 8) return null;
    const len = 4 + rand(Math.min(6, title.length - 4));
    const at = rand(title.length - len + 1);
    const s = title.slice(at, at + len);
    if (!CLEAN.test(s)) return null;
    const holders = new Set(titles.filter((t) => t.includes(s)));
    return holders.size === 1 ? { kind: "title-fragment", parts: [s], target: d } : null;
  });
  // The same kinds of words with a filter: an author, or a date range.
  const authors = new Map<string, number>();
  for (const a of articles) for (const x of a.authors) authors.set(x, (authors.get(x) ?? 0) + 1);
  const topAuthors = [...authors].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([x]) => x);
  const plain = out.filter((q) => q.kind === "word-common" || q.kind === "word-medium");
  plain.slice(0, perKind).forEach((q, i) => {
    if (i % 2 === 0 && topAuthors.length) add({ kind: "filtered", parts: q.parts, filter: { author: topAuthors[i % topAuthors.length] } });
    else add({ kind: "filtered", parts: q.parts, filter: { from: `${2012 + (i % 8)}-01-01`, to: `${2015 + (i % 8)}-12-31` } });
  });
  return out;
}

export function passes(a: Article, f: BenchQuery["filter"]): boolean {
  if (!f) return true;
  if (f.author && !a.authors.some((x) => normalize(x) === normalize(f.author!))) return false;
  if (f.from && (!a.date || a.date < f.from)) return false;
  if (f.to && (!a.date || a.date > f.to)) return false;
  return true;
}

/**
 * For each query, the articles (indexes into `texts`) holding every part and
 * passing its filter. A part is in a text when it, or one of its kept
 * regional spellings, is: the normaliser keeps 著 in 著作 and 乾 in 乾隆 (and,
 * where phrases overlap, in 整合著手), and a query 着手 is read as 着手 or
 * 著手 — what the product promises.
 */
export function scanTruth(articles: Article[], texts: string[], queries: BenchQuery[]): number[][] {
  const spellings = queries.map((q) => q.parts.map((p) => [p, ...keptSpellingVariants(p)]));
  return queries.map((q, qi) => {
    const out: number[] = [];
    for (let d = 0; d < texts.length; d++) if (spellings[qi].every((forms) => forms.some((f) => texts[d].includes(f))) && passes(articles[d], q.filter)) out.push(d);
    return out;
  });
}
