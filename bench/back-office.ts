// `npm run bench:back-office [-- --scales 1,10] [--uploads 12] [--runs 5] [--seconds 20]`:
// what the back office costs and how soon its work shows, through the
// production server as `npm start` runs it, on the corpus replicated ×scale
// (new ids, as the other benches do):
//   - an uploaded .docx, from the POST to the first search that finds it:
//     the answer (the index run done) and searchable (p50/p95 over --uploads
//     uploads, after one that starts the index service, reported apart);
//   - the results page's throughput with analytics on (each page view also
//     sends its beacon) against off, every cache off, distinct queries, 64
//     connections, the two servers loaded in turn after a warm-up of each,
//     --runs times (medians; which goes first alternates).
// Writes docs/bench/back-office.json.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, TextRun } from "docx";
import { hashPassword } from "@/lib/admin/passwords";
import { sqliteStore } from "@/lib/admin/sqlite-store";
import { cut } from "@/lib/text/segment";
import { HAVE_CORPUS, SKIP_REASON } from "../testkit/corpus";
import { startProductionServer, type RunningServer } from "../testkit/production-server";
import { backOffice, PASSWORD } from "../testkit/back-office";
import { makeContent } from "./parts/incremental";
import { median, quantile } from "./parts/stats";

const argv = process.argv.slice(2);
const opt = (name: string, fallback: string) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : fallback);
const SCALES = opt("scales", "1,10").split(",").map(Number);
const UPLOADS = Number(opt("uploads", "12"));
const RUNS = Number(opt("runs", "5"));
const SECONDS = Number(opt("seconds", "20"));
const log = (s: string) => process.stderr.write(`back-office: ${s}\n`);
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

async function docx(title: string, token: string): Promise<Buffer> {
  const paragraphs = [`本文是后台上传基准的第${token}份文件，用来测量从上传到可检索的时间。`, "支部围绕学习贯彻党的创新理论，组织党员开展专题研讨和志愿服务。"];
  const children = [new Paragraph({ text: title, heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER }), ...paragraphs.map((p) => new Paragraph({ children: [new TextRun(p)] }))];
  return Packer.toBuffer(new Document({ sections: [{ children }] }));
}

/** Uploads one .docx and polls the search API until it finds it: seconds to the answer and to searchable. */
async function uploadToSearchable(server: RunningServer, who: { cookie: string; csrf: string }, label: string): Promise<{ answer: number; searchable: number }> {
  const bo = backOffice(server.base);
  const token = `基准上传${label}号`;
  const bytes = await docx(`后台上传基准文章${label}`, token);
  const t0 = performance.now();
  const r = await bo.upload([[`基准-${label}.docx`, bytes]], who);
  const answer = (performance.now() - t0) / 1000;
  if (r.status !== 200 || r.body.files?.[0]?.status !== "indexed") throw new Error(`upload ${label}: ${r.status} ${JSON.stringify(r.body)}`);
  for (;;) {
    if ((await bo.search(token)).total > 0) return { answer, searchable: (performance.now() - t0) / 1000 };
    if (performance.now() - t0 > 120_000) throw new Error(`upload ${label} not searchable within 120 s`);
    await new Promise((res) => setTimeout(res, 20));
  }
}

/** Distinct one- and two-word queries from the library's titles. */
async function distinctQueries(base: string): Promise<string[]> {
  const res = (await (await fetch(`${base}/api/search?size=100&sort=oldest&group=0`)).json()) as { hits: Array<{ title: string }> };
  const words = [...new Set(res.hits.flatMap((h) => cut(h.title)).filter((w) => w.length >= 2 && /^\p{Script=Han}+$/u.test(w)))];
  const out = [...words];
  for (let i = 0; i + 1 < words.length && out.length < 600; i++) out.push(`${words[i]} ${words[i + 1]}`);
  return out;
}

/** CPU seconds the server's processes (its process group) have used so far: what a run costs the server, without the load generator sharing the machine. */
function cpuSeconds(server: RunningServer): number {
  const ticks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  let total = 0;
  for (const pid of execFileSync("pgrep", ["-g", String(server.pid)], { encoding: "utf8" }).trim().split("\n")) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /su, "").split(" ");
      total += (Number(fields[11]) + Number(fields[12])) / ticks;
    } catch {
      /* gone */
    }
  }
  return total;
}

/** Results pages per second at 64 connections; with the beacon, each page view also posts it (as the page does). */
async function pagesPerSecond(base: string, queries: string[], beacon: boolean, seconds = SECONDS): Promise<{ pagesPerSecond: number; p99: number; pages: number }> {
  let i = 0;
  let j = 0;
  const page: autocannon.Request = { method: "GET", setupRequest: (req) => ({ ...req, path: `/?q=${encodeURIComponent(queries[i++ % queries.length])}` }) };
  const post: autocannon.Request = {
    method: "POST",
    setupRequest: (req) => ({
      ...req,
      path: "/api/analytics",
      headers: { "Content-Type": "application/json", Origin: base },
      body: JSON.stringify({ kind: "search", q: queries[j++ % queries.length], total: j % 7 }),
    }),
  };
  const r = await autocannon({ url: base, connections: 64, duration: seconds, timeout: 10, requests: beacon ? [page, post] : [page] });
  if (r.errors + r.timeouts + r.non2xx > 0) log(`warning: ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx`);
  return { pagesPerSecond: r.requests.average / (beacon ? 2 : 1), p99: r.latency.p99, pages: r.requests.total / (beacon ? 2 : 1) };
}

async function main() {
  if (!HAVE_CORPUS) {
    log(SKIP_REASON);
    return;
  }
  const results: Record<string, unknown> = { date: new Date().toISOString(), uploads: UPLOADS, runs: RUNS, seconds: SECONDS, machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GB` };
  for (const scale of SCALES) {
    const work = mkdtempSync(path.join(os.tmpdir(), `bench-back-office-${scale}-`));
    const servers: RunningServer[] = [];
    try {
      const content = path.join(work, "content");
      const index = path.join(work, "index");
      const { articles } = await makeContent(content, scale);
      const t = performance.now();
      // As `npm run index` runs (package.json): its heap limit and malloc settings.
      const heapMb = execFileSync(process.execPath, ["scripts/heap-mb.cjs"], { encoding: "utf8" }).trim();
      execFileSync(process.execPath, [`--max-old-space-size=${heapMb}`, "--import", "tsx", "scripts/index.ts", "--full"], {
        env: { ...process.env, GLIBC_TUNABLES: "glibc.malloc.hugetlb=1", INDEX_DIR: index, CONTENT_DIR: content, ADMIN_DB: path.join(work, "admin.sqlite") },
        stdio: ["ignore", "ignore", "inherit"],
      });
      log(`×${scale}: ${articles} articles built in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      const store = sqliteStore(path.join(work, "admin.sqlite"));
      await store.addAccount("bench", "editor", await hashPassword(PASSWORD));
      await store.close();
      const env = { ADMIN_DB: path.join(work, "admin.sqlite"), CONTENT_DIR: content };
      const server = await startProductionServer(index, { cluster: true, env });
      servers.push(server);
      const who = await backOffice(server.base).signIn("bench");
      const first = await uploadToSearchable(server, who, `${scale}-0`);
      log(`×${scale}: first upload (starts the index service): answer ${first.answer.toFixed(2)} s, searchable ${first.searchable.toFixed(2)} s`);
      const times: Array<{ answer: number; searchable: number }> = [];
      for (let i = 1; i <= UPLOADS; i++) {
        times.push(await uploadToSearchable(server, who, `${scale}-${i}`));
        log(`×${scale} upload ${i}: answer ${times.at(-1)!.answer.toFixed(2)} s, searchable ${times.at(-1)!.searchable.toFixed(2)} s`);
      }
      const s = times.map((x) => x.searchable);
      const a = times.map((x) => x.answer);
      const upload = { articles, first: { answer: round(first.answer), searchable: round(first.searchable) }, searchable: { p50: round(median(s)), p95: round(quantile(s, 0.95)), max: round(Math.max(...s)) }, answer: { p50: round(median(a)), p95: round(quantile(a, 0.95)) } };
      log(`×${scale} upload → searchable: ${JSON.stringify(upload)}`);
      // Where a run's time goes, as the index service printed it.
      for (const line of server.log().split("\n").filter((l) => l.startsWith("index: generation") || l.startsWith("index: live changes")).slice(-3)) log(`×${scale} ${line.replace(/ \[back office.*$/u, "")}`);
      server.stop();
      servers.length = 0;
      let analytics: unknown = null;
      if (scale === SCALES[0]) {
        const off = { RESULT_CACHE_ENTRIES: "0", PAGE_CACHE_MB: "0" };
        const on = await startProductionServer(index, { cluster: true, env: { ...env, ...off, ANALYTICS: "1" } });
        servers.push(on);
        const offServer = await startProductionServer(index, { cluster: true, env: { ...env, ...off, ANALYTICS: "0" } });
        servers.push(offServer);
        const queries = await distinctQueries(on.base);
        // Warm-up, unmeasured: the first seconds of load on a fresh server are slower (compiled code, caches of the query path).
        await pagesPerSecond(offServer.base, queries, false, 10);
        await pagesPerSecond(on.base, queries, true, 10);
        const rows: Array<{ on: number; off: number; onCpuMsPerPage: number; offCpuMsPerPage: number }> = [];
        /** One measured run: pages per second, and the server's CPU milliseconds per page. */
        const measure = async (server: RunningServer, beacon: boolean) => {
          const cpu = cpuSeconds(server);
          const m = await pagesPerSecond(server.base, queries, beacon);
          return { ...m, cpuMsPerPage: ((cpuSeconds(server) - cpu) * 1000) / m.pages };
        };
        for (let r = 0; r < RUNS; r++) {
          // The two servers loaded in turn, which goes first alternating.
          const first = r % 2 === 0;
          const x = first ? await measure(on, true) : null;
          const y = await measure(offServer, false);
          const z = x ?? (await measure(on, true));
          rows.push({ on: z.pagesPerSecond, off: y.pagesPerSecond, onCpuMsPerPage: z.cpuMsPerPage, offCpuMsPerPage: y.cpuMsPerPage });
          log(`×${scale} run ${r + 1}: analytics on ${z.pagesPerSecond.toFixed(0)} pages/s (${z.cpuMsPerPage.toFixed(2)} ms of server CPU per page), off ${y.pagesPerSecond.toFixed(0)} pages/s (${y.cpuMsPerPage.toFixed(2)} ms)`);
        }
        const onMedian = median(rows.map((r) => r.on));
        const offMedian = median(rows.map((r) => r.off));
        const onCpu = median(rows.map((r) => r.onCpuMsPerPage));
        const offCpu = median(rows.map((r) => r.offCpuMsPerPage));
        // The throughput ratio also carries the load generator's own work for the beacons (it shares the two cores); the server's CPU per page does not.
        analytics = {
          queries: queries.length,
          connections: 64,
          onPagesPerSecond: round(onMedian, 0),
          offPagesPerSecond: round(offMedian, 0),
          throughputCost: round(1 - onMedian / offMedian, 3),
          onCpuMsPerPage: round(onCpu),
          offCpuMsPerPage: round(offCpu),
          cpuCost: round(onCpu / offCpu - 1, 3),
          runs: rows,
        };
        log(`×${scale} analytics: ${JSON.stringify(analytics)}`);
      }
      results[`x${scale}`] = { upload, ...(analytics ? { analytics } : {}) };
    } finally {
      for (const s of servers) s.stop();
      rmSync(work, { recursive: true, force: true });
    }
  }
  mkdirSync("docs/bench", { recursive: true });
  writeFileSync("docs/bench/back-office.json", `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(results)}\n`);
}

main().then(
  () => process.exit(0),
  (e) => {
    log((e as Error).stack ?? String(e));
    process.exit(1);
  },
);
