// The PostgreSQL store (SEARCH_BACKEND=postgres) against a real PostgreSQL
// started by the test: a generation written to the database and loaded back
// answers exactly like the same generation saved to a folder; publishing is
// atomic; old generations go; a killed run leaves the live one alone.
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Pool } from "pg";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SearchIndex } from "@/lib/search/engine/search-index";
import { buildFull } from "@/lib/search/build/full";
import { segmentInProcess } from "@/lib/search/build/segmenter";
import { type Generation } from "@/lib/search/formats/generation";
import { runIndex, type LiveState } from "@/lib/search/build/indexer";
import { withLiveChanges } from "@/lib/search/engine/live-segment";
import { StoreUnavailable } from "@/lib/search/engine/lean-reader";
import { acquireIndexLock, ensureSchema, listGenerationsPg, loadGenerationPg, pool, postgresStore, readLive, saveGenerationPg, UNIT_COUNT } from "@/lib/search/storage/postgres-store";
import { TermFinder } from "@/lib/search/engine/occurrences";
import { openIndex, saveGeneration } from "@/lib/search/storage/disk-store";
import { searchFixtureArticles } from "../fixtures/search-articles";
import { startPostgres, type TestPostgres } from "../../testkit/postgres";
import { copySampleContent } from "../../testkit/library";
import { answers, answersAsync, QUERY_SET } from "../helpers/query-set";
import { expectLeanLikeBuilt } from "../helpers/generated-requests";
import { searchIndexOfBuild } from "@/lib/search/build/in-memory";

const answersFrom = (index: SearchIndex) => answers(index);

let pg: TestPostgres;
let storeUrl: string;
let db: Pool;
let gen: Generation;
let built: SearchIndex;
let dir: string;

beforeAll(async () => {
  pg = await startPostgres();
  storeUrl = await pg.database("store_test");
  db = pool(storeUrl);
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "pg-store-"));
  gen = await buildFull(searchFixtureArticles());
  built = await searchIndexOfBuild(gen);
}, 120_000);

afterAll(async () => {
  await db?.end();
  pg?.stop();
  await fs.rm(dir, { recursive: true, force: true });
});

const json = (x: unknown) => JSON.parse(JSON.stringify(x));

/** SEARCH_BACKEND=postgres and DATABASE_URL for runs in this process (as `npm run index` is configured); returns the undo. */
function usePostgresEnv(url: string): () => void {
  const saved = { backend: process.env.SEARCH_BACKEND, url: process.env.DATABASE_URL };
  process.env.SEARCH_BACKEND = "postgres";
  process.env.DATABASE_URL = url;
  return () => {
    process.env.SEARCH_BACKEND = saved.backend;
    process.env.DATABASE_URL = saved.url;
    if (saved.backend === undefined) delete process.env.SEARCH_BACKEND;
    if (saved.url === undefined) delete process.env.DATABASE_URL;
  };
}

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

  it("serves a lean index (rows read per query) that answers exactly like the built one, one request at a time or all at once, with caches too small to keep a query's rows", async () => {
    const ids = built.articles.map((a) => a.id);
    const expected = json(await answersAsync(built, ids));
    expect(json(answersFrom(built))).toEqual(expected);
    for (const cache of [undefined, { grams: 4096, words: 1024, texts: 4096, counts: 1024, articles: 1024 }]) {
      const lean = (await loadGenerationPg(db, { lean: true, leanCache: cache })).index;
      expect(lean.articles).toEqual([]);
      expect(json(await answersAsync(lean, ids))).toEqual(expected);
      expect(json(await answersAsync(lean, ids, true))).toEqual(expected);
      // Ids and words PostgreSQL's text cannot hold (NUL, lone surrogates) are in no row: no error, the same answers.
      for (const id of ["no-such-article", "a\0b", "\ud800x", "' OR '1'='1"]) expect(await lean.getAsync(id)).toBeNull();
      const odd = ["党\0建", "\ud800党建", "学习\udfff", "'; DROP TABLE x; --", "党建 -\0"].map((q) => ({ ...QUERY_SET[0], q }));
      expect(json(await answersAsync(lean, [], false, odd)).searches).toEqual(json(await answersAsync(built, [], false, odd)).searches);
      // Searched without fetching, a lean index answers from its caches or says how it must be asked.
      expect(() => lean.search({ ...QUERY_SET[1], q: "龘靐齉" })).toThrow(/searchAsync/u);
    }
    // Warmed before its first search (kept pages would hide the difference): suggestions built, and the frequent title
    // pairs' counts read from them (engine/title-pairs.ts), not scanned.
    const warmed = (await loadGenerationPg(db, { lean: true })).index;
    await warmed.warmSuggestions();
    expect(json(await answersAsync(warmed, ids))).toEqual(expected);
    // A generation written before docs tables kept each title's normal form (title_norm): its titles are read as
    // written and normalised at load, with the same answers.
    const { rows } = await db.query<{ id: number }>("SELECT g.id FROM search.live l JOIN search.generations g ON g.id = l.generation");
    const table = `search.docs_${rows[0].id}`;
    await db.query(`ALTER TABLE ${table} RENAME COLUMN title_norm TO title_norm_hidden`);
    try {
      const older = (await loadGenerationPg(db, { lean: true })).index;
      expect(json(await answersAsync(older, ids))).toEqual(expected);
    } finally {
      await db.query(`ALTER TABLE ${table} RENAME COLUMN title_norm_hidden TO title_norm`);
    }
  }, 60_000);

  it("counts a term where the text is (unit_count) exactly as TermFinder.count does in the app", async () => {
    await ensureSchema(db); // unit_count is created with the schema
    const sql = async (cases: Array<[string, string, number, number]>) =>
      (
        await db.query<{ n: number }>(`SELECT ${UNIT_COUNT}(t, p, f, c) AS n FROM unnest($1::bytea[], $2::bytea[], $3::int[], $4::int[]) WITH ORDINALITY AS x(t, p, f, c, i) ORDER BY i`, [
          cases.map((c) => Buffer.from(c[0], "utf16le")),
          cases.map((c) => Buffer.from(c[1], "utf16le")),
          cases.map((c) => c[2]),
          cases.map((c) => c[3]),
        ])
      ).rows.map((r) => r.n);
    const app = ([text, term, from, cap]: [string, string, number, number]) => new TermFinder(term, new Float64Array(256)).count(text, from, text.length, cap);
    // Overlapping matches, caps, a start past the end, and bytes that match only across two units (0x0102 0x0304 is
    // 02 01 04 03; the text's units 0x0200 0x0401 0x0003 hold those bytes from its second byte on): no match.
    const fixed: Array<[string, string, number, number]> = [
      ["党党党党", "党党党", 0, 12],
      ["aaaaaa", "aaa", 1, 12],
      ["学习学习学习学习", "学习学", 0, 2],
      ["短", "短文本", 0, 12],
      ["标题\n正文里的标题", "标题", 3, 12],
      ["\u0200\u0401\u0003", "\u0102\u0304", 0, 12],
      ["\ud800\udc00\ud800", "\udc00\ud800", 0, 12],
      ["全面从严治党", "从严治", 99, 12],
    ];
    expect(await sql(fixed)).toEqual(fixed.map(app));
    const unit = fc.constantFrom("党", "建", "\u0102", "\u0201", "\u0304", "\u0403", "a", "\ud800", "\udc00", "\n");
    const str = (min: number, max: number) => fc.array(unit, { minLength: min, maxLength: max }).map((u) => u.join(""));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(str(0, 40), str(1, 4), fc.nat(45), fc.integer({ min: 1, max: 12 })), { minLength: 1, maxLength: 30 }), async (cases) => {
        expect(await sql(cases)).toEqual(cases.map(app));
      }),
      { numRuns: 60 },
    );
  });

  it("serves generated queries (words of the articles, operators, hostile text; filters, sorts, pages) lean exactly as the built index answers them", async () => {
    const lean = (await loadGenerationPg(db, { lean: true, leanCache: { grams: 2048, words: 512, texts: 8192, counts: 512, articles: 512 } })).index;
    const { found, asked } = await expectLeanLikeBuilt(lean, built, searchFixtureArticles(), 80);
    // The generated requests did find articles (a property over empty pages proves little): one in five at least,
    // with the 文种 and 发文机关 filters (which only two articles can pass) among them.
    expect(found).toBeGreaterThan(asked / 5);
  }, 120_000);

  it("says the database did not answer (StoreUnavailable, a 503 for the API) when a lean index cannot read it", async () => {
    const own = pool(storeUrl);
    const lean = (await loadGenerationPg(own, { lean: true })).index;
    await own.end();
    const failed = lean.searchAsync({ ...QUERY_SET[0], q: "从未问过的词语" });
    await expect(failed).rejects.toBeInstanceOf(StoreUnavailable);
    await expect(failed).rejects.toThrow(/the index's database did not answer \(Cannot use a pool after calling end/u);
    await expect(lean.getAsync("no-such-article")).rejects.toBeInstanceOf(StoreUnavailable);
  });

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

describe("npm run index with SEARCH_BACKEND=postgres", () => {
  it("builds on the live generation incrementally and answers exactly like a full build of the same content in a folder", async () => {
    const work = await fs.mkdtemp(path.join(os.tmpdir(), "pg-incremental-"));
    const content = path.join(work, "content");
    await copySampleContent(content);
    const url = await pg.database("incremental_test");
    const restoreEnv = usePostgresEnv(url);
    const incrementalDb = pool(url);
    try {
      const first = await runIndex({ targets: [content], segmenter: segmentInProcess });
      expect(first.manifest.build.kind).toBe("full");
      expect(first.dir).toMatch(/^the database at postgres:\/\/127\.0\.0\.1:\d+\/incremental_test$/u);
      await fs.writeFile(path.join(content, "2024", "pg-new-article.md"), "---\ntitle: 数据库里的党建新文章\nauthor: 周明\ndate: 2024-06-01\n---\n\n支部在数据库里推出党建学习新举措。\n");
      const changed = path.join(content, "2019", "theme-education-launch.md");
      await fs.writeFile(changed, (await fs.readFile(changed, "utf8")).replace("六月十日", "六月十一日"));
      await fs.rm(path.join(content, "2018", "red-film-study.md"));
      const second = await runIndex({ targets: [content], segmenter: segmentInProcess });
      expect(second.fullReason).toBeNull();
      expect(second.manifest.build).toMatchObject({ kind: "incremental", added: 1, changed: 1, deleted: 1, segmented: 2 });
      expect(second.ingest.reused.files).toBe(second.ingest.files - 2);
      const fromDb = (await loadGenerationPg(incrementalDb)).index;
      const full = path.join(work, "full");
      await runIndex({ targets: [content], dir: full, full: true, segmenter: segmentInProcess });
      const a = json(answers(fromDb));
      expect(a.searches.some((r: { total: number }) => r.total > 0)).toBe(true);
      expect(a).toEqual(json(answers(await openIndex(full))));
      // Served lean: two segments, serials mapped to this generation's documents, one article gone.
      const lean = (await loadGenerationPg(incrementalDb, { lean: true })).index;
      expect(lean.articles).toEqual([]);
      expect(json(await answersAsync(lean, fromDb.articles.map((x) => x.id)))).toEqual(a);
      expect(fromDb.search({ q: "数据库里推出", authors: [], sources: [], from: null, to: null, sort: "relevance", page: 1, size: 10 }).total).toBe(1);
    } finally {
      restoreEnv();
      await incrementalDb.end();
      await fs.rm(work, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("live changes with SEARCH_BACKEND=postgres", () => {
  it("writes live changes into the database that a lean index and a whole one apply, answering exactly like a full build", async () => {
    const work = await fs.mkdtemp(path.join(os.tmpdir(), "pg-live-"));
    const content = path.join(work, "content");
    await copySampleContent(content);
    const url = await pg.database("live_test");
    const restoreEnv = usePostgresEnv(url);
    const liveDb = pool(url);
    const store = postgresStore();
    const state: LiveState = { base: null };
    // One author in two spellings, 吳紫娟 three times and 吴紫娟 twice: the facet shows the commonest, until the last step
    // deletes two of the three and 吴紫娟 is commoner. A live segment must count the deleted articles' own spellings out.
    const spelled = ["吳紫娟", "吳紫娟", "吳紫娟", "吴紫娟", "吴紫娟"];
    for (const [k, author] of spelled.entries()) {
      await fs.writeFile(path.join(content, "2024", `spelling-${k}.md`), `---\ntitle: 支部书记谈学习第${k + 1}篇\nauthor: ${author}\ndate: 2024-03-0${k + 1}\n---\n\n支部书记${author}谈学习体会，第${k + 1}篇。\n`);
    }
    try {
      await runIndex({ targets: [content], segmenter: segmentInProcess });
      const generation = (await readLive(liveDb))!;
      const leanBase = (await loadGenerationPg(liveDb, { lean: true })).index;
      const wholeBase = (await loadGenerationPg(liveDb, { lean: false })).index;
      const steps: Array<() => Promise<void>> = [
        () => fs.writeFile(path.join(content, "2024", "pg-live.md"), "---\ntitle: 数据库近实时文章\nauthor: 周明\ndate: 2024-06-01\n---\n\n支部在数据库里推出近实时学习新举措，党员学习热情高涨。\n"),
        async () => {
          const changed = path.join(content, "2019", "theme-education-launch.md");
          await fs.writeFile(changed, (await fs.readFile(changed, "utf8")).replace("六月十日", "六月十一日"));
          await fs.rm(path.join(content, "2018", "red-film-study.md"));
        },
        async () => {
          await fs.rm(path.join(content, "2024", "spelling-0.md"));
          await fs.rm(path.join(content, "2024", "spelling-2.md"));
        },
      ];
      const labels: Array<string | undefined> = [];
      for (const step of steps) {
        await step();
        const r = await runIndex({ targets: [content], segmenter: segmentInProcess, live: state });
        expect(r.live).toBe(true);
        expect(await readLive(liveDb)).toBe(generation);
        const changes = (await store.readLive!(generation))!;
        expect(changes.seq).toBe(r.manifest.live!.seq);
        const full = path.join(work, `full-${changes.seq}`);
        await runIndex({ targets: [content], dir: full, full: true, segmenter: segmentInProcess });
        const fullIndex = await openIndex(full);
        labels.push(fullIndex.search({ q: "紫娟", authors: [], sources: [], from: null, to: null, sort: "relevance", page: 1, size: 1 }).facets.authors.find((f) => f.value.endsWith("紫娟"))?.value);
        const expected = json(answers(fullIndex));
        expect(json(answers(withLiveChanges(wholeBase, "whole", changes)))).toEqual(expected);
        // Lean: rows of the kept articles read from the database by their old numbers, the added ones' from the changes.
        expect(json(await answersAsync(withLiveChanges(leanBase, "lean", changes), fullIndex.articles.map((a) => a.id)))).toEqual(expected);
      }
      // The last step's answers hold the label only a correct count of the deleted articles' spellings gives.
      expect(labels).toEqual(["吳紫娟", "吳紫娟", "吴紫娟"]);
      // Publishing a generation ends the live changes of the one before.
      const merged = await runIndex({ targets: [content], segmenter: segmentInProcess, live: state, merge: true });
      expect(merged.live).toBe(false);
      expect(await store.readLive!(generation)).toBeNull();
    } finally {
      restoreEnv();
      await store.close();
      await state.store?.close();
      await liveDb.end();
      await fs.rm(work, { recursive: true, force: true });
    }
  }, 180_000);
});
