// `npm run bench:freshness [-- --scales 1,10] [--backends folder,postgres] [--changes 12] [--json]`:
// a file landed in the content folder → searchable (bench/parts/freshness.ts), through
// `npm start` and `npm run index -- --watch`, at each scale and backend (both write
// live changes: build/live.ts; PostgreSQL's servers are lean). Writes
// docs/bench/freshness.json (unless --json).
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { HAVE_CORPUS, SKIP_REASON } from "../testkit/corpus";
import { startPostgres } from "../testkit/postgres";
import { freshnessRun, type FreshnessRow } from "./parts/freshness";

const argv = process.argv.slice(2);
const opt = (name: string, fallback: string) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : fallback);
const log = (s: string) => process.stderr.write(`freshness: ${s}\n`);

/** Freshness rows for these scales and backends (PostgreSQL started here for its rows). */
export async function freshnessBench(scales: number[], backends: Array<FreshnessRow["backend"]>, changes: number): Promise<FreshnessRow[]> {
  const rows: FreshnessRow[] = [];
  for (const backend of backends) {
    for (const scale of scales) {
      if (backend === "folder") {
        rows.push(await freshnessRun(scale, changes, backend, {}, log));
      } else {
        const pg = await startPostgres();
        try {
          const url = await pg.database(`fresh${scale}`);
          rows.push(await freshnessRun(scale, changes, backend, { SEARCH_BACKEND: "postgres", DATABASE_URL: url }, log));
        } finally {
          pg.stop();
        }
      }
      const r = rows.at(-1)!;
      log(`${backend} ×${scale}: p50 ${r.p50Seconds} s, p95 ${r.p95Seconds} s, max ${r.maxSeconds} s; server RSS ${r.rssBeforeMB} → ${r.rssAfterMB} MB`);
    }
  }
  return rows;
}

async function main() {
  if (!HAVE_CORPUS) {
    log(SKIP_REASON);
    return;
  }
  const scales = opt("scales", "1,10").split(",").map(Number);
  const backends = opt("backends", "folder,postgres").split(",") as Array<FreshnessRow["backend"]>;
  const rows = await freshnessBench(scales, backends, Number(opt("changes", "12")));
  const out = { date: new Date().toISOString(), machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GB`, freshness: rows };
  if (argv.includes("--json")) process.stdout.write(`${JSON.stringify(out)}\n`);
  else {
    mkdirSync("docs/bench", { recursive: true });
    writeFileSync("docs/bench/freshness.json", `${JSON.stringify(out, null, 1)}\n`);
    log("wrote docs/bench/freshness.json");
  }
}

if (require.main === module) main().catch((e) => {
  process.stderr.write(`freshness: ${(e as Error).stack}\n`);
  process.exit(1);
});
