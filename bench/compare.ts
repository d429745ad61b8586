// `npm run bench`: the project's engine against the alternatives, on the real
// corpus (../shared/corpus or CORPUS_DIR) at ×1, ×3 and ×10 (replicated with
// new ids), with one seeded query set. Each system and scale runs in its own
// child process so memory figures are its own; the queries, the corpus and
// the truth (a substring scan) are the same for all.
// Options: --json (the documented JSON object), --scales 1,3,10, --no-docs (docs/ is written
// only by a run not limited by --systems, --scales, --queries or --no-load),
// --queries N (per kind, default 20), --load (server load tests, default on; --no-load),
// --systems a,b (only these systems; all by default). BENCH_SLOW_MS=n logs each query slower than n ms;
// BENCH_WORK=<folder> keeps the corpus, queries and truth the run drew in that folder.
import { spawn } from "node:child_process";
import { promises as fs, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Article } from "@/lib/content/article";
import { ingest } from "@/lib/content/ingest";
import { searchableText } from "@/lib/search/formats/article-record";
import { CORPUS_DIR, HAVE_CORPUS, corpusFiles } from "../testkit/corpus";
import { fmt, median, quantile } from "./parts/stats";
import { SYSTEMS, type BenchQuery, type SystemResult } from "./parts/systems";
import { makeQueries, passes, replicate, scanTruth } from "./parts/queries";
import { writeCharts } from "./parts/charts";
import { MIXED } from "./parts/mixed-queries";
import { FLOOR_CLUSTER, FLOOR_ONE, loadTest, type LoadResult } from "./parts/load";
import { serverFigures } from "./parts/server-figures";
import { freshnessBench } from "./freshness";
import type { FreshnessRow } from "./parts/freshness";

const log = (s: string) => process.stderr.write(`bench: ${s}\n`);
const argv = process.argv.slice(2);
const opt = (name: string, fallback: string) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : fallback);

// ---------------------------------------------------------------- one system at one scale (child process)

async function runChild(systemName: string, scale: number, work: string): Promise<SystemResult> {
  const base = JSON.parse(readFileSync(path.join(work, "articles.json"), "utf16le")) as Article[];
  const queries = JSON.parse(readFileSync(path.join(work, "queries.json"), "utf8")) as BenchQuery[];
  const truth1 = JSON.parse(readFileSync(path.join(work, "truth.json"), "utf8")) as number[][];
  const n1 = base.length;
  const articles = replicate(base, scale);
  const texts = articles.map((a, i) => (i < n1 ? searchableText(a) : "")).map((t, i, all) => t || all[i % n1]);
  const system = SYSTEMS[systemName]();
  const dir = path.join(work, `${systemName}-x${scale}`);
  global.gc?.();
  const t0 = performance.now();
  const built = await system.build(articles, texts, dir);
  const buildSeconds = built.buildSeconds ?? (performance.now() - t0) / 1000;
  global.gc?.();
  const rssMB = process.memoryUsage().rss / 1e6;

  const latencies: number[] = [];
  const perKind = new Map<string, { found: number; expected: number; correct: number; returned: number; lat: number[] }>();
  let rr = 0;
  let rrCount = 0;
  const budgetMs = Number(process.env.BENCH_QUERY_BUDGET_MS || 240_000);
  // One untimed pass over the whole set first, for every system (at most a tenth of the budget): the JIT's warm-up.
  // Without it the first queries of the list were timed while V8 was still optimising the engine's code: the
  // project's first query ("12" at x1) took 17.6, 5.3, 3.9, 2.6, 2.5 ms in its first runs and 1.6-1.9 ms after, and
  // the first seven queries made the x1 p99.
  // A system reading its store per query first answers every query once, timed: what a query costs before the
  // caches hold its rows (the timed runs below follow an untimed one, as for every system).
  let firstRuns: SystemResult["firstRuns"];
  if (system.readsStore) {
    const first: number[] = [];
    for (const q of queries) {
      const t = performance.now();
      await system.search(q);
      first.push(performance.now() - t);
    }
    firstRuns = { p50: quantile(first, 0.5), p95: quantile(first, 0.95), p99: quantile(first, 0.99) };
  }
  const warmUntil = performance.now() + budgetMs / 10;
  for (const q of queries) {
    if (performance.now() > warmUntil) break;
    await system.search(q);
  }
  const started = performance.now();
  let measured = 0;
  for (let qi = 0; qi < queries.length; qi++) {
    if (performance.now() - started > budgetMs) break;
    const q = queries[qi];
    let answer = await system.search(q);
    const times: number[] = [];
    // Median of up to 5 runs after the warm-up, fewer when a run is slow. Only a system answering asynchronously (a lean
    // index reading its database) is awaited inside the timer.
    for (let r = 0; r < 5; r++) {
      const t = performance.now();
      const a = system.search(q);
      answer = a instanceof Promise ? await a : a;
      times.push(performance.now() - t);
      if (times.reduce((a, b) => a + b, 0) > 200) break;
    }
    const result = Array.isArray(answer) ? answer : answer.list();
    const filtered = systemName === "project" ? result : result.filter((d) => passes(articles[d], q.filter));
    const ms = median(times);
    latencies.push(ms);
    if (process.env.BENCH_SLOW_MS && ms > Number(process.env.BENCH_SLOW_MS)) log(`${systemName} x${scale}: ${ms.toFixed(1)} ms (runs ${times.map((t) => t.toFixed(1)).join(", ")}) for ${q.kind} ${JSON.stringify(q.parts)}${q.filter ? ` ${JSON.stringify(q.filter)}` : ""}`);
    measured++;
    const truth = new Set<number>();
    for (const d of truth1[qi]) for (let k = 0; k < scale; k++) truth.add(d + k * n1);
    const k = perKind.get(q.kind) ?? { found: 0, expected: 0, correct: 0, returned: 0, lat: [] };
    const got = new Set(filtered);
    for (const d of truth) if (got.has(d)) k.found++;
    k.expected += truth.size;
    for (const d of got) if (truth.has(d)) k.correct++;
    k.returned += got.size;
    k.lat.push(ms);
    perKind.set(q.kind, k);
    if (q.target !== undefined) {
      rrCount++;
      const rank = filtered.slice(0, 10).findIndex((d) => d % n1 === q.target);
      if (rank >= 0) rr += 1 / (rank + 1);
    }
  }
  const mixed = system.searchTyped ? await mixedFigures(system.searchTyped.bind(system)) : undefined;
  const server = systemName.startsWith("project") ? await serverFigures(dir, queries, system.serverEnv?.() ?? {}) : null;
  await system.close?.();
  await fs.rm(dir, { recursive: true, force: true });
  let found = 0, expected = 0, correct = 0, returned = 0;
  const byKind: SystemResult["byKind"] = {};
  for (const [kind, v] of perKind) {
    found += v.found;
    expected += v.expected;
    correct += v.correct;
    returned += v.returned;
    byKind[kind] = { recall: v.expected ? v.found / v.expected : 1, precision: v.returned ? v.correct / v.returned : 1, p50: median(v.lat) };
  }
  return {
    name: systemName,
    scale,
    docs: articles.length,
    buildSeconds,
    segmentSeconds: built.segmentSeconds ?? null,
    indexBytes: built.indexBytes,
    ...(built.serverBytes ? { serverMB: built.serverBytes.map((b) => b / 1e6) } : {}),
    rssMB: server ? server.rssMB : rssMB,
    ...(server ? { buildRssMB: rssMB, coldStartSeconds: server.coldStartSeconds } : {}),
    ...(firstRuns ? { firstRuns } : {}),
    p50: quantile(latencies, 0.5),
    p95: quantile(latencies, 0.95),
    p99: quantile(latencies, 0.99),
    recall: expected ? found / expected : 1,
    precision: returned ? correct / returned : 1,
    mrr10: rrCount ? rr / rrCount : null,
    queries: measured,
    byKind,
    ...(mixed ? { mixed } : {}),
    ...(measured < queries.length ? { note: `query budget reached: ${measured} of ${queries.length} queries measured` } : {}),
  };
}

/**
 * The mixed query set (Latin, digits and dates, single and stop characters,
 * long ORs, operators, Traditional), typed as users type it: each query once
 * untimed, then the median of five runs (the engine's own path, no results
 * cache), as the main set is timed.
 */
async function mixedFigures(searchTyped: (q: string) => unknown): Promise<NonNullable<SystemResult["mixed"]>> {
  const times: Array<{ q: string; ms: number }> = [];
  for (const q of MIXED) {
    await searchTyped(q);
    const runs: number[] = [];
    for (let r = 0; r < 5; r++) {
      const t = performance.now();
      await searchTyped(q);
      runs.push(performance.now() - t);
    }
    times.push({ q, ms: median(runs) });
  }
  const ms = times.map((x) => x.ms);
  return { p50: quantile(ms, 0.5), p99: quantile(ms, 0.99), max: Math.max(...ms), queries: ms.length, slowest: [...times].sort((a, b) => b.ms - a.ms).slice(0, 5) };
}

// ---------------------------------------------------------------- orchestration

function runChildProcess(system: string, scale: number, work: string): Promise<SystemResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--expose-gc", "--max-old-space-size=16000", "--import", "tsx", "bench/compare.ts", "--child", system, String(scale), work], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("exit", (code) => {
      const line = out.trim().split("\n").pop() ?? "";
      if (code === 0 && line.startsWith("{")) resolve(JSON.parse(line));
      else reject(new Error(`${system} ×${scale} exited with ${code}`));
    });
  });
}

function skipped(name: string, scale: number, docs: number, note: string): SystemResult {
  return { name, scale, docs, buildSeconds: null, segmentSeconds: null, indexBytes: null, rssMB: null, p50: null, p95: null, p99: null, recall: null, precision: null, mrr10: null, queries: 0, byKind: {}, note };
}

async function main() {
  if (argv[0] === "--child") {
    const result = await runChild(argv[1], Number(argv[2]), argv[3]);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  if (!HAVE_CORPUS) {
    log(`no corpus at ${CORPUS_DIR}; set CORPUS_DIR`);
    process.exit(2);
  }
  const began = performance.now();
  const scales = opt("scales", "1,3,10").split(",").map(Number);
  const perKind = Number(opt("queries", "20"));
  // BENCH_WORK=<folder> keeps the run's corpus, queries and truth there (for scripts that time one system on them).
  const work = process.env.BENCH_WORK || path.join(os.tmpdir(), `bench-compare-${process.pid}`);
  await fs.mkdir(work, { recursive: true });
  log("reading the corpus…");
  const { articles } = await ingest(corpusFiles());
  const texts = articles.map(searchableText);
  const chars = texts.reduce((n, t) => n + t.length, 0);
  log(`${articles.length} articles, ${(chars / 1e6).toFixed(1)}M characters; drawing queries…`);
  const queries = makeQueries(articles, texts, perKind);
  const truth = scanTruth(articles, texts, queries);
  writeFileSync(path.join(work, "articles.json"), Buffer.from(JSON.stringify(articles), "utf16le"));
  writeFileSync(path.join(work, "queries.json"), JSON.stringify(queries));
  writeFileSync(path.join(work, "truth.json"), JSON.stringify(truth));
  // The load test indexes the same articles through the normal pipeline (JSONL).
  await fs.mkdir(path.join(work, "articles-for-load"), { recursive: true });
  writeFileSync(
    path.join(work, "articles-for-load", "corpus.jsonl"),
    articles.map((a) => JSON.stringify({ id: a.id, title: a.title, author: a.authors.join("、") || null, source: a.source, date: a.date, url: a.url, body: a.paragraphs.join("\n") })).join("\n"),
  );
  log(`${queries.length} queries (${[...new Set(queries.map((q) => q.kind))].map((k) => `${k} ${queries.filter((q) => q.kind === k).length}`).join(", ")})`);

  const results: SystemResult[] = [];
  // A system goes on to a larger scale only if its previous scale fits the time budget when scaled up.
  const budget = Number(process.env.BENCH_SCALE_BUDGET_S || 180);
  for (const scale of scales) {
    const only = opt("systems", "").split(",").filter(Boolean);
    for (const name of Object.keys(SYSTEMS).filter((n) => only.length === 0 || only.includes(n))) {
      const prev = [...results].reverse().find((r) => r.name === name && r.buildSeconds !== null);
      // The postgres backend's figures are asked for at ×1 and ×10.
      if (name === "project-postgres" && scale !== 1 && scale !== 10) continue;
      // The project and the scan always run: the targets are about them. Peers stay within the budget.
      if (prev && prev.scale < scale && !name.startsWith("project") && name !== "scan") {
        const projected = (prev.buildSeconds! + (prev.p50 ?? 0) * queries.length * 3 / 1000) * (scale / prev.scale);
        if (projected > budget) {
          results.push(skipped(name, scale, articles.length * scale, `skipped: projected ${Math.round(projected)} s at ×${scale} is over the ${budget} s budget per run`));
          log(`${name} ×${scale}: skipped (projected ${Math.round(projected)} s)`);
          continue;
        }
      }
      log(`${name} ×${scale}…`);
      try {
        const r = await runChildProcess(name, scale, work);
        results.push(r);
        log(`${name} ×${scale}: build ${fmt(r.buildSeconds!, 1)} s, p50 ${fmt(r.p50!)} ms, recall ${fmt(r.recall!, 3)}, precision ${fmt(r.precision!, 3)}`);
      } catch (e) {
        results.push(skipped(name, scale, articles.length * scale, `failed: ${(e as Error).message}`));
      }
    }
  }

  let load: LoadResult[] = [];
  if (!argv.includes("--no-load")) {
    log("server load tests (autocannon)…");
    load = await loadTest(work, queries);
  }
  if (!process.env.BENCH_WORK) await fs.rm(work, { recursive: true, force: true });
  let freshness: FreshnessRow[] = [];
  if (!argv.includes("--no-freshness")) {
    log("freshness: file landed → searchable (npm start + npm run index -- --watch)…");
    freshness = await freshnessBench(scales.filter((s) => s === 1 || s === 10), ["folder", "postgres"], Number(opt("freshness-changes", "12")));
  }

  const json = { corpus: { docs: articles.length, chars }, systems: results, load, freshness, queries: queries.length, machine: machine(), date: new Date().toISOString().slice(0, 10), seconds: (performance.now() - began) / 1000 };
  if (argv.includes("--json")) {
    process.stdout.write(
      `${JSON.stringify({
        corpus: json.corpus,
        systems: results.map(({ name, scale, buildSeconds, segmentSeconds, indexBytes, serverMB, rssMB, buildRssMB, coldStartSeconds, firstRuns, p50, p95, p99, recall, precision, mrr10 }) => ({
          name,
          scale,
          buildSeconds,
          segmentSeconds,
          indexBytes,
          ...(serverMB ? { serverMB } : {}),
          ...(firstRuns ? { firstRuns } : {}),
          rssMB,
          ...(name.startsWith("project") ? { buildRssMB: buildRssMB ?? null, coldStartSeconds: coldStartSeconds ?? null } : {}),
          p50,
          p95,
          p99,
          recall,
          precision,
          mrr10,
        })),
        load,
        mixed: results.filter((r) => r.mixed).map((r) => ({ system: r.name, scale: r.scale, p50: r.mixed!.p50, p99: r.mixed!.p99, max: r.mixed!.max })),
        render: renderFigures(load),
        freshness: freshness.map(({ backend, scale, p50Seconds, p95Seconds, maxSeconds, changes }) => ({ backend, scale, p50Seconds, p95Seconds, maxSeconds, changes })),
      })}\n`,
    );
  }
  const md = report(json);
  if (!argv.includes("--json")) process.stdout.write(`${md}\n`);
  // The documented figures come from whole runs only: a run limited to some systems, scales or
  // stages would replace the table with part of it.
  const limitedBy = ["--systems", "--scales", "--queries", "--no-load", "--no-freshness"].filter((flag) => argv.includes(flag));
  if (limitedBy.length && !argv.includes("--no-docs")) log(`bench: docs left as they are (a run limited by ${limitedBy.join(", ")})`);
  else if (!argv.includes("--no-docs")) {
    await fs.mkdir("docs/bench", { recursive: true });
    writeCharts(results, "docs/bench");
    writeFileSync("docs/bench/results.json", `${JSON.stringify(json, null, 1)}\n`);
    writeFileSync("docs/benchmarks.md", md + "\n");
    log("wrote docs/benchmarks.md, docs/bench/*.svg and docs/bench/results.json");
  }
}

function machine(): string {
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${os.type()} ${os.release()}`;
}

/** Rendered pages against Next.js alone, from one load test: every cache off, the cluster, 64 connections (issue 32's targets: ≥ 60% and ≥ 75% of the trivial page, p99 ≤ 250 ms). */
function renderFigures(load: LoadResult[]): { trivialRps: number; searchPageRps: number; readingPageRps: number; searchPageP99: number; readingPageP99: number } | null {
  const off = (target: string) => load.find((l) => l.server.startsWith("cache off, cluster") && l.target === target && l.connections === 64);
  const floor = load.find((l) => l.server === FLOOR_CLUSTER && l.connections === 64);
  const search = off("search page");
  const reading = off("reading page");
  if (!floor || !search || !reading) return null;
  return { trivialRps: floor.rps, searchPageRps: search.rps, readingPageRps: reading.rps, searchPageP99: search.p99, readingPageP99: reading.p99 };
}

function report(r: { corpus: { docs: number; chars: number }; systems: SystemResult[]; load: LoadResult[]; freshness?: FreshnessRow[]; queries: number; machine: string; date: string; seconds: number }): string {
  const pct = (x: number | null) => (x === null ? "–" : x.toFixed(3));
  const ms = (x: number | null) => (x === null ? "–" : x < 1 ? x.toFixed(3) : x.toFixed(2));
  const lines: string[] = [];
  lines.push("# Benchmarks", "");
  lines.push(`Generated by \`npm run bench\` on ${r.date} (${fmt(r.seconds / 60, 1)} minutes) on ${r.machine}.`);
  lines.push(`Corpus: the ${r.corpus.docs} real articles of ../shared/corpus (${(r.corpus.chars / 1e6).toFixed(1)}M characters after normalisation), also replicated ×3 and ×10 with new ids (identical texts under new ids).`);
  lines.push(`Queries: ${r.queries}, drawn with a fixed seed from the corpus; every system gets the same normalised literal parts and must return every document containing all of them. Truth is a plain substring scan (a part or one of its kept regional spellings: 着手 is also 著手 where the normaliser kept 著). Filters are native in the project and applied to the others' results afterwards.`, "");
  lines.push("| system | scale | docs | build s | segment s | index MB | RSS MB | cold start s | p50 ms | p95 ms | p99 ms | recall | precision | MRR@10 |");
  lines.push("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
  for (const s of r.systems) {
    if (s.buildSeconds === null) {
      lines.push(`| ${s.name} | ×${s.scale} | ${s.docs} | ${s.note} |||||||||||`);
      continue;
    }
    const opt1 = (x: number | null | undefined) => (x == null ? "–" : fmt(x, 1));
    lines.push(`| ${s.name} | ×${s.scale} | ${s.docs} | ${fmt(s.buildSeconds, 1)} | ${opt1(s.segmentSeconds)} | ${fmt(s.indexBytes! / 1e6, 1)} | ${fmt(s.rssMB!, 0)}${s.buildRssMB ? ` (build ${fmt(s.buildRssMB, 0)})` : ""} | ${opt1(s.coldStartSeconds)} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${pct(s.recall)} | ${pct(s.precision)} | ${pct(s.mrr10)} |`);
  }
  lines.push("");
  // Ratios and targets, measured in this run.
  const at = (name: string, scale: number) => r.systems.find((s) => s.name === name && s.scale === scale && s.buildSeconds !== null);
  const p = at("project", 1);
  const checks: string[] = [];
  if (p) {
    const scan = at("scan", 1);
    const fts = at("sqlite-fts5-trigram", 1);
    const kinds = Object.entries(p.byKind);
    const exact = kinds.every(([, v]) => v.recall === 1 && v.precision === 1);
    checks.push(`- Project recall = precision = 1.00 on every query kind at ×1: **${exact ? "met" : "MISSED"}** (${kinds.map(([k, v]) => `${k} ${v.recall.toFixed(3)}/${v.precision.toFixed(3)}`).join(", ")}).`);
    if (scan) checks.push(`- p50 at least 10× lower than the plain scan: ${fmt(scan.p50! / p.p50!, 1)}× (scan ${ms(scan.p50)} ms vs ${ms(p.p50)} ms): **${scan.p50! / p.p50! >= 10 ? "met" : "MISSED"}**.`);
    if (fts) checks.push(`- p50 at least 100× lower than FTS5 trigram: ${fmt(fts.p50! / p.p50!, 1)}× (FTS5 ${ms(fts.p50)} ms): **${fts.p50! / p.p50! >= 100 ? "met" : "MISSED"}**.`);
    checks.push(`- p99 ≤ 3 ms in process at ×1: ${ms(p.p99)} ms: **${p.p99! <= 3 ? "met" : "MISSED"}**.`);
    const peers = r.systems.filter((s) => s.scale === 1 && !s.name.startsWith("project") && s.mrr10 !== null);
    const best = peers.sort((a, b) => b.mrr10! - a.mrr10!)[0];
    if (best) checks.push(`- Known-item MRR@10 higher than every peer: ${pct(p.mrr10)} vs best peer ${best.name} ${pct(best.mrr10)}: **${p.mrr10! > best.mrr10! ? "met" : "MISSED"}**.`);
    const p10 = at("project", 10);
    const s1 = scan;
    const s10 = at("scan", 10);
    if (p10) checks.push(`- At ×10 the project's p99 ≤ 20 ms: ${ms(p10.p99)} ms: **${p10.p99! <= 20 ? "met" : "MISSED"}**${s1 && s10 ? `; the scan grew ${fmt(s10.p50! / s1.p50!, 1)}× from ×1 to ×10` : ""}.`);
    if (p10) checks.push(`- At ×10 the project's p50 ≤ 1 ms: ${ms(p10.p50)} ms: **${p10.p50! <= 1 ? "met" : "MISSED"}**.`);
    for (const [scale, mb, sec] of [[1, 600, 2], [10, 4000, 10]] as const) {
      const x = at("project", scale);
      if (!x || x.coldStartSeconds == null) continue;
      checks.push(`- ×${scale}: server RSS after load ${fmt(x.rssMB!, 0)} MB (target ≤ ${mb}): **${x.rssMB! <= mb ? "met" : "MISSED"}**; cold start to first answer ${fmt(x.coldStartSeconds, 2)} s (target ≤ ${sec}): **${x.coldStartSeconds <= sec ? "met" : "MISSED"}**.`);
    }
    for (const s of r.systems.filter((x) => x.name === "project" && x.buildSeconds !== null && x.segmentSeconds)) {
      const ratio = s.buildSeconds! / s.segmentSeconds!;
      checks.push(`- ×${s.scale}: build ${fmt(s.buildSeconds!, 1)} s = ${fmt(ratio, 2)}× jieba segmentation alone (${fmt(s.segmentSeconds!, 1)} s, same texts, same two threads): **${ratio <= 2 ? "met" : "MISSED"}** (target ≤ 2×).`);
    }
  }
  // The postgres backend (SEARCH_BACKEND=postgres): app processes hold per-article arrays and read the rest per query.
  for (const x of [at("project-postgres", 1), at("project-postgres", 10)]) {
    if (!x) continue;
    const memory = at("project", x.scale);
    const parts = [
      `build with the write to the database ${fmt(x.buildSeconds!, 1)} s${memory ? ` (folder store ${fmt(memory.buildSeconds!, 1)} s)` : ""}`,
      `${fmt(x.indexBytes! / 1e6, 0)} MB in the database${memory ? ` (${fmt(memory.indexBytes! / 1e6, 0)} MB of files)` : ""}`,
      `p50/p95/p99 ${ms(x.p50)}/${ms(x.p95)}/${ms(x.p99)} ms${x.firstRuns ? ` (each query's first run, caches empty at the start: ${ms(x.firstRuns.p50)}/${ms(x.firstRuns.p95)}/${ms(x.firstRuns.p99)} ms)` : ""}`,
      `app RSS ${fmt(x.rssMB!, 0)} MB, cold start ${x.coldStartSeconds == null ? "–" : fmt(x.coldStartSeconds, 2)} s`,
    ];
    const targets = x.scale === 10 ? `; p99 ≤ 50 ms: **${x.p99! <= 50 ? "met" : "MISSED"}**; app RSS ≤ 400 MB: **${x.rssMB! <= 400 ? "met" : "MISSED"}**` : "";
    checks.push(`- postgres backend ×${x.scale}: ${parts.join(", ")}${targets}.`);
  }
  // Partitioned across two servers (DATABASE_SHARD_URLS), against one server in the same run.
  for (const x of r.systems.filter((s) => s.name === "project-postgres-2")) {
    const one = at("project-postgres", x.scale);
    checks.push(
      `- postgres backend ×${x.scale} across 2 servers: build with the write ${fmt(x.buildSeconds!, 1)} s${one ? ` (one server ${fmt(one.buildSeconds!, 1)} s)` : ""}, ` +
        `${(x.serverMB ?? []).map((mb) => fmt(mb, 0)).join(" + ")} MB on the servers, p50/p95/p99 ${ms(x.p50)}/${ms(x.p95)}/${ms(x.p99)} ms${one ? ` (one server ${ms(one.p50)}/${ms(one.p95)}/${ms(one.p99)})` : ""}` +
        `${x.firstRuns ? `, first runs ${ms(x.firstRuns.p50)}/${ms(x.firstRuns.p95)}/${ms(x.firstRuns.p99)} ms${one?.firstRuns ? ` (one server ${ms(one.firstRuns.p50)}/${ms(one.firstRuns.p95)}/${ms(one.firstRuns.p99)})` : ""}` : ""}, ` +
        `app RSS ${fmt(x.rssMB!, 0)} MB, cold start ${x.coldStartSeconds == null ? "–" : fmt(x.coldStartSeconds, 2)} s, recall ${pct(x.recall)}, precision ${pct(x.precision)}.`,
    );
  }
  const mixedRuns = r.systems.filter((s) => s.mixed);
  if (mixedRuns.length) {
    const m = mixedRuns[0].mixed!;
    lines.push(
      "### The mixed query set",
      "",
      `${m.queries} queries typed as users type them (bench/parts/mixed-queries.ts): Latin words and fragments, digits, dates and percentages, single and stop characters and runs of them, long ORs, operators and odd input, Traditional forms, long sentences. Each query once untimed, then the median of five runs; the query language applies (the main set's queries are exact phrases).`,
      "",
      "| system | scale | p50 ms | p99 ms | max ms | slowest |",
      "|---|---|---|---|---|---|",
      ...mixedRuns.map((s) => `| ${s.name} | ×${s.scale} | ${ms(s.mixed!.p50)} | ${ms(s.mixed!.p99)} | ${ms(s.mixed!.max)} | ${s.mixed!.slowest.map((x) => `\`${x.q}\` ${fmt(x.ms, 1)}`).join(", ")} |`),
      "",
    );
    for (const s of mixedRuns.filter((x) => x.scale === 1 || x.scale === 10)) {
      const ok = s.scale === 1 ? s.mixed!.p99 <= 10 && s.mixed!.max <= 50 : s.mixed!.p99 <= 50;
      checks.push(`- Mixed query set, ${s.name} ×${s.scale}: p99 ${ms(s.mixed!.p99)} ms, max ${ms(s.mixed!.max)} ms (target ${s.scale === 1 ? "p99 ≤ 10 ms and max ≤ 50 ms" : "p99 ≤ 50 ms"}): **${ok ? "met" : "MISSED"}**.`);
    }
  }
  if (r.freshness?.length) {
    lines.push(
      "### Freshness: a file landed → searchable",
      "",
      "`npm start` (the cluster) over the library and `npm run index -- --watch` beside it; each change one Markdown article added, changed or deleted in turn, written as a temporary file renamed into place, timed from the rename to the first `/api/search` answer that shows it (polled every 10 ms). Both backends write live changes (lib/search/build/live.ts); PostgreSQL's servers are lean (rows read per query).",
      "",
      "| backend | scale | changes | p50 s | p95 s | max s | server RSS before → after MB |",
      "|---|---|---|---|---|---|---|",
      ...r.freshness.map((f) => `| ${f.backend} | ×${f.scale} | ${f.changes} | ${fmt(f.p50Seconds, 3)} | ${fmt(f.p95Seconds, 3)} | ${fmt(f.maxSeconds, 3)} | ${f.rssBeforeMB} → ${f.rssAfterMB} |`),
      "",
    );
    for (const f of r.freshness) {
      const limit = f.scale === 1 ? 1 : 2;
      checks.push(`- Freshness, ${f.backend} ×${f.scale}: file landed → searchable p50 ${fmt(f.p50Seconds, 2)} s (target ≤ ${limit} s): **${f.p50Seconds <= limit ? "met" : "MISSED"}**.`);
    }
  }
  const trgm = at("postgres-pg_trgm", 1);
  if (p && trgm) checks.push(`- Against pg_trgm (GIN trigram index, LIKE, C.UTF-8) at ×1: p50 ${ms(trgm.p50)} ms vs ${ms(p.p50)} ms (${fmt(trgm.p50! / p.p50!, 1)}×), p99 ${ms(trgm.p99)} ms vs ${ms(p.p99)} ms; recall ${pct(trgm.recall)}, precision ${pct(trgm.precision)}.`);
  if (checks.length) lines.push("## Targets (ratios from this run)", "", ...checks, "");
  lines.push("Charts: ![latency vs corpus size](bench/latency-vs-size.svg) ![recall vs latency](bench/recall-vs-latency.svg)", "");
  lines.push("### Recall / precision / p50 by query kind at ×1", "");
  const kinds = [...new Set(r.systems.flatMap((s) => Object.keys(s.byKind)))];
  lines.push(`| system | ${kinds.join(" | ")} |`, `|---|${kinds.map(() => "---").join("|")}|`);
  for (const s of r.systems.filter((x) => x.scale === 1 && x.buildSeconds !== null)) {
    lines.push(`| ${s.name} | ${kinds.map((k) => (s.byKind[k] ? `${s.byKind[k].recall.toFixed(2)} / ${s.byKind[k].precision.toFixed(2)} / ${ms(s.byKind[k].p50)} ms` : "–")).join(" | ")} |`);
  }
  lines.push("");
  if (r.load.length) {
    lines.push(
      "## The production server under load",
      "",
      `autocannon on loopback (on the same 2 cores as the server), ${process.env.BENCH_LOAD_SECONDS || 20} s per run, the query set's queries in turn (as typed, unquoted), ×1 corpus index. "postgres, …" rows run SEARCH_BACKEND=postgres against a PostgreSQL on the same machine: one \`next start\`, and two of them behind nginx on one port (least connections, keep-alive), as docs/deploy.md lays them out. "cluster" is \`npm start\` (server/cluster.cjs: one Next.js server per core under Node's cluster, /api/search answered on a direct node:http path, the engine's cache of recent results pages on, and each worker's kept rendered pages, sent again with a fresh nonce); "one process" is a single \`next start\` (no kept pages); "cache off" is the cluster with RESULT_CACHE_ENTRIES=0 and PAGE_CACHE_MB=0, so every request runs the search and every page is rendered. The query set has 160 queries and the reading paths 120 articles, so after the first pass the cluster sends pages it kept: its page rows measure a library whose readers ask again for what others asked; "cache off" measures one whose every request is new. "Next.js alone" rows are the floor: bench/floor-app, a root layout and one dynamic page that prints its query, served by the same Next.js the same two ways (the cluster script, then one \`next start\`) and loaded with the search page's paths.`,
      "",
    );
    lines.push("| server | target | connections | requests/s | p50 ms | p99 ms | errors | non-2xx |", "|---|---|---|---|---|---|---|---|");
    for (const l of r.load) lines.push(`| ${l.server} | ${l.target} | ${l.connections} | ${fmt(l.rps, 0)} | ${fmt(l.p50, 1)} | ${fmt(l.p99, 1)} | ${l.errors} | ${l.non2xx} |`);
    lines.push("");
    const find = (server: string, target: string) => r.load.find((l) => l.server.startsWith(server) && l.target === target && l.connections === 64);
    const targets: Array<[string, number, number]> = [
      ["/api/search", 1500, 250],
      ["search page", 350, 1000],
      ["reading page", 600, Infinity],
    ];
    const loadChecks: string[] = [];
    for (const [target, rps, p99] of targets) {
      const l = find("cluster", target);
      if (!l) continue;
      const ok = l.rps >= rps && l.p99 <= p99 && l.errors === 0 && l.non2xx === 0;
      loadChecks.push(`- ${target} at 64 connections (cluster): ${fmt(l.rps, 0)} req/s, p99 ${fmt(l.p99, 0)} ms (target ≥ ${rps} req/s${Number.isFinite(p99) ? `, p99 ≤ ${p99} ms` : ""}): **${ok ? "met" : "MISSED"}**.`);
    }
    for (const [floorServer, ours] of [[FLOOR_CLUSTER, "cluster"], [FLOOR_ONE, "one process"]] as const) {
      const floor = r.load.find((l) => l.server === floorServer && l.connections === 64);
      if (!floor) continue;
      const page = (target: string) => r.load.find((l) => l.server.startsWith(ours) && l.target === target && l.connections === 64);
      const vs = ["search page", "reading page"].map((t) => (page(t) ? `${t} ${fmt(page(t)!.rps, 0)} req/s (${fmt(page(t)!.rps / floor.rps, 2)} of it)` : null)).filter(Boolean);
      loadChecks.push(`- The floor, Next.js alone (bench/floor-app: a layout and a dynamic page printing its query), ${ours}, 64 connections: ${fmt(floor.rps, 0)} req/s, p99 ${fmt(floor.p99, 0)} ms. The project's pages, ${ours}: ${vs.join(", ")}.`);
    }
    const replicas = (target: string) => r.load.find((l) => l.server.startsWith("postgres, 2 replicas") && l.target === target && l.connections === 64);
    const single = (target: string) => r.load.find((l) => l.server === "postgres, one process" && l.target === target && l.connections === 64);
    for (const target of ["/api/search", "search page", "reading page"]) {
      const two = replicas(target);
      const one = single(target);
      if (two && one) loadChecks.push(`- postgres backend, ${target} at 64 connections: two replicas behind nginx ${fmt(two.rps, 0)} req/s (p99 ${fmt(two.p99, 0)} ms) vs one process ${fmt(one.rps, 0)} req/s (p99 ${fmt(one.p99, 0)} ms): ${fmt(two.rps / one.rps, 2)}× on this 2-core machine.`);
    }
    const offs = ["/api/search", "search page", "reading page"].map((t) => [t, find("cache off", t)] as const).filter(([, l]) => l);
    if (offs.length) loadChecks.push(`- With the results cache and kept pages off (every request searches, every page renders), cluster, 64 connections: ${offs.map(([t, l]) => `${t} ${fmt(l!.rps, 0)} req/s, p99 ${fmt(l!.p99, 0)} ms`).join("; ")}.`);
    const render = renderFigures(r.load);
    if (render) {
      const share = (rps: number) => fmt((100 * rps) / render.trivialRps, 0);
      const met = (ok: boolean) => (ok ? "met" : "not met");
      loadChecks.push(
        `- Rendered pages against Next.js alone (every cache off, cluster, 64 connections): search page ${share(render.searchPageRps)}% of the trivial page's ${fmt(render.trivialRps, 0)} req/s (target ≥ 60%: ${met(render.searchPageRps >= 0.6 * render.trivialRps)}), p99 ${fmt(render.searchPageP99, 0)} ms (≤ 250: ${met(render.searchPageP99 <= 250)}); reading page ${share(render.readingPageRps)}% (target ≥ 75%: ${met(render.readingPageRps >= 0.75 * render.trivialRps)}), p99 ${fmt(render.readingPageP99, 0)} ms (≤ 250: ${met(render.readingPageP99 <= 250)}).`,
      );
    }
    if (loadChecks.length) lines.push(...loadChecks, "");
  }
  lines.push("## How to rerun", "", "```sh", "npm ci", "npm run bench            # tables and docs/benchmarks.md, docs/bench/*.svg", "npm run bench -- --json  # the JSON object only", "```", "");
  lines.push("Also: [engine benchmark](benchmark-engine.md) (build speed, cold start, memory, latency by query kind) and [pages benchmark](benchmark-pages.md) (page weight, page response, keystroke to results).", "");
  lines.push("Notes: build seconds include jieba segmentation where a system uses it (the project on two worker threads, the jieba peers on one); the scan has no index. RSS is the child process's resident memory after its build, corpus text included. Latency is the median of up to five runs per query after a warm-up (one untimed pass over the whole query set, then one run of the query); the project's figure includes a full results page (ranking, facets, ten hits with snippets) and never comes from the results cache (the benchmark calls the engine without it). The project's RSS is a fresh production server process (one \`next start\`, jieba and Next.js included) over the index it just built, after answering the query set; “build” beside it is the benchmark's own process after the build. Cold start is spawn → first answer of /api/search, median of 3 starts. Segment s is jieba segmentation alone on the same texts and threads.");
  return lines.join("\n");
}

main().catch((e) => {
  log((e as Error).stack ?? String(e));
  process.exit(1);
});
