// A library partitioned across two PostgreSQL servers (DATABASE_SHARD_URLS),
// both real and started by the test: each server holds one range of
// documents' rows, and the answers are one server's, whole and lean, for the
// fixed query set, every article's reading view and generated requests;
// index runs (full, incremental, live changes) write and read it the same
// way. Servers listed in another order are refused by name, and one server's
// loss is a StoreUnavailable (a 503) naming it, until it is back.
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import type { Pool } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SearchIndex } from "@/lib/search/engine/search-index";
import { buildFull } from "@/lib/search/build/full";
import { segmentInProcess } from "@/lib/search/build/segmenter";
import { type Generation } from "@/lib/search/formats/generation";
import { runIndex, type LiveState } from "@/lib/search/build/indexer";
import { withLiveChanges } from "@/lib/search/engine/live-segment";
import { StoreUnavailable } from "@/lib/search/engine/lean-reader";
import { loadGenerationPg, pool, postgresStore, readLive, saveGenerationPg } from "@/lib/search/storage/postgres-store";
import type { PgShards } from "@/lib/search/storage/pg-shards";
import { openIndex } from "@/lib/search/storage/disk-store";
import { searchIndexOfBuild } from "@/lib/search/build/in-memory";
import { searchFixtureArticles } from "../fixtures/search-articles";
import { startPostgres, type TestPostgres } from "../../testkit/postgres";
import { copySampleContent } from "../../testkit/library";
import { answers, answersAsync, QUERY_SET } from "../helpers/query-set";
import { expectLeanLikeBuilt, fixtureRequest, searchable } from "../helpers/generated-requests";
import { syntheticArticles } from "../helpers/synthetic";
import { finishArticle } from "@/lib/content/ingest";

const json = (x: unknown) => JSON.parse(JSON.stringify(x));

let a: TestPostgres;
let b: TestPostgres;
let gen: Generation;
let built: SearchIndex;
const pools: Pool[] = [];

const open = (url: string) => {
  const p = pool(url);
  pools.push(p);
  return p;
};

/** Shards on the given URLs (pools of their own). */
const shardsOf = (urls: string[]): PgShards => ({ pools: urls.map(open), urls });

beforeAll(async () => {
  [a, b] = await Promise.all([startPostgres(), startPostgres()]);
  gen = await buildFull(searchFixtureArticles());
  built = await searchIndexOfBuild(gen);
}, 120_000);

afterAll(async () => {
  await Promise.all(pools.map((p) => p.end().catch(() => {})));
  a?.stop();
  b?.stop();
});

/** Rows of a generation's three tables on one server: documents held, their range, n-gram postings. */
async function held(db: Pool, id: number) {
  const docs = (await db.query<{ n: string; lo: number; hi: number }>(`SELECT count(*) AS n, min(doc) AS lo, max(doc) AS hi FROM search.docs_${id}`)).rows[0];
  const articles = (await db.query<{ n: string }>(`SELECT count(*) AS n FROM search.articles_${id}`)).rows[0];
  const grams = (await db.query<{ p: string; k: string }>(`SELECT coalesce(sum(length(docs) / 4), 0) AS p, count(*) AS k FROM search.ngrams_${id}`)).rows[0];
  return { docs: Number(docs.n), articles: Number(articles.n), lo: docs.lo, hi: docs.hi, postings: Number(grams.p), keys: Number(grams.k) };
}

describe("a generation partitioned across two PostgreSQL servers", () => {
  let coordinator: Pool;
  let shards: PgShards;
  let id: number;

  it("holds each range of documents on one server and answers exactly like one server, whole and lean", async () => {
    // DATABASE_URL is the first shard's database, as docs/deploy.md lays it out.
    const urls = [await a.database("lib"), await b.database("lib")];
    coordinator = open(urls[0]);
    shards = shardsOf(urls);
    const saved = await saveGenerationPg(coordinator, gen, [], undefined, shards);
    id = saved.id;
    const n = gen.ids.length;
    const [onA, onB] = [await held(shards.pools[0], id), await held(shards.pools[1], id)];
    const half = Math.floor(n / 2);
    expect(onA).toMatchObject({ docs: half, articles: half, lo: 0, hi: half - 1 });
    expect(onB).toMatchObject({ docs: n - half, articles: n - half, lo: half, hi: n - 1 });
    // Every posting once, on the server holding its document; keys in both ranges are on both.
    const size = (gen.ngrams as { size: { keys: number; postings: number } }).size;
    expect(onA.postings + onB.postings).toBe(size.postings);
    expect(onA.keys + onB.keys).toBeGreaterThan(size.keys);
    for (const [db, lo, end] of [[shards.pools[0], 0, half], [shards.pools[1], half, n]] as const) {
      const { rows } = await db.query<{ docs: Buffer }>(`SELECT docs FROM search.ngrams_${id}`);
      expect(rows.every((r) => new Uint32Array(new Uint8Array(r.docs).buffer).every((d) => d >= lo && d < end))).toBe(true);
    }
    // The word lists and the segmentation cache too: serial s and entry k on server s (k) mod 2, none left on the coordinator.
    for (const table of ["segment_terms", "segment_words"]) expect(Number((await coordinator.query(`SELECT count(*) AS n FROM search.${table}`)).rows[0].n), table).toBe(0);
    let cached = 0;
    for (const [i, db] of shards.pools.entries()) {
      const { rows } = await db.query<{ serials: Buffer }>("SELECT serials FROM search.shard_terms");
      expect(rows.length).toBeGreaterThan(100);
      expect(rows.every((r) => new Uint32Array(new Uint8Array(r.serials).buffer).every((serial) => serial % 2 === i))).toBe(true);
      const entries = (await db.query<{ k: number }>("SELECT k FROM search.shard_words")).rows;
      expect(entries.every((r) => r.k % 2 === i)).toBe(true);
      cached += entries.length;
    }
    expect(cached).toBe(n);

    const expected = json(answers(built));
    const whole = (await loadGenerationPg(coordinator, { shards })).index;
    expect(json(answers(whole))).toEqual(expected);
    const ids = built.articles.map((x) => x.id);
    const expectedAsync = json(await answersAsync(built, ids));
    for (const cache of [undefined, { grams: 4096, words: 1024, texts: 4096, counts: 1024, articles: 1024 }]) {
      const lean = (await loadGenerationPg(coordinator, { lean: true, leanCache: cache, shards })).index;
      expect(json(await answersAsync(lean, ids))).toEqual(expectedAsync);
      expect(json(await answersAsync(lean, ids, true))).toEqual(expectedAsync);
      for (const missing of ["no-such-article", "a\0b"]) expect(await lean.getAsync(missing)).toBeNull();
    }
  }, 120_000);

  it("answers generated requests (pieces of the articles, operators, hostile text; filters, sorts, pages) lean exactly as the built index", async () => {
    const lean = (await loadGenerationPg(coordinator, { lean: true, leanCache: { grams: 2048, words: 512, texts: 8192, counts: 512, articles: 512 }, shards })).index;
    const { found, asked } = await expectLeanLikeBuilt(lean, built, searchFixtureArticles(), 60);
    expect(found).toBeGreaterThan(asked / 5);
  }, 120_000);

  it("refuses servers listed in another order, or not listed, naming them", async () => {
    const reversed: PgShards = { pools: [...shards.pools].reverse(), urls: [...shards.urls].reverse() };
    await expect(loadGenerationPg(coordinator, { lean: true, shards: reversed })).rejects.toThrow(/shard (1 of 2 \(127\.0\.0\.1:\d+\/lib\) holds part 2 of 2 of it, not part 1|2 of 2 \(127\.0\.0\.1:\d+\/lib\) holds part 1 of 2 of it, not part 2) of 2/u);
    await expect(loadGenerationPg(coordinator, { lean: true })).rejects.toThrow(/is partitioned across 2 servers: DATABASE_SHARD_URLS must list them, in the order it was written with \(it lists 0\)/u);
    const other = shardsOf([shards.urls[0], await b.database("empty")]);
    await expect(loadGenerationPg(coordinator, { lean: true, shards: other })).rejects.toThrow(/shard 2 of 2 \(127\.0\.0\.1:\d+\/empty\) holds no part of it/u);
  });

  it("says which server did not answer (StoreUnavailable, a 503) while one is down, and answers again once it is back", async () => {
    const lean = (await loadGenerationPg(coordinator, { lean: true, shards })).index;
    const request = { ...QUERY_SET[0], q: "从未问过的词语 学习" };
    b.pause();
    try {
      const failed = lean.searchAsync(request);
      await expect(failed).rejects.toBeInstanceOf(StoreUnavailable);
      await expect(failed).rejects.toThrow(/the index's database did not answer \(shard 2 of 2 \(127\.0\.0\.1:\d+\/lib\): /u);
      // Reading an article is the same clear error (its id is looked up on every server).
      await expect(lean.getAsync(built.articles[0].id)).rejects.toThrow(/did not answer \(shard 2 of 2 \(127\.0\.0\.1:\d+\/lib\): /u);
    } finally {
      b.resume();
    }
    expect(json({ ...(await lean.searchAsync(request)), tookMs: 0 })).toEqual(json({ ...built.search(request), tookMs: 0 }));
  }, 60_000);

  it("drops older generations' parts on every server when a newer one is published", async () => {
    for (let i = 0; i < 3; i++) await saveGenerationPg(coordinator, gen, [], undefined, shards);
    const kept = (await coordinator.query<{ id: number; name: string }>("SELECT id, name FROM search.generations ORDER BY id")).rows;
    expect(kept.length).toBe(2);
    for (const db of shards.pools) {
      const parts = (await db.query<{ name: string }>("SELECT name FROM search.shard_parts ORDER BY name")).rows.map((r) => r.name);
      expect(parts).toEqual(kept.map((k) => k.name).sort());
      const tables = (await db.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'search' AND tablename ~ '^(articles|ngrams|docs)_'")).rows.map((r) => r.t);
      expect(tables.sort()).toEqual(kept.flatMap((k) => [`articles_${k.id}`, `docs_${k.id}`, `ngrams_${k.id}`]).sort());
      const segments = (await db.query<{ s: string }>("SELECT DISTINCT segment AS s FROM search.shard_terms ORDER BY 1")).rows.map((r) => r.s);
      const listed = (await coordinator.query<{ s: string }>("SELECT DISTINCT json_array_elements(manifest->'segments')->>'name' AS s FROM search.generations ORDER BY 1")).rows.map((r) => r.s);
      expect(segments).toEqual(listed);
    }
  }, 60_000);
});

describe("a generated library of 3,000 articles across three servers", () => {
  it("answers exactly like the same library on one server (generated requests, whole and lean)", async () => {
    const articles = syntheticArticles(3000, 7).map((a) =>
      finishArticle({ id: a.id, title: a.title, authors: [a.author], source: a.source, date: a.date, paragraphs: a.body.split("\n") }, `synthetic/${a.id}`, a.id),
    );
    const generated = await buildFull(articles);
    const one = open(await a.database("gen_one"));
    await saveGenerationPg(one, generated);
    // Three servers (three ranges of 1,000 articles, cutting nearly every n-gram row in three), on two clusters.
    const urls = [await a.database("gen_three"), await b.database("gen_three"), await b.database("gen_three_c")];
    const three = shardsOf(urls);
    await saveGenerationPg(three.pools[0], generated, [], undefined, three);
    const pairs = [
      [(await loadGenerationPg(one, { lean: true })).index, (await loadGenerationPg(three.pools[0], { lean: true, shards: three })).index],
      [(await loadGenerationPg(one)).index, (await loadGenerationPg(three.pools[0], { shards: three })).index],
    ] as const;
    let found = 0;
    let asked = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fixtureRequest(articles), { minLength: 1, maxLength: 5 }), async (reqs) => {
        const valid = searchable(reqs);
        for (const [single, sharded] of pairs) {
          const want = await Promise.all(valid.map(async (r) => ({ ...(await single.searchAsync(r)), tookMs: 0 })));
          const got = await Promise.all(valid.map(async (r) => ({ ...(await sharded.searchAsync(r)), tookMs: 0 })));
          expect(json(got)).toEqual(json(want));
          for (const g of got) found += g.hits.length > 0 ? 1 : 0;
          asked += valid.length;
        }
      }),
      { numRuns: 40 },
    );
    expect(found).toBeGreaterThan(asked / 3);
    // Every article's reading view (highlights, related articles and reposts across the servers' ranges).
    const ids = articles.filter((_, i) => i % 97 === 0).map((x) => x.id);
    expect(json(await answersAsync(pairs[0][1], ids))).toEqual(json(await answersAsync(pairs[0][0], ids)));
  }, 180_000);
});

describe("npm run index with DATABASE_SHARD_URLS", () => {
  it("writes full, incremental and live generations across the servers, answering exactly like a full build in a folder", async () => {
    const work = await fs.mkdtemp(path.join(os.tmpdir(), "pg-shards-"));
    const content = path.join(work, "content");
    await copySampleContent(content);
    // The coordinator apart from both shards this time.
    const coordinatorUrl = await a.database("runs");
    const urls = [await a.database("runs_part"), await b.database("runs_part")];
    const saved = { backend: process.env.SEARCH_BACKEND, url: process.env.DATABASE_URL, shards: process.env.DATABASE_SHARD_URLS };
    // The library starts on one server, as a deployment that outgrows it does.
    Object.assign(process.env, { SEARCH_BACKEND: "postgres", DATABASE_URL: coordinatorUrl });
    delete process.env.DATABASE_SHARD_URLS;
    // A full build, in ranges of 6 articles (the store writes each range as it comes).
    const single = await runIndex({ targets: [content], segmenter: segmentInProcess, rangeArticles: 6 });
    expect(single.dir).toMatch(/\/runs$/u);
    process.env.DATABASE_SHARD_URLS = urls.join(",");
    const store = postgresStore();
    const state: LiveState = { base: null };
    const expectLike = async (full: string) => {
      const fullIndex = await openIndex(full);
      const whole = (await store.load({ lean: false })).index;
      const expected = json(answers(fullIndex));
      expect(json(answers(whole))).toEqual(expected);
      const lean = (await store.load({ lean: true })).index;
      expect(json(await answersAsync(lean, fullIndex.articles.map((x) => x.id)))).toEqual(json(await answersAsync(fullIndex, fullIndex.articles.map((x) => x.id))));
      return { whole, lean, fullIndex, expected };
    };
    try {
      // Listing servers takes the rows there at the next run (incremental: the first segment's word lists stay on the
      // coordinator, the new one's are split), and back to one server needs a full build, which the run makes.
      await fs.writeFile(path.join(content, "2024", "shard-first.md"), "---\ntitle: 分片之前的党建文章\nauthor: 周明\ndate: 2024-05-01\n---\n\n支部把学习新举措写进分片之前的台账。\n");
      const first = await runIndex({ targets: [content], segmenter: segmentInProcess });
      expect(first.dir).toMatch(/^the database at postgres:\/\/127\.0\.0\.1:\d+\/runs, partitioned across postgres:\/\/127\.0\.0\.1:\d+\/runs_part, postgres:\/\/127\.0\.0\.1:\d+\/runs_part$/u);
      expect(first.manifest.build).toMatchObject({ kind: "incremental", added: 1 });
      const places = (await open(coordinatorUrl).query<{ shard_servers: number }>("SELECT shard_servers FROM search.segments ORDER BY name")).rows.map((r) => r.shard_servers).sort();
      // (The full build's segments, one a range, on the coordinator; the incremental run's split.)
      expect(single.manifest.segments.length).toBeGreaterThan(1);
      expect(places).toEqual([...single.manifest.segments.map(() => 0), 2]);
      await runIndex({ targets: [content], dir: path.join(work, "full-1"), full: true, segmenter: segmentInProcess });
      await expectLike(path.join(work, "full-1"));
      // Incremental: the base's rows are read back from both servers.
      await fs.writeFile(path.join(content, "2024", "shard-new.md"), "---\ntitle: 分片库里的党建新文章\nauthor: 周明\ndate: 2024-06-01\n---\n\n支部在分片数据库里推出党建学习新举措。\n");
      await fs.rm(path.join(content, "2018", "red-film-study.md"));
      // Moved: its words come from the segmentation cache, which is on the shard servers now.
      await fs.rename(path.join(content, "2024", "shard-first.md"), path.join(content, "2023", "shard-moved.md"));
      const second = await runIndex({ targets: [content], segmenter: segmentInProcess });
      expect(second.manifest.build).toMatchObject({ kind: "incremental", added: 2, deleted: 2, segmented: 1 });
      await runIndex({ targets: [content], dir: path.join(work, "full-2"), full: true, segmenter: segmentInProcess });
      const { whole, lean } = await expectLike(path.join(work, "full-2"));
      // Live changes on the partitioned generation: applied on its whole and lean index alike.
      const changed = path.join(content, "2019", "theme-education-launch.md");
      await fs.writeFile(changed, (await fs.readFile(changed, "utf8")).replace("六月十日", "六月十一日"));
      await fs.writeFile(path.join(content, "2024", "shard-live.md"), "---\ntitle: 分片近实时文章\nauthor: 孙伟\ndate: 2024-07-01\n---\n\n分片数据库里的近实时学习新举措。\n");
      const live = await runIndex({ targets: [content], segmenter: segmentInProcess, live: state });
      expect(live.live).toBe(true);
      const changes = (await store.readLive!((await store.current())!))!;
      const full = path.join(work, "full-3");
      await runIndex({ targets: [content], dir: full, full: true, segmenter: segmentInProcess });
      const fullIndex = await openIndex(full);
      expect(json(answers(withLiveChanges(whole, "whole", changes)))).toEqual(json(answers(fullIndex)));
      const ids = fullIndex.articles.map((x) => x.id);
      expect(json(await answersAsync(withLiveChanges(lean, "lean", changes), ids))).toEqual(json(await answersAsync(fullIndex, ids)));
      expect(await readLive(open(coordinatorUrl))).toBe(await store.current());
      // Back to one server: the partitioned generation cannot be a base without its servers, so the run builds in full.
      delete process.env.DATABASE_SHARD_URLS;
      const back = await runIndex({ targets: [content], segmenter: segmentInProcess, rangeArticles: 7 });
      expect(back.fullReason).toMatch(/is partitioned across 2 servers: DATABASE_SHARD_URLS must list them/u);
      const alone = postgresStore();
      try {
        expect(json(answers((await alone.load({ lean: false })).index))).toEqual(json(answers(fullIndex)));
        expect(json(await answersAsync((await alone.load({ lean: true })).index, ids))).toEqual(json(await answersAsync(fullIndex, ids)));
      } finally {
        await alone.close();
      }
    } finally {
      await store.close();
      await state.store?.close();
      for (const [k, v] of [["SEARCH_BACKEND", saved.backend], ["DATABASE_URL", saved.url], ["DATABASE_SHARD_URLS", saved.shards]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await fs.rm(work, { recursive: true, force: true });
    }
  }, 240_000);
});
