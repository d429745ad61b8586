// The production server under load: autocannon on loopback against
// /api/search, the search page and the reading page, at 16 and 64
// connections, for a fixed time each, over a ×1 corpus index. The server runs
// as `npm start` does (one `next start` per core under Node's cluster); the
// same test against one `next start` process is reported beside it.
import { execFileSync, spawn } from "node:child_process";
import path from "node:path";
import autocannon from "autocannon";
import { startBalancer } from "../../testkit/balancer";
import { startPostgres } from "../../testkit/postgres";
import { freePort, startProductionServer, type RunningServer } from "../../testkit/production-server";
import type { BenchQuery } from "./systems";

export interface LoadResult {
  target: string;
  /** "cluster (N workers)" or "one process". */
  server: string;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

const SECONDS = Number(process.env.BENCH_LOAD_SECONDS || 20);

/** The paths each target is loaded with: the query set's searches, and reading pages of what they find (with the query, for highlights). */
export async function loadPaths(base: string, queries: string[]): Promise<Record<string, string[]>> {
  const reading: string[] = [];
  for (const q of queries.slice(0, 40)) {
    const res = (await (await fetch(`${base}/api/search?size=3&q=${encodeURIComponent(q)}`)).json()) as { hits: Array<{ id: string }> };
    for (const h of res.hits) reading.push(`/articles/${encodeURIComponent(h.id)}?q=${encodeURIComponent(q)}`);
  }
  return {
    "/api/search": queries.map((q) => `/api/search?q=${encodeURIComponent(q)}`),
    "search page": queries.map((q) => `/?q=${encodeURIComponent(q)}`),
    "reading page": reading,
  };
}

/** autocannon against one running server: every target at 16 and 64 connections. */
export async function loadServer(base: string, paths: Record<string, string[]>, server: string, seconds = SECONDS, connectionsList = [16, 64]): Promise<LoadResult[]> {
  const out: LoadResult[] = [];
  for (const [target, list] of Object.entries(paths)) {
    for (const connections of connectionsList) {
      let i = 0;
      const r = await autocannon({
        url: base,
        connections,
        // Bounded by time (autocannon's "amount" would override the duration).
        duration: seconds,
        timeout: 10,
        requests: [{ method: "GET", setupRequest: (req) => ({ ...req, path: list[i++ % list.length] }) }],
      });
      out.push({ target, server, connections, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx });
      process.stderr.write(`bench: load ${server} ${target} ×${connections}: ${Math.round(r.requests.average)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms\n`);
    }
  }
  return out;
}

export async function loadTest(work: string, queries: BenchQuery[]): Promise<LoadResult[]> {
  const dir = path.join(work, "load-index");
  execFileSync(process.execPath, ["--import", "tsx", "scripts/index.ts", path.join(work, "articles-for-load")], { stdio: "ignore", env: { ...process.env, INDEX_DIR: dir } });
  const texts = queries.map((q) => q.parts.join(" "));
  const out: LoadResult[] = [];
  const runs: Array<{ cluster: boolean; env: Record<string, string>; name: (workers: number) => string; only: string | null; connections: number[] }> = [
    { cluster: true, env: {}, name: (n: number) => `cluster (${n} workers)`, only: null, connections: [16, 64] },
    { cluster: false, env: {}, name: () => "one process", only: null, connections: [16, 64] },
    // Every request computed: the engine's results cache and the workers' kept pages both off.
    { cluster: true, env: { RESULT_CACHE_ENTRIES: "0", PAGE_CACHE_MB: "0" }, name: (n: number) => `cache off, cluster (${n} workers)`, only: null, connections: [64] },
  ];
  for (const run of runs) {
    const server = await startProductionServer(dir, { cluster: !!run.cluster, env: run.env });
    try {
      const paths = await loadPaths(server.base, texts);
      const chosen = run.only ? { [run.only]: paths[run.only] } : paths;
      out.push(...(await loadServer(server.base, chosen, run.name(server.workers), SECONDS, run.connections)));
    } finally {
      server.stop();
    }
  }
  out.push(...(await loadFloor(texts)));
  out.push(...(await loadPostgres(work, texts)));
  return out;
}

/** The server names of the floor rows; compare.ts finds them by these. */
export const FLOOR_CLUSTER = "Next.js alone, cluster";
export const FLOOR_ONE = "Next.js alone, one process";

/**
 * The floor: bench/floor-app, a root layout and one dynamic page that prints
 * its query, built and served by the same Next.js, loaded with the search
 * page's paths: under server/cluster.cjs as `npm start` runs the project (one
 * server per core), then as one `next start`. No page of the project can
 * serve more per second than this on the machine; it puts the page targets in scale.
 */
export async function loadFloor(texts: string[]): Promise<LoadResult[]> {
  const app = path.resolve("bench", "floor-app");
  const next = path.resolve("node_modules/next/dist/bin/next");
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
  execFileSync(process.execPath, [next, "build", app], { stdio: "ignore", env });
  const paths = { "floor page": texts.map((q) => `/?q=${encodeURIComponent(q)}`) };
  const out: LoadResult[] = [];
  for (const [server, args] of [
    [FLOOR_CLUSTER, [path.resolve("server/cluster.cjs")]],
    [FLOOR_ONE, [next, "start"]],
  ] as const) {
    const port = await freePort();
    const child = spawn(process.execPath, [...args, "-H", "127.0.0.1", "-p", String(port)], { cwd: app, stdio: "ignore", env, detached: true });
    const base = `http://127.0.0.1:${port}`;
    try {
      for (let waited = 0; ; waited += 50) {
        if (waited > 60_000) throw new Error(`bench: the floor app (${app}) did not answer on ${base} within 60 s`);
        if ((await fetch(base).catch(() => null))?.status === 200) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      out.push(...(await loadServer(base, paths, server)));
    } finally {
      process.kill(-child.pid!, "SIGTERM");
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  return out;
}

/**
 * The postgres backend: the same articles indexed into a PostgreSQL started
 * for the run; one app process, then two replicas (one `next start` each)
 * behind nginx on one port, as docs/deploy.md lays them out.
 */
async function loadPostgres(work: string, texts: string[]): Promise<LoadResult[]> {
  const pg = await startPostgres();
  const out: LoadResult[] = [];
  const servers: RunningServer[] = [];
  try {
    const url = await pg.database("load");
    const env = { SEARCH_BACKEND: "postgres", DATABASE_URL: url };
    execFileSync(process.execPath, ["--import", "tsx", "scripts/index.ts", path.join(work, "articles-for-load")], { stdio: "ignore", env: { ...process.env, ...env } });
    const nowhere = path.join(work, "no-index-folder");
    const one = await startProductionServer(nowhere, { cluster: false, env });
    servers.push(one);
    const paths = await loadPaths(one.base, texts);
    out.push(...(await loadServer(one.base, paths, "postgres, one process", SECONDS, [64])));
    servers.push(await startProductionServer(nowhere, { cluster: false, env }));
    const balancer = await startBalancer(servers.map((s) => s.base));
    try {
      out.push(...(await loadServer(balancer.base, paths, "postgres, 2 replicas behind nginx", SECONDS, [16, 64])));
    } finally {
      balancer.stop();
    }
  } finally {
    for (const s of servers) s.stop();
    pg.stop();
  }
  return out;
}
