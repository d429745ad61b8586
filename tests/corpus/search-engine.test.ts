// The search engine on the whole real corpus (~30k articles), skipped with a
// reason when ../shared/corpus is absent. The same checks run on the index
// as built, and on the same generation written to PostgreSQL and loaded back
// (SEARCH_BACKEND=postgres), whose full responses must equal the built one's.
import type { Pool } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingest } from "@/lib/content/ingest";
import { SearchIndex } from "@/lib/search/engine/search-index";
import { buildFull } from "@/lib/search/build/full";
import { type Generation } from "@/lib/search/formats/generation";
import { loadGenerationPg, pool, saveGenerationPg } from "@/lib/search/storage/postgres-store";
import { parallelSegmenter } from "@/lib/search/build/segmentation-pool";
import type { SearchRequest } from "@/lib/search/engine/types";
import { startPostgres, type TestPostgres } from "../../testkit/postgres";
import { HAVE_CORPUS, SKIP_REASON, corpusFiles } from "../../testkit/corpus";
import { formatQuality, measureSearchQuality, sampleQueries, type SampledQuery } from "../../testkit/search-quality";
import { searchIndexOfBuild } from "@/lib/search/build/in-memory";

if (!HAVE_CORPUS) console.log(SKIP_REASON);

let gen: Generation;
let built: SearchIndex;
let queries: SampledQuery[];

async function expectQuality(index: SearchIndex) {
  const report = await measureSearchQuality(index, queries);
  console.log(formatQuality(report));
  if (report.failures.length) console.log(report.failures.join("\n"));
  expect(report.recall).toBe(1);
  expect(report.precision).toBe(1);
  expect(report.crossScriptEqual).toBe(1);
  expect(report.titleFirst).toBeGreaterThanOrEqual(0.9);
}

describe.skipIf(!HAVE_CORPUS)("search engine on the real corpus", () => {
  beforeAll(async () => {
    const { articles } = await ingest(corpusFiles());
    gen = await buildFull(articles, parallelSegmenter());
    built = await searchIndexOfBuild(gen);
    queries = sampleQueries(built, 60);
  }, 300_000);

  it("finds every article containing the query, returns only matching ones, treats scripts alike and puts title fragments first", async () => {
    expect(queries.length).toBeGreaterThanOrEqual(300);
    await expectQuality(built);
  }, 300_000);

  describe("with the generation in PostgreSQL", () => {
    let pg: TestPostgres;
    let db: Pool;
    let fromDb: SearchIndex;
    let lean: SearchIndex;
    let requests: SearchRequest[];

    beforeAll(async () => {
      pg = await startPostgres();
      db = pool(await pg.database("corpus"));
      const t = performance.now();
      const saved = await saveGenerationPg(db, gen);
      const written = performance.now();
      fromDb = (await loadGenerationPg(db)).index;
      console.log(`postgres: corpus generation written in ${((written - t) / 1000).toFixed(1)} s (${(saved.bytes / 1e6).toFixed(0)} MB), loaded in ${((performance.now() - written) / 1000).toFixed(1)} s`);
      lean = (await loadGenerationPg(db, { lean: true })).index;
      const base: SearchRequest = { q: "", authors: [], sources: [], from: null, to: null, sort: "relevance", page: 1, size: 20 };
      requests = queries.flatMap((s, i) => [
        { ...base, q: s.q },
        { ...base, q: s.q, sort: i % 2 ? "newest" : "oldest", page: 2, size: 10, group: i % 3 !== 0 },
      ]);
      requests.push({ ...base, size: 100 }, { ...base, from: "2020-01-01", to: "2022-12-31", sort: "newest" });
    }, 300_000);

    afterAll(async () => {
      await db?.end();
      pg?.stop();
    });

    it("passes the same checks", async () => {
      await expectQuality(fromDb);
    }, 300_000);

    const answer = async (index: SearchIndex) => {
      const out = [];
      for (const r of requests) {
        const res = { ...(await index.searchAsync(r)), tookMs: 0 };
        out.push({ ...res, read: await Promise.all(res.hits.slice(0, 2).map((h) => index.getAsync(h.id, r.q))) });
      }
      return JSON.parse(JSON.stringify(out));
    };

    it("answers every sampled query, with filters, sorts and reading views, exactly like the built index", async () => {
      const expected = await answer(built);
      expect(expected.filter((r: { total: number }) => r.total > 0).length).toBeGreaterThan(requests.length / 2);
      expect(await answer(fromDb)).toEqual(expected);
    }, 300_000);

    it("answers them all the same served lean, as app servers load it (rows read from the database per query)", async () => {
      expect(lean.lean).toBe(true);
      expect(await answer(lean)).toEqual(await answer(built));
    }, 300_000);
  });
});
