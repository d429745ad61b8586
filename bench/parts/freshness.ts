// Freshness: a file landed in the content folder → searchable, through the
// real pieces (`npm start` over the index, `npm run index -- --watch` beside
// it), on the corpus replicated ×scale. Each change is one Markdown article
// added, changed or deleted (in turn), written as an editor's tool writes it
// (a temporary file renamed into place); the clock runs from the rename to
// the first /api/search answer that shows it (polled every 10 ms).
// Used by `npm run bench` (the `freshness` figures) and bench/freshness.ts.
import { spawn, type ChildProcess } from "node:child_process";
import { execFileSync } from "node:child_process";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { markdownArticle } from "../../testkit/library";
import { startProductionServer, type RunningServer } from "../../testkit/production-server";
import { makeContent } from "./incremental";
import { median, quantile } from "./stats";

export interface FreshnessRow {
  backend: "folder" | "postgres";
  scale: number;
  articles: number;
  changes: number;
  p50Seconds: number;
  p95Seconds: number;
  maxSeconds: number;
  /** Each change's seconds, by kind. */
  runs: Array<{ kind: "add" | "change" | "delete"; seconds: number }>;
  /** The server's resident memory before the first change and after the last, MB. */
  rssBeforeMB: number;
  rssAfterMB: number;
}

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

async function total(base: string, q: string): Promise<number> {
  const r = await fetch(`${base}/api/search?q=${encodeURIComponent(q)}`);
  if (r.status !== 200) throw new Error(`freshness: search for ${q}: status ${r.status}`);
  return ((await r.json()) as { total: number }).total;
}

/** Seconds from now until `done` holds of the search's total (polled every 10 ms; fails after `limit` s). */
async function until(base: string, q: string, done: (total: number) => boolean, limit = 120): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    if (done(await total(base, q))) return (performance.now() - t0) / 1000;
    if (performance.now() - t0 > limit * 1000) throw new Error(`freshness: "${q}" did not change within ${limit} s`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The bundled sample articles (scale 0: a quick run without the corpus). */
async function sampleContent(dir: string): Promise<{ articles: number }> {
  await fs.cp("content", dir, { recursive: true });
  await fs.mkdir(path.join(dir, "md"), { recursive: true });
  return { articles: 0 };
}

/** Writes a file as editors' tools do: a temporary file beside it, renamed into place (the watch skips .tmp files). */
async function land(file: string, text: string): Promise<void> {
  const tmp = `${file}.tmp`;
  await fs.writeFile(tmp, text);
  await fs.rename(tmp, file);
}

/** `npm run index -- --watch`, ready once it says it is watching. */
async function startWatch(env: NodeJS.ProcessEnv, log: (s: string) => void): Promise<{ child: ChildProcess; output: () => string }> {
  const heapMb = execFileSync(process.execPath, ["scripts/heap-mb.cjs"], { encoding: "utf8" }).trim();
  const child = spawn(process.execPath, [`--max-old-space-size=${heapMb}`, "--import", "tsx", "scripts/index.ts", "--watch"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const t0 = performance.now();
  while (!output.includes("index: watching")) {
    if (child.exitCode !== null) throw new Error(`freshness: the watch stopped:\n${output}`);
    if (performance.now() - t0 > 600_000) throw new Error(`freshness: the watch did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  log(`watch ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { child, output: () => output };
}

/**
 * Freshness on a library ×scale: `changes` changes (add, change, delete in
 * turn) through --watch, each timed from the file's landing to the search
 * that shows it. `env` picks the backend (SEARCH_BACKEND and its database).
 */
export async function freshnessRun(scale: number, changes: number, backend: FreshnessRow["backend"], env: Record<string, string>, log: (s: string) => void): Promise<FreshnessRow> {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), `bench-freshness-${scale}-`));
  let server: RunningServer | null = null;
  let watch: ChildProcess | null = null;
  let watchOutput = () => "";
  try {
    const content = path.join(work, "content");
    const index = path.join(work, "index");
    const { articles } = scale === 0 ? await sampleContent(content) : await makeContent(content, scale);
    const runEnv = { ...process.env, GLIBC_TUNABLES: "glibc.malloc.hugetlb=1", INDEX_DIR: index, CONTENT_DIR: content, ADMIN_DB: path.join(work, "admin.sqlite"), ...env };
    const t = performance.now();
    const heapMb = execFileSync(process.execPath, ["scripts/heap-mb.cjs"], { encoding: "utf8" }).trim();
    execFileSync(process.execPath, [`--max-old-space-size=${heapMb}`, "--import", "tsx", "scripts/index.ts", "--full"], { env: runEnv, stdio: ["ignore", "ignore", "inherit"] });
    log(`×${scale} ${backend}: ${articles} articles built in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    server = await startProductionServer(index, { cluster: true, env: { CONTENT_DIR: content, ADMIN_DB: path.join(work, "admin.sqlite"), ...env } });
    const w = await startWatch(runEnv, log);
    watch = w.child;
    watchOutput = w.output;
    // Warm-up, unmeasured: the watch's first live run loads the generation's key terms and counts.
    const warm = path.join(content, "md", "freshness-warm.md");
    await land(warm, markdownArticle("时效基准预热文章", "时效基准预热检索专用文字。"));
    await until(server.base, "时效基准预热检索专用", (n) => n === 1);
    const rssBeforeMB = server.rssMB();
    const runs: FreshnessRow["runs"] = [];
    for (let i = 0; runs.length < changes; i++) {
      const file = path.join(content, "md", `freshness-${i}.md`);
      const token = `时效基准第${i}号`;
      await land(file, markdownArticle(`时效基准文章${i}`, `${token}新增：支部党建工作新进展。`));
      runs.push({ kind: "add", seconds: await until(server.base, `${token}新增`, (n) => n === 1) });
      if (runs.length >= changes) break;
      await land(file, markdownArticle(`时效基准文章${i}`, `${token}改写：支部党建工作再进展。`));
      runs.push({ kind: "change", seconds: await until(server.base, `${token}改写`, (n) => n === 1) });
      if (runs.length >= changes) break;
      await fs.rm(file);
      runs.push({ kind: "delete", seconds: await until(server.base, `${token}改写`, (n) => n === 0) });
      log(`×${scale} ${backend}: ${runs.slice(-3).map((r) => `${r.kind} ${r.seconds.toFixed(3)} s`).join(", ")}`);
    }
    const s = runs.map((r) => r.seconds);
    return {
      backend,
      scale,
      articles,
      changes: runs.length,
      p50Seconds: round(median(s)),
      p95Seconds: round(quantile(s, 0.95)),
      maxSeconds: round(Math.max(...s)),
      runs: runs.map((r) => ({ ...r, seconds: round(r.seconds) })),
      rssBeforeMB: Math.round(rssBeforeMB),
      rssAfterMB: Math.round(server.rssMB()),
    };
  } catch (e) {
    const tail = (s: string) => s.split("\n").slice(-15).join("\n");
    if (server) for (const q of ["改写", "时效基准", "时效基准第0号改写"]) log(`debug ${q}: ${JSON.stringify(await (await fetch(`${server.base}/api/search?q=${encodeURIComponent(q)}`)).json()).slice(0, 400)}`);
    throw new Error(`${(e as Error).message}\n--- watch:\n${tail(watchOutput())}\n--- server:\n${tail(server?.log() ?? "")}`);
  } finally {
    watch?.kill("SIGTERM");
    server?.stop();
    await fs.rm(work, { recursive: true, force: true });
  }
}
