// The systems compared by `npm run bench`: the project's engine and five
// alternatives a team would otherwise pick. Every system gets the same
// normalised text (Traditional → Simplified, NFKC, lower case) and the same
// literal query parts, so the comparison is about how each one indexes and
// matches, not about normalisation.
import { dirBytes } from "./stats";
import { promises as fs } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { Client, type Pool } from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { Charset, Index } from "flexsearch";
import MiniSearch from "minisearch";
import type { Article } from "@/lib/content/article";
import { SearchIndex } from "@/lib/search/engine/search-index";
import { buildFull } from "@/lib/search/build/full";
import { loadGenerationPg, pool, saveGenerationPg, schemaBytes } from "@/lib/search/storage/postgres-store";
import { openIndex, saveGeneration } from "@/lib/search/storage/disk-store";
import { parallelSegmenter } from "@/lib/search/build/segmentation-pool";
import type { SearchRequest, SearchResponse } from "@/lib/search/engine/types";
import { cutNative as cut } from "@/lib/text/segment";
import { CopyWriter } from "@/lib/search/storage/pg-copy";
import type { PgShards } from "@/lib/search/storage/pg-shards";
import { startPostgres, type TestPostgres } from "../../testkit/postgres";

export interface BenchQuery {
  kind: string;
  /** Literal parts, normalised: a document matches when it contains every part. */
  parts: string[];
  /** Optional filter, applied natively by the project and afterwards by the others. */
  filter?: { author?: string; from?: string; to?: string };
  /** For known-item queries: the document the query was taken from (at ×1). */
  target?: number;
}

/** An answer the harness turns into the list of matching documents for the recall check, untimed. */
export interface Listable {
  list(): number[];
}

export interface Built {
  indexBytes: number;
  /** Seconds of jieba segmentation: inside the build for the jieba peers; a separate run for the project. */
  segmentSeconds?: number;
  /** The build's own seconds, when the system measured something else besides. */
  buildSeconds?: number;
  /** A library partitioned across servers: the bytes each one holds (the first also holds the coordinator's tables). */
  serverBytes?: number[];
}

export interface BenchSystem {
  name: string;
  build(articles: Article[], texts: string[], dir: string): Promise<Built>;
  /**
   * Matching documents (numbers), best first where the system ranks; or, for
   * a system whose answer is not such a list (the project answers with a
   * results page), that answer with a way to list it, which the harness calls
   * after the timer stops.
   */
  search(q: BenchQuery): number[] | Listable | Promise<Listable> | Promise<number[]>;
  /** A query as a user types it, the query language applied (the project's systems: the mixed query set). */
  searchTyped?(q: string): unknown;
  /** The environment a production server over this system's index needs (the project's backends). */
  serverEnv?(): Record<string, string>;
  /** Stops what the build started (a database). */
  close?(): Promise<void>;
  /** Reads its store per query (the bench times each query's first run too). */
  readsStore?: boolean;
}

/** Plain jieba words (cut, HMM on), on one thread: what a team would feed a word index. */
const segmentWords = async (texts: string[]) => texts.map((t) => cut(t).filter((w) => w.trim()));

/**
 * A results page as the product computes it (total, facets, the best ten
 * ranked with snippets, and every match found), for the bench's query. The
 * list the recall check wants (the best ten first, then every other match)
 * is made from it untimed: copying ~100k matches into a JS array costs
 * 10–50 ms on this machine, which no page of the product ever does.
 */
function projectSearch(index: SearchIndex, docOf: Map<string, number>, q: BenchQuery): Listable {
  return listing(index.searchWithDocs(benchRequest(q)), docOf);
}

/** projectSearch over a lean index: what the search reads is fetched from its database (lib/search/engine/lean-reader.ts). */
export async function projectSearchAsync(index: SearchIndex, docOf: Map<string, number>, q: BenchQuery): Promise<Listable> {
  return listing(await index.searchWithDocsAsync(benchRequest(q)), docOf);
}

function benchRequest(q: BenchQuery): SearchRequest {
  return {
    q: q.parts.map((p) => `"${p}"`).join(" "),
    authors: q.filter?.author ? [q.filter.author] : [],
    sources: [],
    from: q.filter?.from ?? null,
    to: q.filter?.to ?? null,
    sort: "relevance",
    page: 1,
    size: 10,
  };
}

/** A typed query's first results page, by relevance (what the search box sends). */
function typedRequest(q: string): SearchRequest {
  return { q, authors: [], sources: [], from: null, to: null, sort: "relevance", page: 1, size: 10 };
}

/** The best ten first, then every other match (made after the timer stops). */
function listing({ response, docs }: { response: SearchResponse; docs: Uint32Array }, docOf: Map<string, number>): Listable {
  return {
    list() {
      const top = response.hits.map((h) => docOf.get(h.id)!);
      const inTop = new Set(top);
      return [...top, ...Array.from(docs).filter((d) => !inTop.has(d))];
    },
  };
}

/**
 * The project with SEARCH_BACKEND=postgres: the same build, written to a
 * PostgreSQL started for the run (build seconds include the write), and the
 * index searched as an app process has it: loaded back from the database
 * lean, reading rows per query through its own pool (open until close).
 * With `servers` > 1 the library is partitioned across that many PostgreSQL
 * servers (DATABASE_SHARD_URLS; the first one's database is the
 * coordinator), each started for the run on this machine.
 */
export function projectPostgresSystem(servers = 1): BenchSystem {
  let index: SearchIndex;
  let docOf: Map<string, number>;
  const clusters: TestPostgres[] = [];
  const pools: Pool[] = [];
  let urls: string[] = [];
  return {
    name: servers === 1 ? "project-postgres" : `project-postgres-${servers}`,
    async build(articles) {
      for (let i = 0; i < servers; i++) clusters.push(await startPostgres());
      urls = await Promise.all(clusters.map((c) => c.database("bench")));
      pools.push(...urls.map((u) => pool(u)));
      const shards: PgShards | undefined = servers > 1 ? { pools, urls } : undefined;
      const t = performance.now();
      const gen = await buildFull(articles, parallelSegmenter());
      await saveGenerationPg(pools[0], gen, [], undefined, shards);
      const buildSeconds = (performance.now() - t) / 1000;
      // As an app server loads it (lib/search/serving/live-index.ts): lean, rows read from the database per query.
      index = (await loadGenerationPg(pools[0], { lean: true, shards })).index;
      // As a server does right after loading: the suggestion index built ahead (did-you-mean reads it).
      await index.warmSuggestions();
      docOf = new Map(articles.map((a, i) => [a.id, i]));
      const serverBytes = await Promise.all(pools.map((p) => schemaBytes(p)));
      return { indexBytes: serverBytes.reduce((a, b) => a + b, 0), buildSeconds, ...(servers > 1 ? { serverBytes } : {}) };
    },
    search: (q) => projectSearchAsync(index, docOf, q),
    searchTyped: (q) => index.searchWithDocsAsync(typedRequest(q)),
    readsStore: true,
    serverEnv: () => ({ SEARCH_BACKEND: "postgres", DATABASE_URL: urls[0], ...(servers > 1 ? { DATABASE_SHARD_URLS: urls.join(",") } : {}) }),
    async close() {
      await Promise.all(pools.map((p) => p.end()));
      for (const c of clusters) c.stop();
    },
  };
}

/**
 * The project's engine, queried with its exact-phrase syntax ("part" "part"),
 * over the generation it built and saved, loaded back from the files as a
 * server loads it (as project-postgres loads it back from the database). The
 * build's own in-memory copy is dropped: no server answers from it, and in the
 * process that just built ×10 it answered the slow queries 2–3× slower (p99
 * 51.9 ms against 21.4 ms loaded back, in the run of 2026-11-30 02:10).
 */
export function projectSystem(): BenchSystem {
  let index: SearchIndex;
  let docOf: Map<string, number>;
  return {
    name: "project",
    async build(articles, texts, dir) {
      // Segmentation alone first, on the same texts and threads: the yardstick for the build time.
      let t = performance.now();
      await parallelSegmenter()(texts);
      const segmentSeconds = (performance.now() - t) / 1000;
      t = performance.now();
      await saveGeneration(dir, await buildFull(articles, parallelSegmenter()));
      const buildSeconds = (performance.now() - t) / 1000;
      global.gc?.();
      index = await openIndex(dir);
      // As a server does right after loading (lib/search/serving/live-index.ts): every text normalised before the queries.
      await index.warmTexts();
      docOf = new Map(articles.map((a, i) => [a.id, i]));
      return { indexBytes: await dirBytes(dir), segmentSeconds, buildSeconds };
    },
    search: (q) => projectSearch(index, docOf, q),
    searchTyped: (q) => index.searchWithDocs(typedRequest(q)),
  };
}

/** A plain substring scan over the normalised text: exact by construction, the truth for the others. */
export function scanSystem(): BenchSystem {
  let texts: string[] = [];
  return {
    name: "scan",
    async build(_articles, t) {
      texts = t;
      return { indexBytes: 0 };
    },
    search(q) {
      const out: number[] = [];
      for (let d = 0; d < texts.length; d++) if (q.parts.every((p) => texts[d].includes(p))) out.push(d);
      return out;
    },
  };
}

/** FlexSearch with its default options, fed jieba words joined by spaces. */
export function flexJiebaSystem(): BenchSystem {
  const index = new Index();
  return {
    name: "flexsearch-jieba",
    async build(_articles, texts) {
      const t = performance.now();
      const words = await segmentWords(texts);
      const segmentSeconds = (performance.now() - t) / 1000;
      words.forEach((w, d) => index.add(d, w.join(" ")));
      return { indexBytes: await flexBytes(index), segmentSeconds };
    },
    search(q) {
      const terms = q.parts.flatMap((p) => cut(p).filter((w) => w.trim()));
      return index.search(terms.join(" "), { limit: 1_000_000 }) as number[];
    },
  };
}

/** FlexSearch with its CJK charset: every character is a token. */
export function flexCjkSystem(): BenchSystem {
  const index = new Index({ encoder: Charset.CJK });
  return {
    name: "flexsearch-cjk",
    async build(_articles, texts) {
      texts.forEach((t, d) => index.add(d, t));
      return { indexBytes: await flexBytes(index) };
    },
    search(q) {
      return index.search(q.parts.join(" "), { limit: 1_000_000 }) as number[];
    },
  };
}

/** MiniSearch (BM25) with a jieba tokenizer, all terms required. */
export function miniSearchSystem(): BenchSystem {
  let ms: MiniSearch<{ id: number; text: string }>;
  return {
    name: "minisearch-jieba",
    async build(_articles, texts) {
      const t = performance.now();
      const words = await segmentWords(texts);
      const segmentSeconds = (performance.now() - t) / 1000;
      ms = new MiniSearch({ fields: ["text"], tokenize: (s) => s.split(" "), searchOptions: { combineWith: "AND", tokenize: (s) => s.split(" ") } });
      ms.addAll(words.map((w, id) => ({ id, text: w.join(" ") })));
      return { indexBytes: Buffer.byteLength(JSON.stringify(ms)), segmentSeconds };
    },
    search(q) {
      const terms = q.parts.flatMap((p) => cut(p).filter((w) => w.trim()));
      return ms.search(terms.join(" ")).map((r) => r.id as number);
    },
  };
}

/** SQLite FTS5 with the trigram tokenizer: phrases of 3+ characters use the index, shorter parts fall back to LIKE. */
export function fts5System(): BenchSystem {
  let db: Database.Database;
  const statements = new Map<string, Database.Statement>();
  return {
    name: "sqlite-fts5-trigram",
    async build(_articles, texts, dir) {
      await fs.mkdir(dir, { recursive: true });
      const file = path.join(dir, "fts.db");
      db = new Database(file);
      db.pragma("journal_mode = OFF");
      db.pragma("synchronous = OFF");
      db.exec("CREATE VIRTUAL TABLE docs USING fts5(text, tokenize = 'trigram')");
      const insert = db.prepare("INSERT INTO docs(rowid, text) VALUES (?, ?)");
      db.transaction(() => texts.forEach((t, d) => insert.run(d + 1, t)))();
      return { indexBytes: (await fs.stat(file)).size };
    },
    search(q) {
      const long = q.parts.filter((p) => [...p].length >= 3);
      const short = q.parts.filter((p) => [...p].length < 3);
      const where = [...(long.length ? ["docs MATCH ?"] : []), ...short.map(() => "text LIKE ?")].join(" AND ");
      const sql = `SELECT rowid FROM docs WHERE ${where}${long.length ? " ORDER BY rank" : ""}`;
      let st = statements.get(sql);
      if (!st) statements.set(sql, (st = db.prepare(sql).pluck()));
      const params = [...(long.length ? [long.map((p) => `"${p.replace(/"/gu, '""')}"`).join(" AND ")] : []), ...short.map((p) => `%${p.replace(/[%_]/gu, "")}%`)];
      return (st.all(...params) as number[]).map((r) => r - 1);
    },
  };
}

/**
 * PostgreSQL's pg_trgm, what a PostgreSQL user tries first: the texts in a
 * table with a GIN trigram index, each part a `LIKE '%part%'` (the index
 * answers parts of three characters or more; shorter ones scan the table).
 * The database has a UTF-8 locale (C.UTF-8): in the C locale pg_trgm takes
 * no trigrams from Chinese at all.
 */
export function pgTrgmSystem(): BenchSystem {
  let pg: TestPostgres | undefined;
  let db: Client | undefined;
  return {
    name: "postgres-pg_trgm",
    async build(_articles, texts) {
      pg = await startPostgres();
      const admin = new Client({ connectionString: pg.url });
      await admin.connect();
      await admin.query("CREATE DATABASE trgm TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'");
      await admin.end();
      db = new Client({ connectionString: pg.url.replace(/\/postgres$/u, "/trgm") });
      await db.connect();
      const t = performance.now();
      await db.query("CREATE EXTENSION pg_trgm");
      await db.query("CREATE TABLE docs (id int PRIMARY KEY, text text NOT NULL)");
      const writer = new CopyWriter(db.query(copyFrom("COPY docs (id, text) FROM STDIN (FORMAT binary)")), ["int4", "bytes"]);
      for (let d = 0; d < texts.length; d++) await writer.row([d, texts[d]]);
      await writer.end();
      await db.query("CREATE INDEX docs_text_trgm ON docs USING gin (text gin_trgm_ops)");
      await db.query("ANALYZE docs");
      const buildSeconds = (performance.now() - t) / 1000;
      const size = await db.query("SELECT pg_total_relation_size('docs') AS bytes");
      return { indexBytes: Number(size.rows[0].bytes), buildSeconds };
    },
    async search(q) {
      const like = q.parts.map((p) => `%${p.replace(/[\\%_]/gu, (c) => `\\${c}`)}%`);
      const where = like.map((_, i) => `text LIKE $${i + 1}`).join(" AND ");
      const rows = await db!.query({ text: `SELECT id FROM docs WHERE ${where}`, values: like, rowMode: "array" });
      return rows.rows.map((r: number[]) => r[0]);
    },
    async close() {
      await db?.end();
      pg?.stop();
    },
  };
}

export const SYSTEMS: Record<string, () => BenchSystem> = {
  project: projectSystem,
  "project-postgres": () => projectPostgresSystem(1),
  "project-postgres-2": () => projectPostgresSystem(2),
  scan: scanSystem,
  "flexsearch-jieba": flexJiebaSystem,
  "flexsearch-cjk": flexCjkSystem,
  "minisearch-jieba": miniSearchSystem,
  "sqlite-fts5-trigram": fts5System,
  "postgres-pg_trgm": pgTrgmSystem,
};

async function flexBytes(index: Index): Promise<number> {
  let n = 0;
  await index.export((_key: string, data: string) => {
    n += Buffer.byteLength(data);
  });
  return n;
}

/** One system's figures at one scale, as `npm run bench` reports them. */
export interface SystemResult {
  name: string;
  scale: number;
  docs: number;
  buildSeconds: number | null;
  segmentSeconds: number | null;
  indexBytes: number | null;
  /** Resident memory, MB: for the project, of a fresh production server process over its saved index after it answered the query set; for the others, of the benchmark's child process after the build (corpus text included). */
  rssMB: number | null;
  /** Partitioned across servers: MB each one holds (the first also holds the coordinator's tables). */
  serverMB?: number[];
  /** The project's benchmark child after its build, MB (what rssMB meant for it before the server figure). */
  buildRssMB?: number | null;
  /** Seconds from starting that server to its first answer (median of runs). Project only. */
  coldStartSeconds?: number | null;
  /** A system answering from a store (project-postgres): each query's first run, caches empty at the start, p50/p95/p99 ms. */
  firstRuns?: { p50: number; p95: number; p99: number };
  p50: number | null;
  p95: number | null;
  p99: number | null;
  recall: number | null;
  precision: number | null;
  mrr10: number | null;
  queries: number;
  byKind: Record<string, { recall: number; precision: number; p50: number }>;
  /** The mixed query set (bench/parts/mixed-queries.ts), typed as users type it: ms per query (median of runs after one untimed), and the slowest. */
  mixed?: { p50: number; p99: number; max: number; queries: number; slowest: Array<{ q: string; ms: number }> };
  note?: string;
}
