// The production server under load: autocannon on loopback against the
// search page and the reading page, 16 and 64 connections, 30 s each, with a
// bounded request count, over a ×1 corpus index.
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
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
  if (!existsSync(".next/BUILD_ID")) execFileSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], { stdio: "ignore" });
  const port = 3700 + Math.floor(Math.random() * 90);
  const server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", String(port)], {
    env: { ...process.env, INDEX_DIR: dir, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: "ignore",
    detached: true,
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/api/search?q=x`)).ok) break;
      } catch {
        /* starting */
      }
      if (i > 600) throw new Error("load: server did not start");
      await new Promise((r) => setTimeout(r, 100));
    }
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
    process.kill(-server.pid!, "SIGTERM");
  }
}
