// The PostgreSQL store (SEARCH_BACKEND=postgres) against a real PostgreSQL
// started by the test: a generation written to the database and loaded back
// answers exactly like the same generation saved to a folder; publishing is
// atomic; old generations go; a killed run leaves the live one alone.
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Pool } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SearchIndex } from "@/lib/search/engine";
import { buildFull, type Generation } from "@/lib/search/generation";
import { acquireIndexLock, listGenerationsPg, loadGenerationPg, pool, readLive, saveGenerationPg } from "@/lib/search/pg-store";
import { openIndex, saveGeneration } from "@/lib/search/store";
import { searchFixtureArticles } from "../fixtures/search-articles";
import { startPostgres, type TestPostgres } from "../helpers/postgres";
import { answers } from "../helpers/query-set";

let pg: TestPostgres;
let db: Pool;
let gen: Generation;
let built: SearchIndex;
let dir: string;

beforeAll(async () => {
  pg = await startPostgres();
  db = pool(await pg.database("store_test"));
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "pg-store-"));
  gen = await buildFull(searchFixtureArticles());
  built = await SearchIndex.fromFullBuild(gen);
}, 120_000);

afterAll(async () => {
  await db?.end();
  pg?.stop();
  await fs.rm(dir, { recursive: true, force: true });
});

const json = (x: unknown) => JSON.parse(JSON.stringify(x));

describe("the postgres store", () => {
  it("has no live generation before the first index run", async () => {
    expect(await readLive(db)).toBeNull();
    await expect(loadGenerationPg(db)).rejects.toThrow(/no index in the database/u);
  });

  it("loads a generation that answers exactly like the same generation saved to a folder", async () => {
    const saved = await saveGenerationPg(db, gen);
    expect(await readLive(db)).toBe(saved.name);
    expect(saved.bytes).toBeGreaterThan(0);
    await saveGeneration(dir, gen);
    const fromDb = (await loadGenerationPg(db)).index;
    const fromFiles = await openIndex(dir);
    const expected = json(answers(built));
    expect(json(answers(fromFiles))).toEqual(expected);
    expect(json(answers(fromDb))).toEqual(expected);
  }, 60_000);

  it("switches the live generation in one step and drops generations older than the previous one", async () => {
    const first = await readLive(db);
    const small = await buildFull(searchFixtureArticles().slice(0, 3));
    const second = await saveGenerationPg(db, small);
    expect((await loadGenerationPg(db)).index.size).toBe(3);
    // The previous generation stays loadable (a server may be loading it).
    expect((await loadGenerationPg(db, { name: first! })).index.size).toBe(built.size);
    const third = await saveGenerationPg(db, gen);
    expect(await readLive(db)).toBe(third.name);
    expect(await listGenerationsPg(db)).toEqual([third.name, second.name]);
    const tables = await db.query<{ n: string }>("SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'search' AND tablename ~ '^(articles|ngrams)_'");
    expect(Number(tables.rows[0].n)).toBe(4);
    const segments = await db.query<{ n: string }>("SELECT count(*) AS n FROM search.segments");
    expect(Number(segments.rows[0].n)).toBe(2);
  }, 60_000);

  it("leaves the live generation untouched when a run dies before publishing, and the next run clears its rows", async () => {
    const live = await readLive(db);
    // A run that wrote rows and died: an unpublished generation row and its tables.
    const dead = await db.query<{ id: number }>(
      "INSERT INTO search.generations (name, manifest, ngram_keys, ngram_postings) VALUES ('dead-run', '{}', 0, 0) RETURNING id",
    );
    await db.query(`CREATE TABLE search.ngrams_${dead.rows[0].id} (key bigint, docs bytea, freqs bytea)`);
    expect(await readLive(db)).toBe(live);
    await expect(loadGenerationPg(db, { name: "dead-run" })).rejects.toThrow(/not published/u);
    expect(json(answers((await loadGenerationPg(db)).index))).toEqual(json(answers(built)));
    await saveGenerationPg(db, gen);
    expect(await listGenerationsPg(db)).not.toContain("dead-run");
    const left = await db.query("SELECT 1 FROM pg_tables WHERE schemaname = 'search' AND tablename = $1", [`ngrams_${dead.rows[0].id}`]);
    expect(left.rowCount).toBe(0);
  }, 60_000);

  it("lets one index run at a time hold the lock, and frees it when the holder's connection ends", async () => {
    const release = await acquireIndexLock(db);
    const other = pool(pg.url.replace(/\/postgres$/u, "/store_test"));
    try {
      await expect(acquireIndexLock(other)).rejects.toThrow(/another index run/u);
      await release();
      const again = await acquireIndexLock(other);
      await again();
    } finally {
      await other.end();
    }
  });
});
