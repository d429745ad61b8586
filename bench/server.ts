// Starts the production build (`next start`) on a loopback port over a given
// index, for the benchmarks: waits until a search answers, and stops the whole
// process group afterwards.
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";

export interface RunningServer {
  base: string;
  /** Process group of the server (npx/next and next-server). */
  pid: number;
  /** Milliseconds from spawn to the first 200 answer of /api/search. */
  readyMs: number;
  stop(): void;
}

export async function startProductionServer(indexDir: string, port = 3700 + Math.floor(Math.random() * 200)): Promise<RunningServer> {
  if (!existsSync(".next/BUILD_ID")) {
    process.stderr.write("bench: building the Next.js app (next build)…\n");
    execFileSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], { stdio: "ignore", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  }
  const started = performance.now();
  const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", String(port)], {
    env: { ...process.env, INDEX_DIR: indexDir, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: "ignore",
    detached: true,
  });
  const base = `http://127.0.0.1:${port}`;
  const stop = () => {
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      /* already gone */
    }
  };
  for (;;) {
    if (performance.now() - started > 60_000) {
      stop();
      throw new Error(`bench: the server on ${base} did not answer within 60 s`);
    }
    try {
      const r = await fetch(`${base}/api/search?q=${encodeURIComponent("党建")}`);
      if (r.status === 200) {
        await r.json();
        break;
      }
    } catch {
      /* not listening yet */
    }
    await new Promise((res) => setTimeout(res, 20));
  }
  return { base, pid: child.pid!, readyMs: performance.now() - started, stop };
}
