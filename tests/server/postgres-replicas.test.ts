// Past one machine: app servers with SEARCH_BACKEND=postgres hold nothing but
// a connection to one database. Two of them answer exactly like the memory
// backend and like each other; a re-index while both serve under load shows
// on both within seconds without a failed request; a hot standby (streaming
// replication) serves the reads of a third while writes go to the primary.
// When the database is gone, the API, the reading API and the feed answer 503
// naming it. Real PostgreSQL and the production server as `npm start` runs it
// (one worker each here: four servers share these two cores), on loopback.
import { execFile, spawn } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeLibrary, markdownArticle, within, type Library } from "../../testkit/library";
import { startPostgres, type TestPostgres } from "../../testkit/postgres";
import { searchTotal, startProductionServer, type RunningServer } from "../../testkit/production-server";
import { allIds, responses } from "../helpers/api-responses";
import { syntheticJsonl } from "../helpers/synthetic";
import { traffic } from "../helpers/traffic";

/** One public address for every server compared (citations are absolute links; the servers listen on different ports). */
const SITE_URL = "https://dangjian.example";

let pg: TestPostgres;
let lib: Library;
let dbUrl: string;
let memory: RunningServer;
let replicas: RunningServer[] = [];
const servers: RunningServer[] = [];

/** `npm run index` into the database, as an editor runs it: a separate process. */
async function indexIntoDatabase(): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/index.ts"], {
    env: { ...process.env, SEARCH_BACKEND: "postgres", DATABASE_URL: dbUrl, CONTENT_DIR: lib.content, GLIBC_TUNABLES: "glibc.malloc.hugetlb=1" },
  });
  return stdout;
}

async function startPgServer(env: Record<string, string> = {}): Promise<RunningServer> {
  // The index folder is never read with this backend: a path that does not exist proves it.
  const server = await startProductionServer(`${lib.root}/no-index-here`, { env: { SEARCH_BACKEND: "postgres", DATABASE_URL: dbUrl, INDEX_POLL_MS: "500", WEB_CONCURRENCY: "1", SITE_URL, ...env } });
  servers.push(server);
  return server;
}

beforeAll(async () => {
  pg = await startPostgres();
  dbUrl = await pg.database("replicas");
  lib = await makeLibrary("pg-replicas");
  expect(await indexIntoDatabase()).toMatch(/full build \(no index yet\): 32 articles/u);
  memory = await startProductionServer(lib.index, { env: { WEB_CONCURRENCY: "1", SITE_URL } });
  servers.push(memory);
  // Polling slower than the suite runs: a new generation can only reach these two by the database's notice
  // (with a 500 ms poll, the poll sometimes saw it first under load, and the log named the poll).
  replicas = [await startPgServer({ INDEX_POLL_MS: "600000" }), await startPgServer({ INDEX_POLL_MS: "600000" })];
}, 300_000);

afterAll(async () => {
  for (const s of servers) s.stop();
  await lib?.cleanup();
  pg?.stop();
});

describe("app servers sharing one PostgreSQL", () => {
  it("answer exactly like the memory backend and like each other (full responses: totals, ids, order, facets, highlights)", async () => {
    const ids = await allIds(memory.base);
    expect(ids.length).toBe(32);
    const expected = await responses(memory.base, ids);
    expect(await responses(replicas[0].base, ids)).toEqual(expected);
    expect(await responses(replicas[1].base, ids)).toEqual(expected);
    // Lean: each app server holds per-article arrays and reads the rest from the database per query.
    for (const r of replicas) expect(r.log()).toMatch(/search: loaded 32 articles \(lean: rows read per query\)/u);
  });

  it("show a re-index on both within seconds, with no failed request under load", async () => {
    const load = traffic(replicas.map((r) => r.base), 8);
    for (const r of replicas) expect(await searchTotal(r.base, "白桦林党建示范点")).toBe(0);
    await lib.write("2026/baihualin.md", "白桦林党建示范点建设纪实", "白桦林党建示范点把支部建在合作社里。");
    const stdout = await indexIntoDatabase();
    expect(stdout).toMatch(/\+1 added, ~0 changed, -0 deleted/u);
    const ended = performance.now();
    for (const r of replicas) await within(10_000, `${r.base} finds the new article`, async () => (await searchTotal(r.base, "白桦林党建示范点")) === 1);
    console.log(`both replicas serve the new generation ${((performance.now() - ended) / 1000).toFixed(2)} s after the index run ended`);
    await lib.remove("2026/baihualin.md");
    await indexIntoDatabase();
    for (const r of replicas) await within(10_000, `${r.base} drops the deleted article`, async () => (await searchTotal(r.base, "白桦林")) === 0);
    const { ok, failures } = await load.end();
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(50);
    for (const r of replicas) expect(r.log()).toMatch(/search: generation \S+ live \(32 articles, lean; incremental: \+0 ~0 -1\) after database notice/u);
  });

  it("serve reads from a hot standby (DATABASE_READ_URL) while the index is written to the primary", async () => {
    const standbyUrl = (await pg.standby()).replace(/\/postgres$/u, "/replicas");
    const standby = new Client({ connectionString: standbyUrl });
    await standby.connect();
    try {
      expect((await standby.query("SELECT pg_is_in_recovery() AS r")).rows[0].r).toBe(true);
      const reads = async () => Number((await standby.query("SELECT tup_returned FROM pg_stat_database WHERE datname = 'replicas'")).rows[0].tup_returned);
      const before = await reads();
      const reader = await startPgServer({ DATABASE_READ_URL: standbyUrl });
      // The whole generation was read from the standby (its articles and n-gram rows; counted once the
      // reading connections report their statistics, at the latest when the pool closes them idle).
      await within(20_000, "the standby counts the generation's rows as read", async () => (await reads()) - before > 4000);
      const ids = await allIds(memory.base);
      expect(await responses(reader.base, ids)).toEqual(await responses(memory.base, ids));
      // A write on the standby is refused: it is read-only.
      await expect(standby.query("CREATE TABLE search.nope (x int)")).rejects.toThrow(/read-only transaction/u);
      await lib.write("2026/standby.md", "红杉林党建示范点", "红杉林党建示范点的新文章。");
      await indexIntoDatabase();
      await within(15_000, "the standby-reading server serves the new generation", async () => (await searchTotal(reader.base, "红杉林党建示范点")) === 1);
      expect(await searchTotal(replicas[0].base, "红杉林党建示范点")).toBe(1);
    } finally {
      await standby.end();
    }
  });

  it("stay on the live generation when an index run is killed (kill -9) while writing into the database; the next run completes and clears its rows", async () => {
    await fs.writeFile(path.join(lib.content, "bulk", "synthetic.jsonl"), syntheticJsonl(6000));
    await indexIntoDatabase();
    await within(10_000, "the replicas serve the bulk", async () => (await searchTotal(replicas[0].base, "党支部")) > 1000);
    const expected = await searchTotal(replicas[0].base, "党支部");
    const db = new Client({ connectionString: dbUrl });
    await db.connect();
    try {
      const live = async () => (await db.query("SELECT generation FROM search.live")).rows[0].generation as number;
      const before = await live();
      await fs.writeFile(path.join(lib.content, "crash.md"), markdownArticle("崩溃测试文章", "凤凰台党建崩溃测试。"));
      const child = spawn(process.execPath, ["--import", "tsx", "scripts/index.ts", "--full"], {
        env: { ...process.env, SEARCH_BACKEND: "postgres", DATABASE_URL: dbUrl, CONTENT_DIR: lib.content },
        stdio: "ignore",
      });
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      await within(120_000, "the run is writing a generation", async () => (await db.query("SELECT 1 FROM search.generations WHERE state = 'building'")).rowCount === 1);
      child.kill("SIGKILL");
      expect(await exited).toBeNull();
      expect(await live()).toBe(before);
      for (const r of replicas) {
        expect(await searchTotal(r.base, "党支部")).toBe(expected);
        expect(await searchTotal(r.base, "凤凰台")).toBe(0);
      }
      // The dead run's connection (and with it the index lock) is gone; the next run completes and is served.
      await indexIntoDatabase();
      for (const r of replicas) await within(10_000, `${r.base} serves the next generation`, async () => (await searchTotal(r.base, "凤凰台")) === 1);
      expect((await db.query("SELECT 1 FROM search.generations WHERE state <> 'published'")).rowCount).toBe(0);
      const tables = await db.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'search' AND tablename ~ '^(articles|ngrams)_'");
      const ids = (await db.query<{ id: number }>("SELECT id FROM search.generations")).rows.map((r) => r.id);
      expect(tables.rows.map((r) => r.t).sort()).toEqual(ids.flatMap((id) => [`articles_${id}`, `ngrams_${id}`]).sort());
    } finally {
      await db.end();
    }
  }, 240_000);

  it("answer 503 naming the database, on the search API, the reading API and the feed, when the database is gone", async () => {
    const own = await startPostgres();
    let server: RunningServer | undefined;
    try {
      const url = await own.database("outage");
      await promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/index.ts"], {
        env: { ...process.env, SEARCH_BACKEND: "postgres", DATABASE_URL: url, CONTENT_DIR: lib.content },
      });
      server = await startProductionServer(`${lib.root}/no-index-here`, { env: { SEARCH_BACKEND: "postgres", DATABASE_URL: url, WEB_CONCURRENCY: "1", SITE_URL } });
      const id = (await allIds(server.base))[0];
      const paths = [`/api/search?q=${encodeURIComponent("支部 学习")}`, `/api/articles/${encodeURIComponent(id)}?q=${encodeURIComponent("党员")}`, `/feed.xml?q=${encodeURIComponent("组织生活")}`];
      for (const p of paths) expect((await fetch(`${server.base}${p}`)).status, p).toBe(200);
      own.stop();
      // Requests not asked before (a kept answer would still be sent): each needs rows from the database.
      const fresh = [`/api/search?q=${encodeURIComponent("党建 创新")}`, `/api/articles/${encodeURIComponent(id)}?q=${encodeURIComponent("学习")}`, `/feed.xml?q=${encodeURIComponent("党建 创新")}`];
      for (const p of fresh) {
        const res = await fetch(`${server.base}${p}`);
        expect(res.status, p).toBe(503);
        expect(((await res.json()) as { error: string }).error, p).toMatch(/database did not answer/u);
      }
    } finally {
      server?.stop();
      own.stop();
    }
  });
});
