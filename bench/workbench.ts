// npm run bench:workbench — what the researcher's workbench costs on the real
// corpus at ×1 and ×10 (replicated with new ids, as the other benches do):
//   - field (标题:, 正文:, 作者:, 来源:) and NEAR (/10, /s, /p) queries' p50 and
//     p99 beside plain queries of the same words;
//   - trends (one query, and two, by year and by month): p50, p95 and p99 per
//     request, against the bars (≤ 50 ms p95 at ×1, ≤ 250 ms at ×10);
//   - exporting 10,000 rows as CSV and XLSX: seconds and peak memory above
//     what the process held before;
//   - with `--base DIR` (a checkout of the commit before the workbench, its
//     node_modules linked), the same plain queries on that commit's engine
//     over the same generation (saved to a folder, opened by a child process
//     running that checkout's code), run by run in turn with this one's:
//     plain queries must stay where they were.
// Every query runs RUNS times (default 5, `--runs N`), interleaved with the
// base engine's; a query's time is its median, and a set's p50/p99 are over
// those. The engine's results cache is off (RESULT_CACHE_ENTRIES=0): every
// search is computed. Writes docs/bench/workbench.json; `--scales 1` for ×1 only.
process.env.RESULT_CACHE_ENTRIES = "0";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { openIndex, saveGeneration } from "@/lib/search/storage/disk-store";
import type { Article } from "@/lib/content/article";
import { ingest } from "@/lib/content/ingest";
import { buildFull } from "@/lib/search/build/full";
import { parallelSegmenter } from "@/lib/search/build/segmentation-pool";
import type { SearchIndex } from "@/lib/search/engine/search-index";
import type { TrendRequest } from "@/lib/search/engine/trends";
import type { SearchRequest } from "@/lib/search/engine/types";
import { exportResponse, parseExportParams } from "@/lib/search/serving/export";
import { cut } from "@/lib/text/segment";
import { corpusFiles, HAVE_CORPUS, SKIP_REASON } from "../testkit/corpus";
import { sampleQueries, seededRandom } from "../testkit/search-quality";
import { median, quantile } from "./parts/stats";

const argv = process.argv.slice(2);
const opt = (name: string, fallback: string) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : fallback);
const RUNS = Number(opt("runs", "5"));
const SCALES = opt("scales", "1,10").split(",").map(Number);
const BASE_DIR = opt("base", "");
const log = (s: string) => process.stderr.write(`workbench: ${s}\n`);

/** Times a named query set once per call, in this process or in the base checkout's child process. */
interface Timer {
  time(set: string, queries: string[]): Promise<number[]>;
}

const base0 = `{ q: "", authors: [], sources: [], from: null, to: null, sort: "relevance", page: 1, size: 10 }`;

/** The child's code, written into the base checkout (its own engine, its own "@/" paths): opens the generation, times a set per line read. */
const CHILD = `process.env.RESULT_CACHE_ENTRIES = "0";
import { readFileSync } from "node:fs";
import readline from "node:readline";
import { openIndex } from "@/lib/search/storage/disk-store";
async function main() {
  const [dir, file] = process.argv.slice(2);
  const sets = JSON.parse(readFileSync(file, "utf8"));
  const index = await openIndex(dir);
  await index.warmTexts();
  process.stdout.write("ready\\n");
  for await (const line of readline.createInterface({ input: process.stdin })) {
    const times = sets[line.trim()].map((q) => {
      const t = performance.now();
      index.search({ ...${base0}, q });
      return performance.now() - t;
    });
    process.stdout.write(JSON.stringify(times) + "\\n");
  }
}
main();
`;

async function baseTimer(dir: string, genDir: string, sets: Record<string, string[]>): Promise<Timer & { stop(): void }> {
  const file = path.join(genDir, "sets.json");
  writeFileSync(file, JSON.stringify(sets));
  const script = path.join(dir, ".bench-workbench-child.ts");
  writeFileSync(script, CHILD);
  const child = spawn("npx", ["tsx", script, genDir, file], { cwd: dir, stdio: ["pipe", "pipe", "inherit"], env: { ...process.env, NODE_OPTIONS: "--max-old-space-size=16384" } });
  const lines = readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async () => String((await lines.next()).value);
  if ((await next()) !== "ready") throw new Error("workbench: the base engine did not start");
  return {
    async time(set) {
      child.stdin!.write(`${set}\n`);
      return JSON.parse(await next()) as number[];
    },
    stop: () => {
      child.kill();
      rmSync(script, { force: true });
    },
  };
}

function localTimer(index: SearchIndex): Timer {
  return {
    time: async (_set, queries) =>
      queries.map((q) => {
        const t = performance.now();
        index.search({ ...base, q });
        return performance.now() - t;
      }),
  };
}

const base: SearchRequest = { q: "", authors: [], sources: [], from: null, to: null, sort: "relevance", page: 1, size: 10 };

/** The query sets: plain words and the same words by field, and NEAR pairs (words a few apart in a paragraph) beside the same pairs plain. */
function querySets(index: SearchIndex, articles: Article[]) {
  const rand = seededRandom(31);
  const words = [...new Set(sampleQueries(index, 40).filter((s) => s.kind === "word" || s.kind === "traditional").map((s) => s.q))].slice(0, 60);
  const authors = [...new Set(articles.flatMap((a) => a.authors))].filter((a) => /^\p{Script=Han}{2,4}$/u.test(a));
  const sources = [...new Set(articles.map((a) => a.source).filter((s): s is string => !!s && /^\p{Script=Han}{2,12}$/u.test(s)))];
  const pairs: Array<[string, string]> = [];
  for (let k = 0; pairs.length < 60 && k < 5000; k++) {
    const a = articles[rand(articles.length)];
    const p = a.paragraphs.find((x) => x.length >= 60);
    const w = p ? cut(p).filter((x) => x.length >= 2 && /^\p{Script=Han}+$/u.test(x)) : [];
    if (w.length >= 6) pairs.push([w[1], w[4]]);
  }
  return {
    plain: words,
    "标题:": words.map((w) => `标题:${w}`),
    "正文:": words.map((w) => `正文:${w}`),
    "作者:": Array.from({ length: 40 }, () => `作者:${authors[rand(authors.length)]}`),
    "来源:": Array.from({ length: 40 }, () => `来源:${sources[rand(sources.length)]}`),
    "plain pairs": pairs.map(([a, b]) => `${a} ${b}`),
    "NEAR/10": pairs.map(([a, b]) => `${a} NEAR/10 ${b}`),
    "NEAR/s": pairs.map(([a, b]) => `${a} NEAR/s ${b}`),
    "NEAR/p": pairs.map(([a, b]) => `${a} NEAR/p ${b}`),
  };
}

/** Each query's median over RUNS runs, the timers taking turns run by run (alternating which goes first). */
async function timeQueries(timers: Timer[], set: string, queries: string[]): Promise<number[][]> {
  const times = timers.map(() => queries.map(() => [] as number[]));
  for (let r = 0; r < RUNS; r++) {
    const order = r % 2 === 0 ? timers.map((_, k) => k) : timers.map((_, k) => timers.length - 1 - k);
    for (const k of order) (await timers[k].time(set, queries)).forEach((ms, i) => times[k][i].push(ms));
  }
  return times.map((perQuery) => perQuery.map(median));
}

const summary = (ms: number[]) => ({ p50: +quantile(ms, 0.5).toFixed(3), p95: +quantile(ms, 0.95).toFixed(3), p99: +quantile(ms, 0.99).toFixed(3), max: +Math.max(...ms).toFixed(3) });

function trendRequests(words: string[]): TrendRequest[] {
  const one = (queries: string[], by: "year" | "month"): TrendRequest => ({ queries, by, authors: [], sources: [], from: null, to: null });
  const out: TrendRequest[] = [];
  for (let i = 0; i < 20; i++) out.push(one([words[i]], i % 2 ? "month" : "year"));
  for (let i = 20; i + 1 < 40; i += 2) out.push(one([words[i], words[i + 1]], "year"));
  out.push(one(["新质生产力", "高质量发展"], "year"), one(["党建"], "month"), one(["党的建设 | 党建"], "year"), one(["标题:党建"], "year"));
  return out;
}

async function exportRun(index: SearchIndex, format: "csv" | "xlsx") {
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const t = performance.now();
  const { body } = await exportResponse(index, parseExportParams(new URLSearchParams(`q=&group=0&format=${format}`)), "https://dj.example", new Date());
  let bytes = 0;
  const reader = body.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    bytes += r.value.byteLength;
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  clearInterval(sampler);
  return { seconds: (performance.now() - t) / 1000, bytes, peakMbAbove: (peak - before) / 1e6 };
}

async function main() {
  if (!HAVE_CORPUS) {
    console.log(SKIP_REASON);
    return;
  }
  const { articles: one } = await ingest(corpusFiles());
  const results: Record<string, unknown> = { runs: RUNS, date: new Date().toISOString(), base: BASE_DIR || null };
  for (const scale of SCALES) {
    const articles: Article[] = [];
    for (let k = 0; k < scale; k++) for (const a of one) articles.push(k === 0 ? a : { ...a, id: `${a.id}~r${k}` });
    log(`×${scale}: building ${articles.length} articles`);
    const gen = await buildFull(articles, parallelSegmenter());
    // Searched as a server loads it (from a saved folder, bodies read from the generation's file), and so is the base's.
    const genDir = mkdtempSync(path.join(os.tmpdir(), "bench-workbench-"));
    await saveGeneration(genDir, gen);
    const index = await openIndex(genDir);
    await index.warmTexts();
    const sets = querySets(index, articles);
    const old = BASE_DIR ? await baseTimer(BASE_DIR, genDir, sets) : null;
    const queries: Record<string, unknown> = {};
    for (const [name, qs] of Object.entries(sets)) {
      const withBase = old && (name === "plain" || name === "plain pairs");
      const [now, before] = await timeQueries(withBase ? [localTimer(index), old] : [localTimer(index)], name, qs);
      queries[name] = { n: qs.length, ...summary(now), ...(before ? { base: summary(before), ratioP50: +(quantile(now, 0.5) / quantile(before, 0.5)).toFixed(3), ratioP99: +(quantile(now, 0.99) / quantile(before, 0.99)).toFixed(3) } : {}) };
      log(`×${scale} ${name}: ${JSON.stringify(queries[name])}`);
    }
    old?.stop();
    const trendReqs = trendRequests(sets.plain);
    const trendTimes = trendReqs.map(() => [] as number[]);
    for (let r = 0; r < RUNS; r++)
      trendReqs.forEach((req, i) => {
        const t = performance.now();
        index.trends(req);
        trendTimes[i].push(performance.now() - t);
      });
    const perRequest = trendTimes.map(median);
    const perQuery = trendReqs.map((req, i) => perRequest[i] / req.queries.length);
    const slowest = trendReqs.map((req, i) => ({ queries: req.queries, by: req.by, ms: +perRequest[i].toFixed(2) })).sort((a, b) => b.ms - a.ms).slice(0, 3);
    const trends = { requests: trendReqs.length, perRequest: summary(perRequest), perQuery: summary(perQuery), slowest, bar: scale === 1 ? 50 : 250 };
    log(`×${scale} trends: ${JSON.stringify(trends)}`);
    const exports = { csv: await exportRun(index, "csv"), xlsx: await exportRun(index, "xlsx") };
    log(`×${scale} export 10,000 rows: ${JSON.stringify(exports)}`);
    results[`x${scale}`] = { articles: articles.length, queries, trends, exports };
    rmSync(genDir, { recursive: true, force: true });
  }
  mkdirSync("docs/bench", { recursive: true });
  writeFileSync("docs/bench/workbench.json", `${JSON.stringify(results, null, 2)}\n`);
  console.log(JSON.stringify(results, null, 2));
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
