// `npm run bench:scale`: a million articles on one machine. The corpus
// (../shared/corpus or CORPUS_DIR) replicated with new ids to --articles
// (default 1,000,000: ×34), built in ranges (build/ranged.ts) into a
// PostgreSQL started for the run, then into two (DATABASE_SHARD_URLS), and
// searched as app servers search it: lean, rows read per query.
//
// Figures: the build's wall time (written and published) and peak resident
// memory (its own process, worker threads included); jieba's segmentation
// alone of the same texts on the same threads (the yardstick); the
// database's size; a fresh `next start`'s cold start and memory; the
// engine's latency over the bench's query set (each query's first run, then
// warm: the median of up to five runs), and recall and precision against a
// substring scan. Prints a table, writes it into docs/benchmarks.md and the
// JSON into docs/bench/scale.json (unless --no-docs or a smaller --articles),
// and with --json prints the JSON object.
// Options: --articles N, --range N (articles per range, default 50,000),
// --no-shards, --queries N (per kind, default 20), --json, --no-docs.
import { spawn } from "node:child_process";
import { promises as fs, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Article } from "@/lib/content/article";
import { ingest } from "@/lib/content/ingest";
import { searchableText } from "@/lib/search/formats/article-record";
import { buildRanged } from "@/lib/search/build/ranged";
import { pooledSegmenter } from "@/lib/search/build/segmentation-pool";
import { loadGenerationPg, pool, saveRangedGenerationPg, schemaBytes } from "@/lib/search/storage/postgres-store";
import type { PgShards } from "@/lib/search/storage/pg-shards";
import type { SearchIndex } from "@/lib/search/engine/search-index";
import { CORPUS_DIR, HAVE_CORPUS, corpusFiles } from "../testkit/corpus";
import { startPostgres, type TestPostgres } from "../testkit/postgres";
import { makeQueries, scanTruth } from "./parts/queries";
import { serverFigures } from "./parts/server-figures";
import { fmt, median, quantile } from "./parts/stats";
import { projectSearchAsync, type BenchQuery } from "./parts/systems";

const log = (s: string) => process.stderr.write(`bench:scale: ${s}\n`);
const argv = process.argv.slice(2);
const opt = (name: string, fallback: string) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : fallback);

interface Latencies {
  p50: number;
  p95: number;
  p99: number;
}

/** One library's figures (one server, or partitioned across `servers`). */
interface ScaleFigures {
  servers: number;
  articles: number;
  buildSeconds: number;
  segmentSeconds: number;
  peakBuildRssMB: number;
  databaseMB: number;
  /** Per server, when there are several. */
  serverMB?: number[];
  appRssMB: number;
  coldStartSeconds: number;
  warm: Latencies;
  firstRun: Latencies;
  recall: number;
  precision: number;
  /** The build's steps, seconds summed over the ranges. */
  timings: Record<string, number>;
}

// ---------------------------------------------------------------- the library, streamed

/** Article d of the library: the corpus's article d mod n, under a new id past the first copy (as npm run bench replicates). */
function articleAt(base: Article[], d: number): Article {
  const a = base[d % base.length];
  const copy = Math.floor(d / base.length);
  return copy === 0 ? a : { ...a, id: `${a.id}~r${copy}` };
}

async function* batchesOf(base: Article[], articles: number, range: number): AsyncGenerator<Article[]> {
  for (let from = 0; from < articles; from += range) yield Array.from({ length: Math.min(range, articles - from) }, (_, k) => articleAt(base, from + k));
}

const baseArticles = (work: string) => JSON.parse(readFileSync(path.join(work, "articles.json"), "utf16le")) as Article[];

/** Peak resident memory of this process so far (threads included), in MB. */
const peakRssMB = () => (process.resourceUsage().maxRSS * 1024) / 1e6;

// ---------------------------------------------------------------- children (memory figures of their own)

/** jieba's segmentation alone of the library's texts, range by range on the build's threads. */
async function segmentChild(work: string, articles: number, range: number): Promise<{ seconds: number; peakRssMB: number }> {
  const base = baseArticles(work);
  const texts = base.map(searchableText);
  const segment = pooledSegmenter();
  try {
    const t = performance.now();
    for (let from = 0; from < articles; from += range) {
      await segment(Array.from({ length: Math.min(range, articles - from) }, (_, k) => texts[(from + k) % texts.length]));
    }
    return { seconds: (performance.now() - t) / 1000, peakRssMB: peakRssMB() };
  } finally {
    await segment.close();
  }
}

/** The build, as `npm run index` runs one: ranges read, built and written; published. */
async function buildChild(work: string, articles: number, range: number, urls: string[]): Promise<{ seconds: number; peakRssMB: number; timings: Record<string, number> }> {
  const base = baseArticles(work);
  const pools = urls.map((u) => pool(u));
  const shards: PgShards | undefined = urls.length > 1 ? { pools, urls } : undefined;
  const segment = pooledSegmenter();
  try {
    const t = performance.now();
    const gen = buildRanged(batchesOf(base, articles, range), segment);
    let ranges = 0;
    const counted = {
      async *[Symbol.asyncIterator]() {
        for await (const r of gen.ranges) {
          yield r;
          if (++ranges % 5 === 0) log(`  ${r.first + r.ids.length} articles written (${((performance.now() - t) / 1000).toFixed(0)} s, peak ${peakRssMB().toFixed(0)} MB)`);
        }
      },
    };
    await saveRangedGenerationPg(pools[0], { ranges: counted, summary: () => gen.summary() }, { shards, articles });
    return { seconds: (performance.now() - t) / 1000, peakRssMB: peakRssMB(), timings: gen.summary().timings };
  } finally {
    await segment.close();
    await Promise.all(pools.map((p) => p.end()));
  }
}

function runChild<T>(args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--max-old-space-size=16000", "--import", "tsx", "bench/scale.ts", "--child", ...args], {
      env: { ...process.env, GLIBC_TUNABLES: process.env.GLIBC_TUNABLES || "glibc.malloc.hugetlb=1" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`bench:scale: ${args[0]} exited with code ${code}`));
      resolve(JSON.parse(out.trim().split("\n").at(-1)!) as T);
    });
  });
}

// ---------------------------------------------------------------- queries against the library

/** Each query's first run (caches empty), then warm (one untimed pass, then the median of up to five runs), and recall and precision. */
async function queryFigures(index: SearchIndex, base: Article[], articles: number, queries: BenchQuery[], truth1: number[][]) {
  const docOf = new Map<string, number>();
  for (let d = 0; d < articles; d++) docOf.set(articleAt(base, d).id, d);
  const first: number[] = [];
  for (const q of queries) {
    const t = performance.now();
    await projectSearchAsync(index, docOf, q);
    first.push(performance.now() - t);
  }
  for (const q of queries) await projectSearchAsync(index, docOf, q);
  const warm: number[] = [];
  let found = 0, expected = 0, correct = 0, returned = 0;
  const n1 = base.length;
  for (let qi = 0; qi < queries.length; qi++) {
    const times: number[] = [];
    let answer = await projectSearchAsync(index, docOf, queries[qi]);
    for (let r = 0; r < 5; r++) {
      const t = performance.now();
      answer = await projectSearchAsync(index, docOf, queries[qi]);
      times.push(performance.now() - t);
      if (times.reduce((a, b) => a + b, 0) > 200) break;
    }
    warm.push(median(times));
    const truth = new Set<number>();
    for (const d of truth1[qi]) for (let at = d; at < articles; at += n1) truth.add(at);
    const got = new Set(answer.list());
    for (const d of truth) if (got.has(d)) found++;
    for (const d of got) if (truth.has(d)) correct++;
    expected += truth.size;
    returned += got.size;
  }
  const q = (xs: number[]): Latencies => ({ p50: quantile(xs, 0.5), p95: quantile(xs, 0.95), p99: quantile(xs, 0.99) });
  return { warm: q(warm), firstRun: q(first), recall: expected ? found / expected : 1, precision: returned ? correct / returned : 1 };
}

// ---------------------------------------------------------------- one library

async function libraryFigures(work: string, servers: number, articles: number, range: number, segmentSeconds: number, queries: BenchQuery[], truth1: number[][]): Promise<ScaleFigures> {
  const clusters: TestPostgres[] = [];
  try {
    for (let i = 0; i < servers; i++) clusters.push(await startPostgres());
    const urls = await Promise.all(clusters.map((c) => c.database("library")));
    log(`${servers} server${servers > 1 ? "s" : ""}: building ${articles} articles in ranges of ${range}…`);
    const built = await runChild<{ seconds: number; peakRssMB: number; timings: Record<string, number> }>(["build", work, String(articles), String(range), ...urls]);
    log(`${servers} server${servers > 1 ? "s" : ""}: built in ${fmt(built.seconds, 1)} s (${fmt(built.seconds / segmentSeconds, 2)}× segmentation), peak ${fmt(built.peakRssMB, 0)} MB; ${JSON.stringify(built.timings)}`);
    const pools = urls.map((u) => pool(u));
    const shards: PgShards | undefined = servers > 1 ? { pools, urls } : undefined;
    try {
      const serverBytes = await Promise.all(pools.map((p) => schemaBytes(p)));
      const env = { SEARCH_BACKEND: "postgres", DATABASE_URL: urls[0], ...(servers > 1 ? { DATABASE_SHARD_URLS: urls.join(",") } : {}) };
      log(`${servers}: the app server (cold start, memory)…`);
      const server = await serverFigures(path.join(work, "no-index"), queries, env);
      log(`${servers}: app RSS ${fmt(server.rssMB, 0)} MB, cold start ${fmt(server.coldStartSeconds, 2)} s; the query set…`);
      const index = (await loadGenerationPg(pools[0], { lean: true, shards })).index;
      await index.warmSuggestions();
      const base = baseArticles(work);
      const q = await queryFigures(index, base, articles, queries, truth1);
      log(`${servers}: warm p50/p95/p99 ${fmt(q.warm.p50)}/${fmt(q.warm.p95)}/${fmt(q.warm.p99)} ms, first runs ${fmt(q.firstRun.p50)}/${fmt(q.firstRun.p95)}/${fmt(q.firstRun.p99)} ms, recall ${fmt(q.recall, 3)}, precision ${fmt(q.precision, 3)}`);
      return {
        servers,
        articles,
        buildSeconds: built.seconds,
        segmentSeconds,
        peakBuildRssMB: built.peakRssMB,
        databaseMB: serverBytes.reduce((a, b) => a + b, 0) / 1e6,
        ...(servers > 1 ? { serverMB: serverBytes.map((b) => b / 1e6) } : {}),
        appRssMB: server.rssMB,
        coldStartSeconds: server.coldStartSeconds,
        ...q,
        timings: built.timings,
      };
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  } finally {
    for (const c of clusters) c.stop();
  }
}

// ---------------------------------------------------------------- report

function table(rows: ScaleFigures[], date: string, machine: string): string {
  const ms = (x: number) => fmt(x, 1);
  const lines = [
    `Run ${date} on ${machine}: the corpus replicated to ${rows[0].articles} articles with new ids (identical texts under new ids), built in ranges into PostgreSQL by \`npm run bench:scale\`; every server on this machine.`,
    "",
    "| servers | build | × segmentation | peak build RSS | in the database | app RSS | cold start | warm p50 / p95 / p99 | first run p50 / p95 / p99 | recall | precision |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.servers} | ${fmt(r.buildSeconds, 0)} s | ${fmt(r.buildSeconds / r.segmentSeconds, 2)}× (${fmt(r.segmentSeconds, 0)} s) | ${fmt(r.peakBuildRssMB, 0)} MB | ${fmt(r.databaseMB, 0)} MB${r.serverMB ? ` (${r.serverMB.map((m) => fmt(m, 0)).join(" + ")})` : ""} | ${fmt(r.appRssMB, 0)} MB | ${fmt(r.coldStartSeconds, 2)} s | ${ms(r.warm.p50)} / ${ms(r.warm.p95)} / ${ms(r.warm.p99)} ms | ${ms(r.firstRun.p50)} / ${ms(r.firstRun.p95)} / ${ms(r.firstRun.p99)} ms | ${fmt(r.recall, 3)} | ${fmt(r.precision, 3)} |`,
    ),
    "",
    "Targets (issue 32, one server): " +
      [
        `peak build RSS ≤ 6 GB: **${rows[0].peakBuildRssMB <= 6000 ? "met" : "MISSED"}**`,
        `build ≤ 1.5× segmentation: **${rows[0].buildSeconds <= 1.5 * rows[0].segmentSeconds ? "met" : "MISSED"}**`,
        `app RSS ≤ 450 MB: **${rows[0].appRssMB <= 450 ? "met" : "MISSED"}**`,
        `cold start ≤ 5 s: **${rows[0].coldStartSeconds <= 5 ? "met" : "MISSED"}**`,
        `warm p99 ≤ 30 ms: **${rows[0].warm.p99 <= 30 ? "met" : "MISSED"}**`,
        `first-run p99 ≤ 150 ms: **${rows[0].firstRun.p99 <= 150 ? "met" : "MISSED"}**`,
        `recall = precision = 1.00: **${rows[0].recall === 1 && rows[0].precision === 1 ? "met" : "MISSED"}**`,
      ].join("; ") +
      ".",
    "",
    `Build steps (seconds, summed over the ranges; one server): ${Object.entries(rows[0].timings).map(([k, v]) => `${k} ${fmt(v, 1)}`).join(", ")}. The build's time includes reading the corpus copies, normalising, segmenting, indexing, writing every row and publishing; segmentation alone is jieba over the same texts on the same two threads, range by range. Latencies are the engine's (a lean index in the bench's process reading the database per query, as an app server does); app RSS and cold start are a fresh \`next start\` over the library (RSS after answering the query set, cold start the median of three starts).`,
  ];
  return lines.join("\n");
}

const MARK_START = "<!-- bench:scale start -->";
const MARK_END = "<!-- bench:scale end -->";

async function writeDocs(text: string): Promise<void> {
  const file = path.join(process.cwd(), "docs", "benchmarks.md");
  const doc = await fs.readFile(file, "utf8");
  const section = `${MARK_START}\n## A million articles (npm run bench:scale)\n\n${text}\n${MARK_END}`;
  const at = doc.indexOf(MARK_START);
  const next = at >= 0 ? doc.slice(0, at) + section + doc.slice(doc.indexOf(MARK_END) + MARK_END.length) : `${doc.trimEnd()}\n\n${section}\n`;
  await fs.writeFile(file, next);
}

async function main() {
  if (argv[0] === "--child") {
    const [kind, work, articles, range, ...urls] = argv.slice(1);
    const out = kind === "segment" ? await segmentChild(work, Number(articles), Number(range)) : await buildChild(work, Number(articles), Number(range), urls);
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return;
  }
  if (!HAVE_CORPUS) {
    log(`no corpus at ${CORPUS_DIR}; set CORPUS_DIR`);
    process.exit(2);
  }
  const articles = Number(opt("articles", "1000000"));
  const range = Number(opt("range", "50000"));
  const work = await fs.mkdtemp(path.join(os.tmpdir(), "bench-scale-"));
  await fs.mkdir(path.join(work, "no-index"));
  try {
    log("reading the corpus…");
    const { articles: base } = await ingest(corpusFiles());
    const texts = base.map(searchableText);
    const queries = makeQueries(base, texts, Number(opt("queries", "20")));
    // The truth over the corpus; each copy of an article holds what it holds (identical texts, dates and authors).
    const truth1 = scanTruth(base, texts, queries);
    writeFileSync(path.join(work, "articles.json"), Buffer.from(JSON.stringify(base), "utf16le"));
    log(`${base.length} corpus articles → ${articles} (×${fmt(articles / base.length, 1)}); ${queries.length} queries. Segmentation alone…`);
    const seg = await runChild<{ seconds: number; peakRssMB: number }>(["segment", work, String(articles), String(range)]);
    log(`segmentation alone: ${fmt(seg.seconds, 1)} s (peak ${fmt(seg.peakRssMB, 0)} MB)`);
    const rows = [await libraryFigures(work, 1, articles, range, seg.seconds, queries, truth1)];
    if (!argv.includes("--no-shards")) rows.push(await libraryFigures(work, 2, articles, range, seg.seconds, queries, truth1));
    const machine = `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}`;
    const text = table(rows, new Date().toISOString().slice(0, 10), machine);
    process.stderr.write(`\n${text}\n`);
    const { timings: _t, servers: _s, serverMB: _m, ...one } = rows[0];
    const shards = rows[1] ? (({ timings: _t2, ...rest }) => rest)(rows[1]) : null;
    const json = { ...one, timings: rows[0].timings, shards };
    if (!argv.includes("--no-docs") && articles >= 1_000_000) {
      await writeDocs(text);
      await fs.writeFile(path.join(process.cwd(), "docs", "bench", "scale.json"), `${JSON.stringify(json, null, 4)}\n`);
    }
    if (argv.includes("--json")) process.stdout.write(`${JSON.stringify(json)}\n`);
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
