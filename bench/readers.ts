// `npm run bench:readers [-- --base <commit>] [-- --runs N]`: what the reader
// features (regional spellings, synonyms, repost groups, key terms, related
// articles, vocabulary with pinyin) cost, measured against the commit before
// them (default 5ca14e6) checked out beside this tree, in the same run and
// alternating: full index build of the corpus (wall time of `npm run index --
// --full`), index size, engine latency of fixed exact queries, and suggestion
// latency in process. Needs ../shared/corpus (or CORPUS_DIR).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { openIndex } from "@/lib/search/storage/disk-store";
import { CORPUS_DIR, HAVE_CORPUS } from "../testkit/corpus";
import { dirBytes, fmt, median, quantile } from "./parts/stats";

const args = process.argv.slice(2);
const BASE = args.includes("--base") ? args[args.indexOf("--base") + 1] : "5ca14e6";
const RUNS = Number(args.includes("--runs") ? args[args.indexOf("--runs") + 1] : 3);
const log = (s: string) => process.stderr.write(`${s}\n`);
const out = (s = "") => process.stdout.write(`${s}\n`);

function run(cwd: string, argv: string[], env: Record<string, string>): { out: string; ms: number } {
  const t = performance.now();
  const o = execFileSync(process.execPath, argv, { cwd, env: { ...process.env, GLIBC_TUNABLES: "glibc.malloc.hugetlb=1", ...env }, encoding: "utf8", maxBuffer: 64 << 20 });
  return { out: o, ms: performance.now() - t };
}

interface Tree {
  name: string;
  root: string;
  index: string;
  builds: number[];
  bytes: number;
  query: { p50: number[]; p95: number[]; open: number[] };
}

async function main(): Promise<void> {
  if (!HAVE_CORPUS) {
    log(`bench:readers: no corpus at ${CORPUS_DIR}; set CORPUS_DIR`);
    process.exit(2);
  }
  const work = mkdtempSync(path.join(os.tmpdir(), "bench-readers-"));
  const baseRoot = path.join(work, "base");
  try {
    execFileSync("git", ["worktree", "add", "--detach", baseRoot, BASE], { stdio: "ignore" });
    symlinkSync(path.join(process.cwd(), "node_modules"), path.join(baseRoot, "node_modules"));
    const trees: Tree[] = [
      { name: `before (${BASE})`, root: baseRoot, index: path.join(work, "index-base"), builds: [], bytes: 0, query: { p50: [], p95: [], open: [] } },
      { name: "with reader features", root: process.cwd(), index: path.join(work, "index-new"), builds: [], bytes: 0, query: { p50: [], p95: [], open: [] } },
    ];
    for (let r = 0; r < RUNS; r++) {
      for (const t of trees) {
        rmSync(t.index, { recursive: true, force: true });
        const b = run(t.root, ["--import", "tsx", "scripts/index.ts", "--full", CORPUS_DIR], { INDEX_DIR: t.index });
        t.builds.push(b.ms / 1000);
        log(`${t.name}: build ${fmt(b.ms / 1000, 1)} s`);
        const probe = JSON.parse(run(t.root, ["--import", "tsx", path.join(process.cwd(), "bench/parts/readers-probe.ts")], { INDEX_DIR: t.index }).out) as { openMs: number; perRound: number[][] };
        t.query.p50.push(median(probe.perRound.map((x) => median(x))));
        t.query.p95.push(median(probe.perRound.map((x) => quantile(x, 0.95))));
        t.query.open.push(probe.openMs / 1000);
      }
    }
    for (const t of trees) t.bytes = await dirBytes(t.index);
    const [before, after] = trees;
    out(`## Reader features: cost against ${BASE} (corpus, ${RUNS} alternating runs, medians)`);
    out("");
    out("| | full build (s) | index size (MB) | open index (s) | exact query p50 (ms) | exact query p95 (ms) |");
    out("|---|---|---|---|---|---|");
    for (const t of trees) out(`| ${t.name} | ${fmt(median(t.builds), 1)} | ${fmt(t.bytes / 2 ** 20, 1)} | ${fmt(median(t.query.open), 2)} | ${fmt(median(t.query.p50), 3)} | ${fmt(median(t.query.p95), 3)} |`);
    out(`| ratio | ${fmt(median(after.builds) / median(before.builds), 2)}× | ${fmt(after.bytes / before.bytes, 2)}× | ${fmt(median(after.query.open) / median(before.query.open), 2)}× | ${fmt(median(after.query.p50) / median(before.query.p50), 2)}× | ${fmt(median(after.query.p95) / median(before.query.p95), 2)}× |`);
    out(`builds: before ${before.builds.map((b) => fmt(b, 1)).join(", ")} s; after ${after.builds.map((b) => fmt(b, 1)).join(", ")} s`);
    // Suggestions, in this process, on the new index.
    const index = await openIndex(after.index);
    await index.warmSuggestions();
    const prefixes = ["党", "党建", "党建工", "基层", "乡村振", "学习贯彻", "二十", "黨建", "習近", "社区", "dang", "dangjian", "dang jian gong zuo", "djgz", "sanhuiyike", "xiangcun", "x", "zz", "总统", "學校"];
    const rounds: number[][] = [];
    for (let r = 0; r < 7; r++) {
      const times: number[] = [];
      for (const q of prefixes) for (let i = 1; i <= q.length; i++) {
        const s = performance.now();
        index.suggest(q.slice(0, i));
        times.push(performance.now() - s);
      }
      rounds.push(times);
    }
    out(`suggestions in process: ${rounds[0].length} keystrokes × 7 rounds: p50 ${fmt(median(rounds.map((x) => median(x))), 3)} ms, p95 ${fmt(median(rounds.map((x) => quantile(x, 0.95))), 3)} ms`);
  } finally {
    execFileSync("git", ["worktree", "remove", "--force", baseRoot], { stdio: "ignore" });
    if (existsSync(work)) rmSync(work, { recursive: true, force: true });
  }
}

void main();
