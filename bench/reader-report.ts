// `npm run report:readers [-- --index DIR]`: what the reader features do on the
// real corpus (../shared/corpus, or CORPUS_DIR): repost groups (how many, their
// sizes, 20 samples with titles, sources and similarity), suggestion latency
// in process (p50/p95 over several rounds), and the examples of issue 9
// (regional spellings, synonyms, pinyin, did-you-mean). Without --index it
// builds a fresh index of the corpus in a temporary folder first.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { SearchIndex } from "@/lib/search/engine/search-index";
import { runIndex } from "@/lib/search/build/indexer";
import { openIndex } from "@/lib/search/storage/disk-store";
import type { SearchRequest } from "@/lib/search/engine/types";
import { CORPUS_DIR, HAVE_CORPUS, SKIP_REASON } from "../testkit/corpus";

const ROUNDS = 5;
const base: SearchRequest = { q: "", authors: [], sources: [], from: null, to: null, sort: "relevance", page: 1, size: 10 };
const out = (s = "") => process.stdout.write(`${s}\n`);

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function reposts(index: SearchIndex): void {
  const groups = index.repostGroups().sort((a, b) => b.length - a.length || a[0].article.id.localeCompare(b[0].article.id));
  const articles = groups.reduce((n, g) => n + g.length, 0);
  const identical = groups.filter((g) => g.every((m) => m.similarity === 1)).length;
  out(`## Repost groups`);
  out(`${groups.length} groups of two or more articles, holding ${articles} of ${index.size} articles; ${identical} groups have identical bodies by signature (similarity 1.00), ${groups.length - identical} are near-identical.`);
  const bins: Array<[string, (n: number) => boolean]> = [["2", (n) => n === 2], ["3", (n) => n === 3], ["4", (n) => n === 4], ["5–9", (n) => n >= 5 && n <= 9], ["10+", (n) => n >= 10]];
  out(`size distribution: ${bins.map(([label, test]) => `${label}: ${groups.filter((g) => test(g.length)).length}`).join(", ")}; largest ${groups[0]?.length ?? 0}`);
  const sims = groups.flatMap((g) => g.slice(1).map((m) => m.similarity)).sort((a, b) => a - b);
  if (sims.length) out(`member-to-leader similarity: min ${sims[0].toFixed(2)}, p10 ${quantile(sims, 0.1).toFixed(2)}, median ${quantile(sims, 0.5).toFixed(2)}`);
  // 20 samples: the 5 largest, then 15 spread evenly over the rest (near-identical ones included).
  const near = groups.filter((g) => g.some((m) => m.similarity < 1));
  const rest = groups.slice(5);
  const picks = [...groups.slice(0, 5), ...near.slice(0, 5), ...Array.from({ length: 10 }, (_, i) => rest[Math.floor(((i + 0.5) * rest.length) / 10)])].filter(Boolean);
  const seen = new Set<string>();
  let k = 0;
  // Then any others, until there are 20.
  for (const g of [...picks, ...rest]) {
    if (seen.has(g[0].article.id) || k >= 20) continue;
    seen.add(g[0].article.id);
    k++;
    out(`${k}. (${g.length}) ${g.map((m) => `${m.article.title} — ${m.article.source ?? "无来源"} ${m.article.date ?? ""} [${m.similarity.toFixed(2)}]`).slice(0, 4).join(" | ")}${g.length > 4 ? ` | … ${g.length - 4} more` : ""}`);
  }
}

function suggestions(index: SearchIndex): void {
  const prefixes = ["党", "党建", "党建工", "基层", "乡村振", "学习贯彻", "二十", "黨建", "習近", "社区", "教育", "组织", "dang", "dangjian", "dang jian gong zuo", "djgz", "sanhuiyike", "shcj", "xiangcun", "zhutijiaoyu", "x", "xi", "gongchandang", "zz", "jcdj", "总统", "總統府", "國防", "学校", "school"];
  const rounds: number[][] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const times: number[] = [];
    for (const q of prefixes) {
      // Every prefix of the query, as typed one character at a time.
      for (let i = 1; i <= q.length; i++) {
        const t = performance.now();
        index.suggest(q.slice(0, i));
        times.push(performance.now() - t);
      }
    }
    rounds.push(times.sort((a, b) => a - b));
  }
  const p50 = median(rounds.map((t) => quantile(t, 0.5)));
  const p95 = median(rounds.map((t) => quantile(t, 0.95)));
  const max = median(rounds.map((t) => t[t.length - 1]));
  out(`## Suggestions in process`);
  out(`${rounds[0].length} keystrokes (every prefix of ${prefixes.length} queries), ${ROUNDS} rounds: p50 ${p50.toFixed(3)} ms, p95 ${p95.toFixed(3)} ms, max ${max.toFixed(2)} ms (medians over rounds)`);
  for (const q of ["dangjian", "dang jian gong zuo", "djgz", "sanhuiyike", "黨建", "乡村振"]) out(`  ${q} → ${index.suggest(q).slice(0, 5).map((s) => `${s.text} (${s.kind}, ${s.articles})`).join("; ")}`);
}

function examples(index: SearchIndex): void {
  const total = (q: string, group = false) => index.search({ ...base, q, group }).total;
  out(`## Regional spellings, synonyms, did-you-mean (articles, reposts not grouped)`);
  for (const [a, b] of [["计划", "計畫"], ["了解", "瞭解"], ["网络", "網路"], ["软件", "軟體"]]) out(`  ${a}: ${total(a)}, ${b}: ${total(b)}`);
  for (const q of ["二十大", '"二十大"', "三会一课", '"三会一课"', "两学一做", '"两学一做"']) out(`  ${q}: ${total(q)}`);
  for (const q of ["党键工作", "dangjian", "djgz", "sanhuiyike", "dang jian gong zuo"]) {
    const r = index.search({ ...base, q });
    out(`  ${q}: ${r.total} results, didYouMean ${JSON.stringify(r.didYouMean)}${r.didYouMean ? ` (${total(r.didYouMean)} results)` : ""}`);
  }
  const grouped = index.search({ ...base, q: "党建" });
  out(`  党建 grouped: total ${grouped.total} results for ${grouped.totalArticles} articles`);
}

async function main(): Promise<void> {
  if (!HAVE_CORPUS) {
    out(SKIP_REASON);
    return;
  }
  const at = process.argv.indexOf("--index");
  let dir = at > 0 ? process.argv[at + 1] : null;
  let temp: string | null = null;
  if (!dir) {
    temp = mkdtempSync(path.join(os.tmpdir(), "reader-report-"));
    dir = temp;
    const t = performance.now();
    await runIndex({ targets: [CORPUS_DIR], dir, full: true });
    out(`built a fresh index of ${CORPUS_DIR} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  try {
    const index = await openIndex(dir);
    out(`index ${dir}: ${index.size} articles`);
    reposts(index);
    suggestions(index);
    examples(index);
  } finally {
    if (temp) rmSync(temp, { recursive: true, force: true });
  }
}

void main();
