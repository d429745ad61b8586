// Starts the production build (`next start`) on a loopback port over a given
// index, for tests and benchmarks: builds the app first when there is no
// build or it is older than the sources, waits until a search answers, keeps the server's log, and stops the
// whole process group afterwards.
import { execFileSync, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { WebSocket } from "undici";
import "./own-back-office";

const { glibcTunables } = createRequire(import.meta.url)("../server/glibc-tunables.cjs") as { glibcTunables: (env: NodeJS.ProcessEnv) => string };

export interface RunningServer {
  base: string;
  /** Process group of the server (next and next-server). */
  pid: number;
  /** Milliseconds from spawn to the first 200 answer of /api/search. */
  readyMs: number;
  /** What the server printed so far (stdout and stderr). */
  log(): string;
  /** Resident memory of the server's processes, in MB (all of them: the cluster primary and its workers). */
  rssMB(): number;
  /** How many processes answer requests (1 unless started as a cluster). */
  workers: number;
  stop(): void;
}

export interface ServerOptions {
  port?: number;
  env?: Record<string, string>;
  /**
   * Start as `npm start` does (the default): server/cluster.cjs, one Next.js server per core (or WEB_CONCURRENCY)
   * under Node's cluster, with the direct API path and each worker's kept pages. false: one bare `next start`
   * (benchmarks that measure Next.js alone, and the test that compares the two paths).
   */
  cluster?: boolean;
}

/**
 * A server's resident memory once settled: the lowest of readings every 500 ms
 * over 16 s. A burst of loading grows the heap for a moment and V8 and malloc
 * give that back within seconds (one reading 1 s after ten generation swaps
 * ranged 3-14% over the first on the same code); memory still held by what was
 * replaced is never given back, and shows in the lowest reading as in any.
 * 16 s, not 8: V8 gave a burst back ~15 s after it, and over 8 s one run still
 * read 9.5%.
 */
export async function settledRssMB(server: RunningServer): Promise<number> {
  let lowest = Infinity;
  for (let i = 0; i < 32; i++) {
    await new Promise((r) => setTimeout(r, 500));
    lowest = Math.min(lowest, server.rssMB());
  }
  return lowest;
}

/**
 * The JavaScript memory a server keeps, in MB: over every process of it
 * (the cluster primary and its workers), V8's heap in use plus the memory
 * held outside it (Buffers, typed arrays: the index's blobs), each read
 * right after a full garbage collection, through the inspector. A server
 * started with INSPECT_ENV listens for it on a loopback port of its own per
 * process. Unlike resident memory, this does not depend on when V8 and malloc
 * give freed pages back: a clean-clone run read resident memory 21% higher
 * after 1,000 live changes than after 300 with nothing kept, another 11%
 * lower. What is still held after a full collection is what the server keeps.
 */
export async function heapAfterGcMB(server: RunningServer): Promise<number> {
  const urls = [...new Set([...server.log().matchAll(/Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/[\w-]+)/gu)].map((m) => m[1]))];
  if (urls.length === 0) throw new Error("heapAfterGcMB: the server was not started with INSPECT_ENV (no inspector in its log)");
  const alive = new Set(execFileSync("pgrep", ["-g", String(server.pid)], { encoding: "utf8" }).trim().split("\n").map(Number));
  let bytes = 0;
  let read = 0;
  const failures: string[] = [];
  for (const url of urls) {
    // A process of the group that has exited (a worker replaced) no longer answers; every live one must.
    const usage = await inspectMemory(url).catch((e: Error) => (failures.push(e.message), null));
    if (usage === null || !alive.has(usage.pid)) continue;
    bytes += usage.heapUsed + usage.external;
    read++;
  }
  if (read !== alive.size) throw new Error(`heapAfterGcMB: read ${read} of the server's ${alive.size} processes (${failures.join("; ")})`);
  return bytes / 1024 / 1024;
}

/** Environment for startProductionServer that lets heapAfterGcMB read each process's memory (loopback, random ports). */
export const INSPECT_ENV = { NODE_OPTIONS: "--inspect=127.0.0.1:0" };

/** One process's memory after a full collection, through its inspector (Chrome DevTools Protocol over a WebSocket). */
async function inspectMemory(url: string): Promise<{ pid: number; heapUsed: number; external: number }> {
  const ws = new WebSocket(url);
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 0;
  const call = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) => {
      const id = ++next;
      pending.set(id, { resolve, reject });
      ws.send(JSON.stringify({ id, method, params }));
    });
  ws.addEventListener("message", (e) => {
    const m = JSON.parse(String(e.data)) as { id?: number; result?: unknown; error?: { message: string } };
    const p = m.id === undefined ? undefined : pending.get(m.id);
    if (!p) return;
    pending.delete(m.id!);
    if (m.error) p.reject(new Error(m.error.message));
    else p.resolve(m.result);
  });
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener("open", () => resolve());
    ws.addEventListener("error", () => reject(new Error(`cannot reach the inspector at ${url}`)));
  });
  try {
    await call("HeapProfiler.collectGarbage");
    const r = (await call("Runtime.evaluate", { expression: "({ pid: process.pid, ...process.memoryUsage() })", returnByValue: true })) as {
      result: { value: { pid: number; heapUsed: number; external: number } };
    };
    return r.result.value;
  } finally {
    ws.close();
  }
}

/** How many articles a query finds on a running server. */
export async function searchTotal(base: string, q: string): Promise<number> {
  const r = await fetch(`${base}/api/search?q=${encodeURIComponent(q)}`);
  if (r.status !== 200) throw new Error(`search for ${q}: status ${r.status}`);
  return ((await r.json()) as { total: number }).total;
}

/** A free loopback port, from the operating system. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** What the Next.js build is made from: a newer file here means the build in .next is stale. */
const BUILD_INPUTS = ["app", "components", "lib", "server", "public", "next.config.ts", "package-lock.json", "tsconfig.json"];

/** The newest modification time among files and folders (recursively), ms. */
function newestMtime(paths: string[]): number {
  let newest = 0;
  for (const p of paths) {
    if (!existsSync(p)) continue;
    const st = statSync(p);
    newest = Math.max(newest, st.mtimeMs);
    if (st.isDirectory()) newest = Math.max(newest, newestMtime(readdirSync(p).map((name) => path.join(p, name))));
  }
  return newest;
}

/**
 * Builds the Next.js app when there is no build, or when a source file is
 * newer than it: a server started on a stale build measured or tested the
 * code before the change (a benchmark once ran a build whose index format
 * was one behind the index it had just written, and every query failed).
 */
export function ensureBuilt(): void {
  if (existsSync(".next/BUILD_ID") && statSync(".next/BUILD_ID").mtimeMs >= newestMtime(BUILD_INPUTS)) return;
  process.stderr.write("building the Next.js app (next build)…\n");
  execFileSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], { stdio: "ignore", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
}

export async function startProductionServer(indexDir: string, options: ServerOptions = {}): Promise<RunningServer> {
  ensureBuilt();
  const port = options.port ?? (await freePort());
  const started = performance.now();
  const cluster = options.cluster ?? true;
  const entry = cluster ? "server/cluster.cjs" : "node_modules/next/dist/bin/next";
  const args = [...(cluster ? [] : ["start"]), "-H", "127.0.0.1", "-p", String(port)];
  const workers = cluster ? Number(options.env?.WEB_CONCURRENCY || process.env.WEB_CONCURRENCY || os.availableParallelism()) : 1;
  const child = spawn(process.execPath, [entry, ...args], {
    // As `npm start` runs its workers: glibc's settings by backend (server/glibc-tunables.cjs: huge pages for a whole
    // index, a fixed mmap threshold for a lean postgres server).
    env: { ...process.env, INDEX_DIR: indexDir, NEXT_TELEMETRY_DISABLED: "1", ...options.env, GLIBC_TUNABLES: glibcTunables({ ...process.env, ...options.env }) },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const base = `http://127.0.0.1:${port}`;
  const stop = () => {
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      /* already gone */
    }
  };
  const rssMB = () => {
    const pids = execFileSync("pgrep", ["-g", String(child.pid)], { encoding: "utf8" }).trim().split("\n");
    let kb = 0;
    for (const pid of pids) {
      try {
        const m = /VmRSS:\s+(\d+)/u.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
        if (m) kb += Number(m[1]);
      } catch {
        /* gone */
      }
    }
    return kb / 1024;
  };
  // Ready when every worker has answered: each loads the index on its own, and the cluster hands connections out in turn.
  let answered = 0;
  let readyMs = 0;
  for (;;) {
    if (performance.now() - started > 90_000) {
      stop();
      throw new Error(`the server on ${base} did not answer within 90 s:\n${output}`);
    }
    try {
      const r = await fetch(`${base}/api/search?q=${encodeURIComponent("党建")}`);
      if (r.status === 200) {
        await r.json();
        if (answered++ === 0) readyMs = performance.now() - started;
        if (answered >= workers * 2) break;
        continue;
      }
    } catch {
      /* not listening yet */
    }
    await new Promise((res) => setTimeout(res, 20));
  }
  return { base, pid: child.pid!, readyMs, log: () => output, rssMB, workers, stop };
}
