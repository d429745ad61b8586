// Incremental index runs against a full build, with the real command
// (`npm run index`, a process per run, as an editor runs it), on the corpus
// replicated ×scale (replicas get new ids; every figure says the scale):
// adding, changing and deleting one Markdown article, and changing one
// record inside a bulk JSONL file. Medians of several runs.
import { execFileSync } from "node:child_process";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { corpusFiles } from "../../testkit/corpus";
import { markdownArticle } from "../../testkit/library";
import { median } from "./stats";

export interface IncrementalRow {
  scale: number;
  articles: number;
  fullSeconds: number;
  /** Median seconds per operation, and its share of the full build. */
  ops: Record<string, { seconds: number; ofFull: number; runs: number[] }>;
}

function indexRun(env: Record<string, string>, args: string[] = []): { seconds: number; out: string } {
  const t = performance.now();
  const out = execFileSync(process.execPath, ["--import", "tsx", "scripts/index.ts", ...args], {
    // As `npm run index` runs it (package.json asks glibc for huge pages).
    env: { ...process.env, GLIBC_TUNABLES: "glibc.malloc.hugetlb=1", ...env },
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  return { seconds: (performance.now() - t) / 1000, out };
}

/** The corpus ×scale as JSONL files (replicas with new ids), old timestamps, plus a folder for Markdown. */
export async function makeContent(dir: string, scale: number): Promise<{ articles: number; bulk: string }> {
  await fs.mkdir(path.join(dir, "md"), { recursive: true });
  let articles = 0;
  for (const file of corpusFiles()) {
    const lines = (await fs.readFile(file, "utf8")).split("\n").filter(Boolean);
    for (let r = 0; r < scale; r++) {
      const out = r === 0 ? lines : lines.map((l) => {
        const rec = JSON.parse(l);
        return JSON.stringify({ ...rec, id: `${rec.id}-r${r}` });
      });
      await fs.writeFile(path.join(dir, `${path.basename(file, ".jsonl")}-${r}.jsonl`), `${out.join("\n")}\n`);
      articles += out.length;
    }
  }
  const past = new Date(Date.now() - 3600_000);
  for (const f of await fs.readdir(dir, { recursive: true })) await fs.utimes(path.join(dir, f), past, past);
  return { articles, bulk: path.join(dir, "school-news-0.jsonl") };
}

export async function incrementalBench(scales: number[], runs: number, log: (s: string) => void): Promise<IncrementalRow[]> {
  const rows: IncrementalRow[] = [];
  for (const scale of scales) {
    const work = await fs.mkdtemp(path.join(os.tmpdir(), `bench-incremental-${scale}-`));
    try {
      const content = path.join(work, "content");
      const env = { INDEX_DIR: path.join(work, "index"), CONTENT_DIR: content };
      const { articles, bulk } = await makeContent(content, scale);
      const full = indexRun(env, ["--full"]).seconds;
      log(`bench: ×${scale} (${articles} articles): full build ${full.toFixed(1)} s`);
      const ops: IncrementalRow["ops"] = {};
      const time = (name: string, seconds: number) => {
        (ops[name] ??= { seconds: 0, ofFull: 0, runs: [] }).runs.push(seconds);
      };
      const bulkLines = (await fs.readFile(bulk, "utf8")).split("\n");
      const middle = Math.floor(bulkLines.length / 2);
      for (let i = 0; i < runs; i++) {
        const md = path.join(content, "md", `bench-${i}.md`);
        await fs.writeFile(md, markdownArticle(`增量基准文章${i}`, `增量基准第${i}次：支部党建工作新进展。`));
        time("add one article", indexRun(env).seconds);
        await fs.writeFile(md, markdownArticle(`增量基准文章${i}`, `增量基准第${i}次：改写后的党建工作进展。`));
        time("change one article", indexRun(env).seconds);
        await fs.rm(md);
        time("delete one article", indexRun(env).seconds);
        const rec = JSON.parse(bulkLines[middle]);
        bulkLines[middle] = JSON.stringify({ ...rec, body: `${rec.body}\n增量基准补记第${i}次。` });
        await fs.writeFile(bulk, bulkLines.join("\n"));
        time("change one record in a bulk JSONL file", indexRun(env).seconds);
      }
      for (const op of Object.values(ops)) {
        op.seconds = median(op.runs);
        op.ofFull = op.seconds / full;
      }
      log(`bench: ×${scale}: ${Object.entries(ops).map(([k, v]) => `${k} ${v.seconds.toFixed(1)} s (${(v.ofFull * 100).toFixed(0)}%)`).join(", ")}`);
      rows.push({ scale, articles, fullSeconds: full, ops });
    } finally {
      await fs.rm(work, { recursive: true, force: true });
    }
  }
  return rows;
}

export function incrementalTable(rows: IncrementalRow[]): string[] {
  const names = Object.keys(rows[0]?.ops ?? {});
  return [
    `| scale (articles) | full build | ${names.join(" | ")} |`,
    `|---|---|${names.map(() => "---").join("|")}|`,
    ...rows.map(
      (r) => `| ×${r.scale} (${r.articles}) | ${r.fullSeconds.toFixed(1)} s | ${names.map((n) => `${r.ops[n].seconds.toFixed(1)} s = ${(r.ops[n].ofFull * 100).toFixed(1)}% (${r.ops[n].runs.map((x) => x.toFixed(1)).join(", ")})`).join(" | ")} |`,
    ),
    "",
    "Each cell: median of the runs in brackets, wall time of the whole command (a fresh process per run), and its share of the full build at the same scale. Targets: ≤ 5 s at ×1 and ≤ 25% of a full build at every scale.",
  ];
}
