// A full build made in ranges (build/ranged.ts) and written to PostgreSQL
// range by range (saveRangedGenerationPg): the way a million articles are
// built in bounded memory. Its answers are a full build's, whole and lean,
// on one server and across two (a server's bound cutting through a range),
// for the fixed query set, reading views and generated requests over a
// generated library; an incremental build reads it as its base.
import fc from "fast-check";
import type { Pool } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Article } from "@/lib/content/article";
import { finishArticle } from "@/lib/content/ingest";
import { buildFull } from "@/lib/search/build/full";
import { buildIncremental } from "@/lib/search/build/incremental";
import { buildRanged } from "@/lib/search/build/ranged";
import { searchIndexOfBuild } from "@/lib/search/build/in-memory";
import { segmentInProcess } from "@/lib/search/build/segmenter";
import { pooledSegmenter } from "@/lib/search/build/segmentation-pool";
import type { SearchIndex } from "@/lib/search/engine/search-index";
import type { PgShards } from "@/lib/search/storage/pg-shards";
import { loadGenerationPg, pool, postgresStore, readLive, saveGenerationPg, saveRangedGenerationPg } from "@/lib/search/storage/postgres-store";
import { searchFixtureArticles } from "../fixtures/search-articles";
import { expectLeanLikeBuilt, fixtureRequest, searchable } from "../helpers/generated-requests";
import { answers, answersAsync } from "../helpers/query-set";
import { syntheticArticles } from "../helpers/synthetic";
import { startPostgres, type TestPostgres } from "../../testkit/postgres";

const json = (x: unknown) => JSON.parse(JSON.stringify(x));

let a: TestPostgres;
let b: TestPostgres;
const pools: Pool[] = [];
const open = (url: string) => {
  const p = pool(url);
  pools.push(p);
  return p;
};

/** The articles as batches of `size` (the last one shorter), as a source streams them. */
async function* inBatches(articles: Article[], size: number): AsyncGenerator<Article[]> {
  for (let i = 0; i < articles.length; i += size) yield articles.slice(i, i + size);
}

/** Each n-gram table's rows and distinct keys: a build in ranges holds a key's row in pieces. */
async function pieces(db: Pool, id: number) {
  const { rows } = await db.query<{ rows: string; keys: string; ranges: string }>(`SELECT count(*) AS rows, count(DISTINCT key) AS keys, count(DISTINCT piece) AS ranges FROM search.ngrams_${id}`);
  return { rows: Number(rows[0].rows), keys: Number(rows[0].keys), ranges: Number(rows[0].ranges) };
}

beforeAll(async () => {
  [a, b] = await Promise.all([startPostgres(), startPostgres()]);
}, 120_000);

afterAll(async () => {
  await Promise.all(pools.map((p) => p.end().catch(() => {})));
  a?.stop();
  b?.stop();
});

describe("a full build in ranges, written to PostgreSQL range by range", () => {
  let built: SearchIndex;
  let articles: Article[];

  beforeAll(async () => {
    articles = searchFixtureArticles();
    built = await searchIndexOfBuild(await buildFull(articles));
  });

  it("answers exactly like a full build of the fixture library, whole and lean", async () => {
    const db = open(await a.database("fixture"));
    const saved = await saveRangedGenerationPg(db, buildRanged(inBatches(articles, 5), segmentInProcess));
    expect(await readLive(db)).toBe(saved.name);
    const held = await pieces(db, saved.id);
    expect(held.ranges).toBe(Math.ceil(articles.length / 5));
    expect(held.rows).toBeGreaterThan(held.keys);
    expect(saved.manifest.ngrams).toBe(held.keys);
    expect(saved.manifest.segments).toHaveLength(Math.ceil(articles.length / 5));
    expect(saved.manifest.articles).toBe(articles.length);
    const whole = (await loadGenerationPg(db)).index;
    expect(json(answers(whole))).toEqual(json(answers(built)));
    const lean = (await loadGenerationPg(db, { lean: true })).index;
    const ids = articles.map((x) => x.id);
    expect(json(await answersAsync(lean, ids, true))).toEqual(json(await answersAsync(built, ids)));
    const { found, asked } = await expectLeanLikeBuilt(lean, built, articles, 60);
    // (Filters and pieces of other articles make many generated requests find nothing, as in pg-store's property.)
    expect(found).toBeGreaterThan(asked / 5);
  }, 120_000);

  it("is a base for an incremental build like any generation", async () => {
    const url = await a.database("base");
    const db = open(url);
    await saveRangedGenerationPg(db, buildRanged(inBatches(articles, 4), segmentInProcess));
    const saved = { backend: process.env.SEARCH_BACKEND, url: process.env.DATABASE_URL };
    Object.assign(process.env, { SEARCH_BACKEND: "postgres", DATABASE_URL: url });
    const store = postgresStore();
    try {
      const base = await store.base();
      if (!("previous" in base)) throw new Error(`no base: ${base.reason}`);
      const changed = [
        ...articles.slice(1, -1).map((x, i) => (i === 3 ? { ...x, paragraphs: [...x.paragraphs, "增量构建在分段的基础上追加的新段落。"], contentHash: `${x.contentHash}-v2` } : x)),
        { ...articles[0], id: "ranged-added", contentHash: "ranged-added-hash", title: "分段构建之后新增的党建文章" },
      ];
      const next = await buildIncremental(changed, base.previous, segmentInProcess);
      expect(next.manifest.build).toMatchObject({ kind: "incremental", added: 1, changed: 1, deleted: 2 });
      await saveGenerationPg(db, next);
      const want = await searchIndexOfBuild(await buildFull(changed));
      expect(json(answers((await loadGenerationPg(db)).index))).toEqual(json(answers(want)));
      const lean = (await loadGenerationPg(db, { lean: true })).index;
      const ids = changed.map((x) => x.id);
      expect(json(await answersAsync(lean, ids))).toEqual(json(await answersAsync(want, ids)));
    } finally {
      await store.close();
      Object.assign(process.env, { SEARCH_BACKEND: saved.backend ?? "", DATABASE_URL: saved.url ?? "" });
      if (saved.backend === undefined) delete process.env.SEARCH_BACKEND;
      if (saved.url === undefined) delete process.env.DATABASE_URL;
    }
  }, 120_000);

  it("refuses an id given twice by name, and publishes nothing", async () => {
    const db = open(await a.database("twice"));
    const twice = [...articles.slice(0, 6), { ...articles[2] }];
    await expect(saveRangedGenerationPg(db, buildRanged(inBatches(twice, 3), segmentInProcess))).rejects.toThrow(`article id ${articles[2].id} is given twice`);
    expect(await readLive(db)).toBeNull();
  }, 60_000);
});

describe("a generated library of 3,000 articles built in ranges of 700", () => {
  it("answers exactly like its full build, on one server and across two (a bound inside a range), whole and lean", async () => {
    const library = syntheticArticles(3000, 11).map((x) =>
      finishArticle({ id: x.id, title: x.title, authors: [x.author], source: x.source, date: x.date, paragraphs: x.body.split("\n") }, `synthetic/${x.id}`, x.id),
    );
    const full = open(await a.database("gen_full"));
    await saveGenerationPg(full, await buildFull(library));
    const one = open(await a.database("gen_ranged"));
    // On threads kept across the ranges, as bench:scale builds (each range's segmentation overlaps the last one's write).
    const threads = pooledSegmenter(2);
    const ranged = await saveRangedGenerationPg(one, buildRanged(inBatches(library, 700), threads)).finally(() => threads.close());
    expect((await pieces(one, ranged.id)).ranges).toBe(5);
    // Two servers split the library at 1,500: inside the third range (1,400–2,099).
    const urls = [await a.database("gen_two"), await b.database("gen_two")];
    const shards: PgShards = { pools: urls.map(open), urls };
    const split = await saveRangedGenerationPg(shards.pools[0], buildRanged(inBatches(library, 700), segmentInProcess), { shards, articles: library.length });
    const second = await pieces(shards.pools[1], split.id);
    expect(second.ranges).toBe(3);
    expect((await shards.pools[1].query<{ lo: number }>(`SELECT min(doc) AS lo FROM search.docs_${split.id}`)).rows[0].lo).toBe(1500);
    const want = [(await loadGenerationPg(full, { lean: true })).index, (await loadGenerationPg(full)).index];
    const got = [
      (await loadGenerationPg(one, { lean: true })).index,
      (await loadGenerationPg(one)).index,
      (await loadGenerationPg(shards.pools[0], { lean: true, shards })).index,
      (await loadGenerationPg(shards.pools[0], { shards })).index,
    ];
    let found = 0;
    let asked = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fixtureRequest(library), { minLength: 1, maxLength: 5 }), async (reqs) => {
        const valid = searchable(reqs);
        const expected = json(await Promise.all(valid.map(async (r) => ({ ...(await want[0].searchAsync(r)), tookMs: 0 }))));
        expect(json(valid.map((r) => ({ ...want[1].search(r), tookMs: 0 })))).toEqual(expected);
        for (const index of got) expect(json(await Promise.all(valid.map(async (r) => ({ ...(await index.searchAsync(r)), tookMs: 0 }))))).toEqual(expected);
        for (const e of expected as Array<{ hits: unknown[] }>) found += e.hits.length > 0 ? 1 : 0;
        asked += valid.length;
      }),
      { numRuns: 40 },
    );
    expect(found).toBeGreaterThan(asked / 3);
    // Reading views: highlights, related articles and reposts computed at the end from the ranges' key terms.
    const ids = library.filter((_, i) => i % 97 === 0 || i === 1499 || i === 1500).map((x) => x.id);
    const expectedViews = json(await answersAsync(want[0], ids));
    for (const index of [got[0], got[2]]) expect(json(await answersAsync(index, ids))).toEqual(expectedViews);
  }, 240_000);
});
