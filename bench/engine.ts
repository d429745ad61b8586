// `npm run bench:engine`: the project's engine on the real corpus
// (../shared/corpus or CORPUS_DIR): end-to-end index build speed, index size,
// cold start and memory of a fresh process and of the production server, and
// per-query latency (with snippets) over a fixed, seeded query set.
// Options: --runs N (build, cold-start and incremental repetitions, default 3), --scales 1,3 (incremental), --json.
import { execFileSync } from "node:child_process";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { openIndex } from "@/lib/search/storage/disk-store";
import type { SearchRequest } from "@/lib/search/engine/types";
import { loadQuerySegmenter } from "@/lib/text/segment";
import { warmNormalizer } from "@/lib/text/normalize";
import { CORPUS_DIR, HAVE_CORPUS, corpusFiles } from "../testkit/corpus";
import { sampleQueries } from "../testkit/search-quality";
import { startProductionServer } from "../testkit/production-server";
import { incrementalBench, incrementalTable } from "./parts/incremental";
import { dirBytes, fmt, median, quantile } from "./parts/stats";

const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf("--runs") + 1]) || 3;
const JSON_OUT = args.includes("--json");
const SCALES = (args.includes("--scales") ? args[args.indexOf("--scales") + 1] : "1,3").split(",").map(Number);
const log = (s: string) => process.stderr.write(`${s}\n`);

function tsx(script: string, scriptArgs: string[], env: Record<string, string>): { out: string; ms: number } {
  const t = performance.now();
  // As the npm scripts run it (package.json asks glibc for huge pages for the index command).
  const out = execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", script, ...scriptArgs], { env: { ...process.env, GLIBC_TUNABLES: "glibc.malloc.hugetlb=1", ...env }, encoding: "utf8", maxBuffer: 256 << 20 });
  return { out, ms: performance.now() - t };
}

async function serverColdStart(dir: string): Promise<{ readyMs: number; rssMB: number }> {
  const server = await startProductionServer(dir, { cluster: false });
  try {
    return { readyMs: server.readyMs, rssMB: server.rssMB() };
  } finally {
    server.stop();
  }
}

async function main() {
  if (!HAVE_CORPUS) {
    log(`bench: no corpus at ${CORPUS_DIR}; set CORPUS_DIR`);
    process.exit(2);
  }
  const dir = path.join(os.tmpdir(), `bench-index-${process.pid}`);
  const env = { INDEX_DIR: dir };

  // 1. End-to-end build: read and clean the JSONL, normalise, segment, index, write.
  const builds: number[] = [];
  let summary = "";
  for (let i = 0; i < RUNS; i++) {
    const r = tsx("scripts/index.ts", ["--full", ...corpusFiles()], env);
    builds.push(r.ms / 1000);
    summary = r.out.trim();
    log(`bench: build ${i + 1}/${RUNS}: ${fmt(r.ms / 1000, 1)} s`);
  }
  const current = (await fs.readFile(path.join(dir, "CURRENT"), "utf8")).trim();
  const bytesOnDisk = await dirBytes(path.join(dir, "builds", current));

  // 2. Cold start of a fresh process: start → first answer.
  const colds: Array<{ warmMs: number; loadMs: number; firstQueryMs: number; rssMB: number; uptimeMs: number }> = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const out = JSON.parse(tsx("bench/parts/cold-start.ts", ["党建"], env).out);
    colds.push({ ...out, wallMs: performance.now() - t });
  }
  const server = [];
  for (let i = 0; i < RUNS; i++) server.push(await serverColdStart(dir));

  // 3. Latency in process over a fixed query set, with snippets (size 10).
  loadQuerySegmenter();
  warmNormalizer();
  const index = await openIndex(dir);
  const sampled = sampleQueries(index, 30).filter((q) => q.kind !== "title-fragment" || true);
  const base: Omit<SearchRequest, "q"> = { authors: [], sources: [], from: null, to: null, sort: "relevance", page: 1, size: 10 };
  const requests: Array<{ kind: string; req: SearchRequest }> = sampled.map((s) => ({ kind: s.kind, req: { ...base, q: s.q } }));
  // Phrases and filtered variants of the same queries.
  for (const s of sampled.filter((x) => x.kind === "substring").slice(0, 30)) requests.push({ kind: "phrase", req: { ...base, q: `"${s.q}"` } });
  const authors = index.search({ ...base, q: "", size: 1 }).facets.authors.slice(0, 20).map((a) => a.value);
  sampled.filter((x) => x.kind === "word").slice(0, 15).forEach((s, i) => requests.push({ kind: "filtered", req: { ...base, q: s.q, from: "2015", to: "2022-06" } }));
  sampled.filter((x) => x.kind === "word").slice(15, 30).forEach((s, i) => requests.push({ kind: "filtered", req: { ...base, q: s.q, authors: [authors[i % authors.length]] } }));
  // searchWithDocs: a full results page run every time, as bench/compare.ts times it (search() keeps recent pages,
  // and from the second run on this loop timed the results cache: 0.00 ms).
  for (const r of requests) index.searchWithDocs(r.req); // warm-up
  const perQuery: Array<{ kind: string; ms: number }> = [];
  for (const r of requests) {
    const times: number[] = [];
    for (let k = 0; k < 5; k++) {
      const t = performance.now();
      index.searchWithDocs(r.req);
      times.push(performance.now() - t);
    }
    perQuery.push({ kind: r.kind, ms: median(times) });
  }
  const all = perQuery.map((p) => p.ms);
  // Suggestions as typed: every prefix of words, titles, pinyin and initials, median of 5 runs each.
  await index.warmSuggestions();
  const suggestTimes: number[] = [];
  const typed = ["党建工作", "乡村振兴", "學習貫徹", "二十大", "dangjian", "dang jian gong zuo", "djgz", "sanhuiyike", "xiangcun", ...sampled.filter((x) => x.kind === "word").slice(0, 20).map((x) => x.q)];
  for (const q of typed)
    for (let i = 1; i <= q.length; i++) {
      const times: number[] = [];
      for (let k = 0; k < 5; k++) {
        const t = performance.now();
        index.suggest(q.slice(0, i));
        times.push(performance.now() - t);
      }
      suggestTimes.push(median(times));
    }
  const kinds = [...new Set(perQuery.map((p) => p.kind))];
  const articles = index.size;
  const utf8 = index.articles.reduce((n, a, doc) => n + Buffer.byteLength(a.title) + index.body(doc).reduce((k, p) => k + Buffer.byteLength(p) + 1, 0), 0);
  const result = {
    corpus: { articles, chars: index.manifest.chars, utf8Bytes: utf8 },
    build: { runs: builds, medianSeconds: median(builds), mbPerSecond: utf8 / 1e6 / median(builds), summary },
    indexBytes: bytesOnDisk,
    coldStart: {
      processMs: median(colds.map((c) => (c as unknown as { wallMs: number }).wallMs)),
      loadMs: median(colds.map((c) => c.loadMs)),
      warmMs: median(colds.map((c) => c.warmMs)),
      processRssMB: median(colds.map((c) => c.rssMB)),
      serverMs: median(server.map((s) => s.readyMs)),
      serverRssMB: median(server.map((s) => s.rssMB)),
    },
    latency: {
      queries: perQuery.length,
      p50: quantile(all, 0.5),
      p95: quantile(all, 0.95),
      p99: quantile(all, 0.99),
      max: Math.max(...all),
      byKind: Object.fromEntries(kinds.map((k) => {
        const v = perQuery.filter((p) => p.kind === k).map((p) => p.ms);
        return [k, { n: v.length, p50: quantile(v, 0.5), p99: quantile(v, 0.99) }];
      })),
    },
    suggest: { keystrokes: suggestTimes.length, p50: quantile(suggestTimes, 0.5), p95: quantile(suggestTimes, 0.95), max: Math.max(...suggestTimes) },
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
    date: new Date().toISOString().slice(0, 10),
  };
  await fs.rm(dir, { recursive: true, force: true });

  // 4. Incremental index runs against a full build, ×1 and ×3.
  const incremental = await incrementalBench(SCALES, RUNS, log);
  (result as Record<string, unknown>).incremental = incremental;
  if (JSON_OUT) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const c = result.coldStart;
  const lines = [
    `Engine benchmark, ${result.date}, ${result.machine}`,
    `Corpus: ${articles} articles, ${(result.corpus.chars / 1e6).toFixed(1)}M characters (${(utf8 / 1e6).toFixed(1)} MB UTF-8)`,
    "",
    "| measure | median of runs | target |",
    "|---|---|---|",
    `| index build, end to end (read JSONL → written index) | ${fmt(result.build.medianSeconds, 1)} s (${builds.map((b) => fmt(b, 1)).join(", ")}) | |`,
    `| build speed | ${fmt(result.build.mbPerSecond, 1)} MB/s of text | ≥ 3 MB/s |`,
    `| index size on disk | ${fmt(bytesOnDisk / 1e6, 1)} MB | |`,
    `| cold start, fresh process → first answer | ${fmt(c.processMs / 1000, 2)} s (jieba + tables ${fmt(c.warmMs / 1000, 2)} s, index ${fmt(c.loadMs / 1000, 2)} s) | ≤ 3 s |`,
    `| cold start, next start → first /api/search answer | ${fmt(c.serverMs / 1000, 2)} s | ≤ 3 s |`,
    `| RSS after load: fresh process / production server | ${fmt(c.processRssMB, 0)} MB / ${fmt(c.serverRssMB, 0)} MB | ≤ 1.5 GB |`,
    `| query latency p50 / p95 / p99 (${perQuery.length} queries, median of 5 runs each, with snippets) | ${fmt(result.latency.p50)} / ${fmt(result.latency.p95)} / ${fmt(result.latency.p99)} ms (max ${fmt(result.latency.max)}) | p50 ≤ 2, p99 ≤ 20 ms |`,
    `| suggestions as typed, in process (${result.suggest.keystrokes} keystrokes) p50 / p95 | ${fmt(result.suggest.p50, 3)} / ${fmt(result.suggest.p95, 3)} ms (max ${fmt(result.suggest.max, 2)}) | p95 ≤ 5 ms |`,
    "",
    "What the reader features cost in build time and index size against the commit before them: `npm run bench:readers`.",
    "",
    "| query kind | n | p50 ms | p99 ms |",
    "|---|---|---|---|",
    ...Object.entries(result.latency.byKind).map(([k, v]) => `| ${k} | ${v.n} | ${fmt(v.p50)} | ${fmt(v.p99)} |`),
    "",
    `Index build output: ${summary.replace(/\n/gu, " / ")}`,
    "",
    "Incremental index runs (`npm run index` after one change; corpus replicated ×scale with new ids):",
    "",
    ...incrementalTable(incremental),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

main().catch((e) => {
  log(`bench: ${(e as Error).stack ?? e}`);
  process.exit(1);
});
