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
import { nearHolds, type Scanned } from "../../testkit/workbench-library";
import { selfOverlapping, type TrendRequest } from "@/lib/search/engine/trends";
import { normalize } from "@/lib/text/normalize";
import { cut } from "@/lib/text/segment";
import { aidsBase, liveAids } from "@/lib/search/reader-aids/live-aids";
import { relatedArticles, repostGroups, SIGNATURE_STRIDE } from "@/lib/search/reader-aids/reader-aids";

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

  it("answers field, NEAR and trend queries exactly as a scan of the corpus does", () => {
    const ids = (q: string) => new Set(built.searchIds({ q, authors: [], sources: [], from: null, to: null, sort: "newest", page: 1, size: 10, group: false }));
    const scanned: Scanned[] = built.articles.map((a) => {
      const [title, ...body] = built.normalizedText(a.id)!.split("\n");
      return { id: a.id, title, body: body.join("\n"), authors: a.authors.map((x) => normalize(x).trim()), source: normalize(a.source ?? "").trim(), docNumber: normalize(a.docNumber ?? "").trim(), date: a.date };
    });
    const where = (keep: (a: Scanned) => boolean) => new Set(scanned.filter(keep).map((a) => a.id));
    const literals = [...new Set(queries.filter((s) => s.literal && s.literal.length >= 2).map((s) => normalize(s.literal!)))].slice(0, 40);
    let checked = 0;
    for (const l of literals) {
      expect(ids(`标题:"${l}"`), `标题:${l}`).toEqual(where((a) => a.title.includes(l)));
      expect(ids(`正文:"${l}"`), `正文:${l}`).toEqual(where((a) => a.body.includes(l)));
      checked += 2;
    }
    const authors = [...new Set(built.articles.flatMap((a) => a.authors))].filter((a) => a.trim() && !/["“”「」『』＂„]/u.test(a)).sort().filter((_, i) => i % 97 === 0).slice(0, 25);
    for (const name of authors) {
      const n = normalize(name).trim();
      expect(ids(`作者:"${name}"`), `作者:${name}`).toEqual(where((a) => a.authors.some((x) => x.includes(n))));
      checked++;
    }
    // (A value with quote marks cannot be written as one quoted term: the corpus has a template's placeholder, {PE.Field id="cone" …}, as a source.)
    const sources = [...new Set(built.articles.map((a) => a.source).filter((x): x is string => !!x && !!x.trim() && !/["“”「」『』＂„]/u.test(x)))].sort().slice(0, 12);
    for (const src of sources) {
      const n = normalize(src).trim();
      expect(ids(`来源:"${src}"`), `来源:${src}`).toEqual(where((a) => a.source.includes(n)));
      checked++;
    }
    // Pairs of words a few words apart in some article's paragraph (so that NEAR finds something), at distances around theirs.
    const withins = [0, 5, 20, "sentence", "paragraph"] as const;
    let found = 0;
    for (let k = 0; k < 25; k++) {
      const x = scanned[(k * 1231) % scanned.length];
      const line = x.body.split("\n").find((p) => p.length >= 40);
      const cutWords = line ? cut(line).filter((w) => w.length >= 2 && /^\p{Script=Han}+$/u.test(w)) : [];
      if (cutWords.length < 5) continue;
      const [a, b] = [cutWords[1], cutWords[4]];
      const within = withins[k % withins.length];
      const op = within === "sentence" ? "NEAR/s" : within === "paragraph" ? "NEAR/p" : `NEAR/${within}`;
      const q = `"${a}" ${op} "${b}"`;
      const expected = where((y) => `${y.title}\n${y.body}`.includes(a) && `${y.title}\n${y.body}`.includes(b) && nearHolds(y, a, b, within));
      expect(ids(q), q).toEqual(expected);
      if (expected.size > 0) found++;
      checked++;
    }
    expect(found).toBeGreaterThan(10);
    const base: TrendRequest = { queries: [], by: "year", authors: [], sources: [], from: null, to: null };
    for (const l of literals.filter((t) => !selfOverlapping(t)).slice(0, 12)) {
      const t = built.trends({ ...base, queries: [`"${l}"`] });
      const perYear = new Map<string, [number, number]>();
      for (const a of scanned) {
        if (!a.date) continue;
        const text = `${a.title}\n${a.body}`;
        let n = 0;
        for (let at = text.indexOf(l); at !== -1; at = text.indexOf(l, at + 1)) n++;
        if (n === 0) continue;
        const y = a.date.slice(0, 4);
        const [arts, occ] = perYear.get(y) ?? [0, 0];
        perYear.set(y, [arts + 1, occ + n]);
      }
      t.buckets.forEach((y, i) => {
        expect(t.series[0].articles[i], `${l} ${y}`).toBe(perYear.get(y)?.[0] ?? 0);
        expect(t.series[0].occurrences[i], `${l} ${y}`).toBe(perYear.get(y)?.[1] ?? 0);
      });
      expect([...perYear.keys()].every((y) => t.buckets.includes(y))).toBe(true);
      checked++;
    }
    console.log(`workbench on the corpus: ${checked} field, NEAR and trend queries equal to the scan`);
  }, 600_000);

  it("regroups reposts and rescores related articles after live changes exactly as over the whole library", async () => {
    const { aids } = await gen.aids;
    const base = aidsBase(aids);
    const n0 = aids.groupOf.length;
    // Group leaders with members, and their members: the changes most likely to move groups.
    const leaders = [...new Set(Array.from(aids.groupOf).filter((leader, doc) => leader !== doc))];
    let seed = 7;
    const random = (k: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % k);
    for (let round = 0; round < 4; round++) {
      const gone = new Set<number>([leaders[random(leaders.length)], random(n0), random(n0), ...leaders.slice(round * 3, round * 3 + 2)]);
      // Copies of existing articles (reposts of them) and of gone ones, placed anywhere.
      const sources = [leaders[random(leaders.length)], random(n0), [...gone][0], random(n0)];
      const order: Array<{ old: number } | { copyOf: number }> = [];
      for (let old = 0; old < n0; old++) {
        if (sources.length && random(n0) < 4) order.push({ copyOf: sources.pop()! });
        if (!gone.has(old)) order.push({ old });
      }
      for (const s of sources) order.push({ copyOf: s });
      const n = order.length;
      const remap = new Int32Array(n0).fill(-1);
      const oldOf = new Int32Array(n).fill(-1);
      const added: Array<{ doc: number; signature: Uint32Array; keywords: string[]; weights: number[] }> = [];
      const signatures = new Uint32Array(n * SIGNATURE_STRIDE);
      const keywords: string[][] = [];
      const weights: number[][] = [];
      order.forEach((o, doc) => {
        const from = "old" in o ? o.old : o.copyOf;
        if ("old" in o) {
          remap[o.old] = doc;
          oldOf[doc] = o.old;
        }
        const signature = aids.signatures.slice(from * SIGNATURE_STRIDE, (from + 1) * SIGNATURE_STRIDE);
        signatures.set(signature, doc * SIGNATURE_STRIDE);
        keywords.push(aids.keywords[from]);
        weights.push(aids.weights[from]);
        if ("copyOf" in o) added.push({ doc, signature, keywords: aids.keywords[from], weights: aids.weights[from] });
      });
      const live = liveAids(base, { articles: n, remap, oldOf, added, removed: [...gone].sort((a, b) => a - b) });
      const groupOf = repostGroups(signatures, n);
      expect(Array.from(live.groupOf)).toEqual(Array.from(groupOf));
      expect(Array.from(live.related)).toEqual(Array.from(relatedArticles(keywords, weights, groupOf)));
      // The point: far fewer articles than the library's were grouped or scored again.
      expect(live.rescored).toBeLessThan(n / 4);
    }
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
      // Field and NEAR queries: checked on the texts (a lean index counts body terms and reads NEAR texts from the database).
      const words = queries.filter((s) => s.kind === "word").map((s) => s.q);
      for (let k = 0; k + 1 < Math.min(words.length, 20); k += 2)
        requests.push({ ...base, q: `标题:${words[k]}` }, { ...base, q: `正文:"${words[k]}" -标题:${words[k + 1]}` }, { ...base, q: `${words[k]} NEAR/10 ${words[k + 1]}` }, { ...base, q: `${words[k]} NEAR/s ${words[k + 1]}`, sort: "newest" });
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

    it("gives the same trends lean as built", async () => {
      const words = queries.filter((s) => s.kind === "word").map((s) => s.q);
      for (const q of [words.slice(0, 2), [words[2], `标题:${words[3]}`], [`${words[4]} NEAR/s ${words[5]}`]]) {
        const req: TrendRequest = { queries: q, by: "year", authors: [], sources: [], from: null, to: null };
        expect(await lean.trendsAsync(req), q.join(" · ")).toEqual(built.trends(req));
      }
    }, 300_000);
  });
});
