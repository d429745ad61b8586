// Measures the generic HTML importer against the corpus's site-specific
// extraction (../shared/corpus/dangjian-pages.jsonl). Shared by the corpus
// test and by `npx tsx tests/corpus/html-quality.ts` for a quick report.
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { toPreview, type ArticlePreview } from "@/lib/content/article";
import { ingest } from "@/lib/content/ingest";
import { isPlaceholderAuthor } from "@/lib/content/metadata";

import { CORPUS_DIR } from "../../testkit/corpus";

interface Expected {
  id: string;
  title: string | null;
  author: string | null;
  source: string | null;
  date: string | null;
  body: string | null;
  raw: string;
}

/** Character-level F1 over the multiset of non-space characters. */
export function charF1(expected: string, actual: string): number {
  const count = (s: string) => {
    const m = new Map<string, number>();
    for (const ch of s.replace(/\s+/gu, "")) m.set(ch, (m.get(ch) ?? 0) + 1);
    return m;
  };
  const e = count(expected);
  const a = count(actual);
  let overlap = 0;
  let eTotal = 0;
  let aTotal = 0;
  for (const n of e.values()) eTotal += n;
  for (const n of a.values()) aTotal += n;
  for (const [ch, n] of e) overlap += Math.min(n, a.get(ch) ?? 0);
  if (eTotal === 0 && aTotal === 0) return 1;
  if (overlap === 0) return 0;
  const p = overlap / aTotal;
  const r = overlap / eTotal;
  return (2 * p * r) / (p + r);
}

/** A real person's name, not a CMS user name or placeholder. */
function isRealName(author: string | null): author is string {
  return !!author && !isPlaceholderAuthor(author) && /^\p{Script=Han}{2,4}$/u.test(author) && !/推荐|记者|委员|中心|网|部/u.test(author);
}

function quantile(sorted: number[], q: number): number {
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (i - lo);
}

export interface HtmlQuality {
  pages: number;
  ingested: number;
  errors: string[];
  title: number;
  date: number;
  source: number;
  sourceOf: number;
  author: number;
  authorOf: number;
  bodyMedian: number;
  bodyP10: number;
  misses: Record<string, string[]>;
}

export async function measureHtmlQuality(): Promise<HtmlQuality> {
  const lines = (await fs.readFile(path.join(CORPUS_DIR, "dangjian-pages.jsonl"), "utf8")).split("\n").filter(Boolean);
  const expected = lines.map((l) => JSON.parse(l) as Expected);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "dangjian-pages-"));
  try {
    await Promise.all(expected.map((e) => fs.writeFile(path.join(dir, `${e.id}.html`), e.raw)));
    const result = await ingest([dir]);
    const got = new Map<string, ArticlePreview>(result.articles.map((a) => [a.id, toPreview(a)]));
    let title = 0, date = 0, source = 0, sourceOf = 0, author = 0, authorOf = 0;
    const f1s: number[] = [];
    const misses: Record<string, string[]> = { title: [], date: [], source: [], author: [], body: [] };
    for (const e of expected) {
      const a = got.get(e.id);
      if (a?.title === e.title) title++;
      else misses.title.push(`${e.id}: want ${e.title} got ${a?.title}`);
      if (a?.date === e.date) date++;
      else misses.date.push(`${e.id}: want ${e.date} got ${a?.date}`);
      if (e.source !== null) {
        sourceOf++;
        if (a?.source === e.source) source++;
        else misses.source.push(`${e.id}: want ${e.source} got ${a?.source}`);
      }
      if (isRealName(e.author)) {
        authorOf++;
        if (a?.author === e.author) author++;
        else misses.author.push(`${e.id}: want ${e.author} got ${a?.author}`);
      }
      const f1 = charF1(e.body ?? "", a?.body ?? "");
      f1s.push(f1);
      if (f1 < 0.9) misses.body.push(`${e.id}: F1 ${f1.toFixed(3)}`);
    }
    f1s.sort((x, y) => x - y);
    return {
      pages: expected.length,
      ingested: result.articles.length,
      errors: result.errors.map((p) => `${p.file}: ${p.message}`),
      title: title / expected.length,
      date: date / expected.length,
      source: sourceOf ? source / sourceOf : 1,
      sourceOf,
      author: authorOf ? author / authorOf : 1,
      authorOf,
      bodyMedian: quantile(f1s, 0.5),
      bodyP10: quantile(f1s, 0.1),
      misses,
    };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

export function formatHtmlQuality(q: HtmlQuality): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  return (
    `HTML importer on ${q.pages} real pages (${q.ingested} ingested, ${q.errors.length} errors): ` +
    `title exact ${pct(q.title)}, date exact ${pct(q.date)}, source exact ${pct(q.source)} of ${q.sourceOf}, ` +
    `author exact ${pct(q.author)} of ${q.authorOf} real names, body char-F1 median ${q.bodyMedian.toFixed(3)}, p10 ${q.bodyP10.toFixed(3)}`
  );
}

if (process.argv[1] && process.argv[1].endsWith("html-quality.ts")) {
  measureHtmlQuality().then((q) => {
    console.log(formatHtmlQuality(q));
    for (const [k, v] of Object.entries(q.misses)) console.log(k, v.length, v.slice(0, 12));
    console.log(q.errors.slice(0, 10));
  });
}
