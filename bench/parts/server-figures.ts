// The production server's own figures over an index: cold start and memory.
import { startProductionServer } from "../../testkit/production-server";
import { median } from "./stats";
import type { BenchQuery } from "./systems";

/**
 * The production server over the index just built, as a user starts it: one
 * `next start` process (the figure per process; `npm start` runs one per
 * core). Started RUNS times: cold start is spawn → first answer of
 * /api/search; memory is the process's RSS after it answered the query set.
 */
export async function serverFigures(dir: string, queries: BenchQuery[], env: Record<string, string>): Promise<{ rssMB: number; coldStartSeconds: number }> {
  const starts: number[] = [];
  let rssMB = 0;
  for (let run = 0; run < 3; run++) {
    const server = await startProductionServer(dir, { cluster: false, env });
    try {
      starts.push(server.readyMs / 1000);
      if (run === 0) {
        for (const q of queries) await (await fetch(`${server.base}/api/search?q=${encodeURIComponent(q.parts.join(" "))}`)).arrayBuffer();
        await (await fetch(`${server.base}/?q=${encodeURIComponent(queries[0].parts.join(" "))}`)).arrayBuffer();
        rssMB = server.rssMB();
      }
    } finally {
      server.stop();
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return { rssMB, coldStartSeconds: median(starts) };
}
