// `npm run bench:answers`: the proof that a change left every answer as it
// was. Builds the real corpus (×scale, replicated with new ids as the bench
// does) into the memory store or PostgreSQL, loads it as a server does (lean
// from PostgreSQL), answers a fixed request set — seeded corpus queries of
// every kind, the mixed shapes a new user types, exclusions, ORs, filters,
// sorts, pages, grouping — plus reading views, suggestions and did-you-mean,
// and prints one hash per part and one for all. Run it before and after a
// change: equal hashes mean equal full responses (timing left out).
// Options: --scale N (default 1), --backend memory|postgres (default memory),
// --out FILE (also writes the whole dump as JSON, to diff when hashes differ).
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Article } from "@/lib/content/article";
import { ingest } from "@/lib/content/ingest";
import { searchableText } from "@/lib/search/formats/article-record";
import type { SearchIndex } from "@/lib/search/engine/search-index";
import { buildFull } from "@/lib/search/build/full";
import { loadGenerationPg, pool, saveGenerationPg } from "@/lib/search/storage/postgres-store";
import { parallelSegmenter } from "@/lib/search/build/segmentation-pool";
import { openIndex, saveGeneration } from "@/lib/search/storage/disk-store";
import type { SearchRequest } from "@/lib/search/engine/types";
import { HAVE_CORPUS, SKIP_REASON, corpusFiles } from "../testkit/corpus";
import { sampleQueries, seededRandom } from "../testkit/search-quality";
import { startPostgres } from "../testkit/postgres";

const argv = process.argv.slice(2);
const opt = (name: string, fallback: string) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : fallback);
const scale = Number(opt("scale", "1"));
const backend = opt("backend", "memory");
const out = opt("out", "");
const log = (s: string) => process.stderr.write(`answers: ${s}\n`);

const base: SearchRequest = { q: "", authors: [], sources: [], from: null, to: null, sort: "relevance", page: 1, size: 10 };

/** What a new user types that is not a Chinese word: Latin, digits, dates, single and stop characters, long ORs, operators. */
const MIXED = [
  "10", "2019", "2020年", "2023年 工作总结", "iPhone", "100%", "com", "near", "a b c d", "1 2 3 4 5 6 7 8",
  "党建 NEAR/10 创新", "的", "了", "是", "在", "之", "黨", "习近平新时代中国特色社会主义思想",
  "党建 | 创新 | 学习 | 教育 | 组织 | 纪律 | 作风 | 廉政", "标题:党建", "作者:张三", "「全面從嚴治黨」", "“两学一做”",
  "-党建", "学习 -教育 -党员", "ＡＩ", "ai", "dangjian", "党键工作", "计划", "計畫", "网络", "二十大", "<script>", "%", "\"\"", "OR", "|",
];

function requests(articles: Article[], authors: string[], sources: string[]): SearchRequest[] {
  const rand = seededRandom(20261206);
  // Drawn from the articles as a memory index holds them (its articles, their normalised texts), so that a lean index gets the same requests.
  const byId = new Map(articles.map((a) => [a.id, a]));
  const held = { articles, normalizedText: (id: string) => searchableText(byId.get(id)!) } as unknown as SearchIndex;
  const sampled = sampleQueries(held, 12).map((s) => s.q);
  const reqs: SearchRequest[] = [];
  // The did-you-mean queries find little or nothing: their answers carry the proposal.
  for (const q of [...sampled, ...MIXED, ...DID_YOU_MEAN]) reqs.push({ ...base, q });
  // Each sampled query again in another shape: filtered, sorted, paged, ungrouped, with an exclusion or an OR.
  for (let i = 0; i < sampled.length; i++) {
    const q = sampled[i];
    const other = sampled[(i + 7) % sampled.length];
    switch (i % 8) {
      case 0: reqs.push({ ...base, q, authors: [authors[rand(authors.length)]] }); break;
      case 1: reqs.push({ ...base, q, sources: [sources[rand(sources.length)]] }); break;
      case 2: reqs.push({ ...base, q, from: "2015-01-01", to: "2020-12-31", sort: "newest" }); break;
      case 3: reqs.push({ ...base, q, sort: "oldest", page: 2, size: 7 }); break;
      case 4: reqs.push({ ...base, q, group: false, size: 50 }); break;
      case 5: reqs.push({ ...base, q: `${q} -${other}` }); break;
      case 6: reqs.push({ ...base, q: `${q} | ${other}` }); break;
      default: reqs.push({ ...base, q: `"${q}" ${other}`, size: 20 });
    }
  }
  reqs.push({ ...base }, { ...base, sort: "newest", size: 100 }, { ...base, from: "2019-01-01", to: "2019-12-31", sort: "oldest" });
  reqs.push({ ...base, q: "", authors: authors.slice(0, 3) }, { ...base, q: "党", page: 50, size: 100 });
  return reqs;
}

const SUGGEST = ["党", "党建", "学", "社区", "支部", "黨", "dang", "dangjian", "xuexi", "dj", "zb", "sq", "d", "三", "乡村", "2020", "i", "黨建工"];
const DID_YOU_MEAN = ["党键工作", "dangjian", "xuexi jiaoyu", "社去", "支布书记", "zzzz"];

async function load(articles: Article[]): Promise<{ index: SearchIndex; close: () => Promise<void> }> {
  const gen = await buildFull(articles, parallelSegmenter());
  if (backend === "postgres") {
    const pg = await startPostgres();
    const db = pool(await pg.database("answers"));
    await saveGenerationPg(db, gen);
    const index = (await loadGenerationPg(db, { lean: true })).index;
    await index.warmSuggestions();
    return { index, close: async () => { await db.end(); pg.stop(); } };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "answers-"));
  await saveGeneration(dir, gen);
  const index = await openIndex(dir);
  await index.warmTexts();
  await index.warmSuggestions();
  return { index, close: async () => rmSync(dir, { recursive: true, force: true }) };
}

const hash = (x: unknown) => createHash("sha256").update(JSON.stringify(x)).digest("hex").slice(0, 16);

(async () => {
  if (!HAVE_CORPUS) {
    log(SKIP_REASON);
    return;
  }
  const { articles: one } = await ingest(corpusFiles());
  const articles: Article[] = [];
  for (let k = 0; k < scale; k++) for (const a of one) articles.push(k === 0 ? a : { ...a, id: `${a.id}~r${k}` });
  log(`${articles.length} articles, ${backend}`);
  const t = performance.now();
  const { index, close } = await load(articles);
  log(`built and loaded in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const rand = seededRandom(7);
  const ids = Array.from({ length: 200 }, () => articles[rand(articles.length)].id);
  const authors = [...new Set(articles.slice(0, 3000).flatMap((a) => a.authors ?? []))].sort();
  const sources = [...new Set(articles.slice(0, 3000).map((a) => a.source).filter((s): s is string => !!s))].sort();
  const reqs = requests(articles, authors, sources);
  const dump = {
    searches: [] as unknown[],
    articles: [] as unknown[],
    suggestions: [] as unknown[],
    vocabulary: index.vocabularyDigest(),
  };
  for (const r of reqs) dump.searches.push({ ...(await index.searchAsync(r)), tookMs: 0 });
  for (const id of ids) dump.articles.push(await index.getAsync(id, "党建 学习"));
  for (const q of SUGGEST) dump.suggestions.push(await index.suggestAsync(q));
  await close();
  if (out) writeFileSync(out, JSON.stringify(dump));
  const found = dump.searches.filter((s) => (s as { total: number }).total > 0).length;
  process.stdout.write(
    `scale ${scale} ${backend}: ${reqs.length} searches (${found} find articles), ${ids.length} reading views, ${SUGGEST.length} suggestion prefixes\n` +
      Object.entries(dump).map(([k, v]) => `  ${k.padEnd(12)} ${hash(v)}\n`).join("") +
      `  all          ${hash(dump)}\n`,
  );
})().catch((e) => {
  process.stderr.write(`answers: ${e instanceof Error ? e.stack : e}\n`);
  process.exit(1);
});
