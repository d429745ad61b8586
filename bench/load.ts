// The production server under load: autocannon on loopback against the
// search page and the reading page, 16 and 64 connections, 30 s each, with a
// bounded request count, over a ×1 corpus index.
import { execFileSync } from "node:child_process";
import path from "node:path";
import autocannon from "autocannon";
import { startProductionServer } from "../tests/helpers/production-server";
import type { BenchQuery } from "./systems";

export interface LoadResult {
  target: string;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

const SECONDS = Number(process.env.BENCH_LOAD_SECONDS || 30);

export async function loadTest(work: string, queries: BenchQuery[]): Promise<LoadResult[]> {
  const dir = path.join(work, "load-index");
  execFileSync(process.execPath, ["--import", "tsx", "scripts/index.ts", path.join(work, "articles-for-load")], { stdio: "ignore", env: { ...process.env, INDEX_DIR: dir } });
  const server = await startProductionServer(dir);
  const base = server.base;
  try {
    const searchPaths = queries.map((q) => `/?q=${encodeURIComponent(q.parts.join(" "))}`);
    // Reading pages of articles the queries find, with their query for highlights.
    const readingPaths: string[] = [];
    for (const q of queries.slice(0, 40)) {
      const res = (await (await fetch(`${base}/api/search?size=3&q=${encodeURIComponent(q.parts.join(" "))}`)).json()) as { hits: Array<{ id: string }> };
      for (const h of res.hits) readingPaths.push(`/articles/${encodeURIComponent(h.id)}?q=${encodeURIComponent(q.parts.join(" "))}`);
    }
    const out: LoadResult[] = [];
    for (const [target, paths] of [
      ["search page", searchPaths],
      ["reading page", readingPaths],
    ] as const) {
      for (const connections of [16, 64]) {
        let i = 0;
        const r = await autocannon({
          url: base,
          connections,
          // Bounded by time (autocannon's "amount" would override the duration).
          duration: SECONDS,
          timeout: 10,
          requests: [{ method: "GET", setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length] }) }],
        });
        out.push({ target, connections, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx });
        process.stderr.write(`bench: load ${target} ×${connections}: ${Math.round(r.requests.average)} req/s, p99 ${r.latency.p99} ms\n`);
      }
    }
    return out;
  } finally {
    server.stop();
  }
}
