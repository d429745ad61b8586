// Persistence of the index in PostgreSQL (SEARCH_BACKEND=postgres): the same
// generations as disk-store.ts writes to a folder, as tables, so that app servers
// on any number of machines hold nothing but a connection and follow one
// live generation.
//
//   search.generations        one row per generation: manifest, state (building → published → retired)
//   search.live               one row: the live generation (changed in the publishing transaction)
//   search.articles_<id>      per generation: doc, id, content hash, the stored article (JSON)
//   search.ngrams_<id>        per generation: one row per character or pair, its documents and
//                             their frequencies as little-endian u32 / u8 arrays (bytea)
//   search.docs_<id>          per generation: doc, id, what a lean app server holds per article
//                             (title, date, authors, source, body length), and what it reads per
//                             query (engine/lean-reader.ts): the normalised text (UTF-16LE bytea: any JS string
//                             back unit for unit) and key terms
//   search.shard_parts        on each server of DATABASE_SHARD_URLS: which part (range of documents)
//                             of which generation it holds (storage/pg-shards.ts); the coordinator's
//                             search.generations.shard_bounds lists the ranges
//   search.shard_terms,       on each of those servers: its share of a segment's word lists (serials
//   search.shard_words        s with s mod n = its place) and segmentation cache (entries k with
//                             k mod n = its place), for segments written partitioned
//                             (search.segments.shard_servers = n)
//   search.blobs              per generation: serials, reader aids, signatures, the ingest cache, the query segmenter
//   search.segments, search.segment_entries, search.segment_words, search.segment_terms
//                             immutable word segments (words.bin or FlexSearch's export, serials, hashes,
//                             the segmentation cache, and each word's serials for lean servers), shared by
//                             the generations that list them
//
// A generation's rows are written while it is `building`; publishing is one
// transaction (state, the live row, NOTIFY search_generation), so no reader
// ever sees half of one, and a killed index run leaves the live generation
// as it was. Per-generation tables make dropping an old generation instant.
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client, Pool, type PoolClient } from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import type { FileOutcome } from "@/lib/content/ingest";
import { SearchIndex } from "@/lib/search/engine/search-index";
import { TitlePacker } from "@/lib/search/formats/packed-titles";
import { type AidsPart, type Generation, type GenerationRange, type NewSegment, type NgramLayer, type RangedGeneration, type SegmentReader } from "@/lib/search/formats/generation";
import { type IndexManifest } from "@/lib/search/formats/manifest";
import { bodyChars, catalogEntryOf, searchableText } from "@/lib/search/formats/article-record";
import { mergeNgramFile, NgramIndex, union } from "@/lib/search/formats/ngram-index";
import { CopyWriter, rawInt4, rawText, readCopy, readCopyRaw, type CopyField, type RawRow } from "@/lib/search/storage/pg-copy";
import { byPart, joinPieces, mergePieces, onEveryPart, partsOf, rowCuts, serverName, shardBounds, type Part, type PgShards, type PieceRows } from "@/lib/search/storage/pg-shards";
import type { ArticleRef } from "@/lib/search/engine/types";
import { LeanReader, type CountNeed, type DocFetcher, type LeanCacheSizes } from "@/lib/search/engine/lean-reader";
import type { GramRow } from "@/lib/search/formats/ngram-index";
import { RELATED, type ReaderAids } from "@/lib/search/reader-aids/reader-aids";
import { loadCarry, loadVocabulary, splitWords, storeAids, storedVocabulary } from "@/lib/search/formats/reader-aids-codec";
import { docOfSerial } from "@/lib/search/formats/manifest";
import { docsOfSerials, joinedAscending } from "@/lib/search/formats/word-index";
import { decodeLiveChanges, encodeLiveChanges, liveName, type LiveChanges } from "@/lib/search/formats/live-changes";
import { cachedSegment, checkManifest, GenerationError, isOriginalKey, newGenerationName, originalBytes, originalsOf, parseAids, parseUint32s, type IncrementalBase, type IndexStore, type LoadedGeneration, type SavedGeneration, type SegmentCache } from "@/lib/search/storage/store";
import { config } from "@/lib/config/env.cjs";
import type { StoredArticle } from "@/lib/search/formats/article-record";
import { MetaColumns } from "@/lib/search/engine/article-fields";
import { WordIndex, WordLayer } from "@/lib/search/formats/word-index";
import { querySegmenterLoaded, querySegmenterTables, type SavedSegmenter } from "@/lib/text/segment";
import { normalize } from "@/lib/text/normalize";

const NOTIFY_CHANNEL = "search_generation";
const SCHEMA = "search";
/** Key of the advisory lock one index run holds (released by PostgreSQL when its connection ends, however the run ends). */
const INDEX_LOCK = 0x64_6a_73_31; // "djs1"
const SCHEMA_LOCK = 0x64_6a_73_30;

/** DATABASE_URL: the primary, where index runs write and notices come from. */
export function databaseUrl(): string {
  const url = config().databaseUrl;
  if (!url) throw new Error("search: SEARCH_BACKEND=postgres needs DATABASE_URL (e.g. postgres://user@127.0.0.1:5432/db)");
  return url;
}

/** Where reads go: a read replica (DATABASE_READ_URL) when given, else the primary. */
export function databaseReadUrl(): string {
  return config().databaseReadUrl ?? databaseUrl();
}

export function pool(url: string, max = 4): Pool {
  // A server that does not answer (a lost machine, no refusal) is a clear error after 5 s, not a request waiting for ever.
  const p = new Pool({ connectionString: url, max, idleTimeoutMillis: 10_000, connectionTimeoutMillis: 5_000 });
  // An idle client's connection dropping (a restarted database) must not end the process.
  p.on("error", (e) => console.error(`search: database connection lost (${e.message})`));
  // A checked-out client's connection dropping between queries (a server stopped under it) is its query's
  // error, or the next one's: not an uncaught exception.
  p.on("connect", (client) => client.on("error", () => {}));
  return p;
}

const articlesTable = (id: number) => `${SCHEMA}.articles_${id}`;
const ngramsTable = (id: number) => `${SCHEMA}.ngrams_${id}`;
const docsTable = (id: number) => `${SCHEMA}.docs_${id}`;

/**
 * Occurrences of a term in a normalised text, counted where the text is: `t`
 * and `p` are UTF-16LE (docs_<id>.norm and the term), occurrences start at
 * code unit `from_unit` or later, overlapping ones count, up to `cap`: what
 * TermFinder.count reads in the app (a match must start on a unit: at an even
 * byte). A lean server asks it for a long term's counts and verification
 * instead of fetching every candidate's text (~17 MB for a heavy query at ×10).
 */
export const UNIT_COUNT = `${SCHEMA}.unit_count`;
const UNIT_COUNT_SQL = `
      CREATE OR REPLACE FUNCTION ${UNIT_COUNT}(t bytea, p bytea, from_unit integer, cap integer) RETURNS integer
      LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $unit_count$
      DECLARE
        -- One decompressed copy: PL/pgSQL would decompress a compressed argument again at each use below.
        s bytea := substring(t FROM 1);
        n integer := 0;
        at integer := from_unit * 2; -- byte offset where the search goes on
        len integer := length(s);
        m integer := length(p);
        k integer;
      BEGIN
        IF m = 0 OR cap <= 0 OR from_unit < 0 THEN RETURN 0; END IF;
        WHILE at + m <= len LOOP
          k := position(p IN substring(s FROM at + 1));
          EXIT WHEN k = 0;
          at := at + k - 1;
          IF at % 2 = 0 THEN
            n := n + 1;
            EXIT WHEN n >= cap;
            at := at + 2; -- the next unit: overlapping occurrences count
          ELSE
            at := at + 1; -- bytes across two units are no match; the next unit
          END IF;
        END LOOP;
        RETURN n;
      END
      $unit_count$;`;

/** Creates the schema when missing (several processes may race to: one at a time under a lock). */
export async function ensureSchema(db: Pool | PoolClient): Promise<void> {
  const client = "release" in db ? db : await db.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [SCHEMA_LOCK]);
    await client.query(`
      CREATE SCHEMA IF NOT EXISTS ${SCHEMA};
      CREATE TABLE IF NOT EXISTS ${SCHEMA}.generations (
        id serial PRIMARY KEY,
        name text UNIQUE NOT NULL,
        manifest json NOT NULL, -- json, not jsonb: kept as written (the loader compares option objects as written)
        ngram_keys integer NOT NULL,
        ngram_postings bigint NOT NULL,
        state text NOT NULL DEFAULT 'building' CHECK (state IN ('building', 'published', 'retired')),
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz
      );
      CREATE TABLE IF NOT EXISTS ${SCHEMA}.live (
        one boolean PRIMARY KEY DEFAULT true CHECK (one),
        generation integer NOT NULL REFERENCES ${SCHEMA}.generations (id)
      );
      CREATE TABLE IF NOT EXISTS ${SCHEMA}.blobs (
        generation integer NOT NULL REFERENCES ${SCHEMA}.generations (id) ON DELETE CASCADE,
        name text NOT NULL,
        bytes bytea NOT NULL,
        PRIMARY KEY (generation, name)
      );
      CREATE TABLE IF NOT EXISTS ${SCHEMA}.segments (
        name text PRIMARY KEY,
        docs integer NOT NULL,
        serials bytea NOT NULL,
        hashes text NOT NULL,
        complete boolean NOT NULL DEFAULT false
      );
      CREATE TABLE IF NOT EXISTS ${SCHEMA}.segment_entries (
        segment text NOT NULL REFERENCES ${SCHEMA}.segments (name) ON DELETE CASCADE,
        key text NOT NULL,
        data bytea NOT NULL,
        PRIMARY KEY (segment, key)
      );
      CREATE TABLE IF NOT EXISTS ${SCHEMA}.segment_words (
        segment text NOT NULL REFERENCES ${SCHEMA}.segments (name) ON DELETE CASCADE,
        k integer NOT NULL,
        words text NOT NULL,
        PRIMARY KEY (segment, k)
      );
      -- Each word's serials (u32, FlexSearch's order): a lean server's word lists, one row per word.
      CREATE TABLE IF NOT EXISTS ${SCHEMA}.segment_terms (
        segment text NOT NULL REFERENCES ${SCHEMA}.segments (name) ON DELETE CASCADE,
        word text NOT NULL,
        serials bytea NOT NULL,
        PRIMARY KEY (segment, word)
      );
      -- Document originals (Word, PDF, scans) by sha256, shared by the generations whose manifests list them.
      CREATE TABLE IF NOT EXISTS ${SCHEMA}.originals (
        sha256 text PRIMARY KEY,
        bytes bytea NOT NULL
      );
      -- The live generation's live changes (formats/live-changes.ts): one row, replaced by each live run.
      CREATE TABLE IF NOT EXISTS ${SCHEMA}.live_changes (
        generation integer PRIMARY KEY REFERENCES ${SCHEMA}.generations (id) ON DELETE CASCADE,
        seq integer NOT NULL,
        body text NOT NULL,
        written_at timestamptz NOT NULL DEFAULT now()
      );
      -- Partitioned generations (DATABASE_SHARD_URLS): the first document of each server's range, and the end.
      ALTER TABLE ${SCHEMA}.generations ADD COLUMN IF NOT EXISTS shard_bounds integer[];
      -- On each server of a partitioned generation: the part it holds (checked when the generation is loaded).
      CREATE TABLE IF NOT EXISTS ${SCHEMA}.shard_parts (
        name text PRIMARY KEY,
        generation integer NOT NULL,
        shard integer NOT NULL,
        servers integer NOT NULL,
        first_doc integer NOT NULL,
        end_doc integer NOT NULL,
        ngram_keys integer NOT NULL DEFAULT 0,
        ngram_postings bigint NOT NULL DEFAULT 0
      );
      -- Where a segment's word lists and segmentation cache are: 0 in segment_terms and segment_words here,
      -- n split across the n servers of DATABASE_SHARD_URLS (shard_terms by serial mod n, shard_words by k mod n).
      ALTER TABLE ${SCHEMA}.segments ADD COLUMN IF NOT EXISTS shard_servers integer NOT NULL DEFAULT 0;
      CREATE TABLE IF NOT EXISTS ${SCHEMA}.shard_terms (
        segment text NOT NULL,
        word text NOT NULL,
        serials bytea NOT NULL,
        PRIMARY KEY (segment, word)
      );
      CREATE TABLE IF NOT EXISTS ${SCHEMA}.shard_words (
        segment text NOT NULL,
        k integer NOT NULL,
        words text NOT NULL,
        PRIMARY KEY (segment, k)
      );
      -- Segments written before segment_terms have none: lean servers load such generations whole.
      ALTER TABLE ${SCHEMA}.segments ADD COLUMN IF NOT EXISTS terms boolean NOT NULL DEFAULT false;
      -- Written in ranges (build/ranged.ts): ngrams_<id> holds each key's row in pieces (key, piece), joined in piece order.
      ALTER TABLE ${SCHEMA}.generations ADD COLUMN IF NOT EXISTS ngram_pieces boolean NOT NULL DEFAULT false;
      ${UNIT_COUNT_SQL}
    `);
    await client.query("COMMIT");
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    if (!("release" in db)) (client as PoolClient).release();
  }
}

/**
 * Takes the index lock for one index run, on a connection of its own held
 * until release: a second run is refused while one is alive, and a run
 * killed in any way (kill -9, a lost machine) lets go with its connection.
 */
export async function acquireIndexLock(db: Pool): Promise<() => Promise<void>> {
  const client = await db.connect();
  const { rows } = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1) AS ok", [INDEX_LOCK]);
  if (!rows[0].ok) {
    client.release();
    throw new Error("another index run holds the database's index lock");
  }
  return async () => {
    try {
      await client.query("SELECT pg_advisory_unlock($1)", [INDEX_LOCK]);
    } finally {
      client.release();
    }
  };
}

async function copyIn(client: PoolClient, sql: string, columns: ReadonlyArray<"int4" | "int8" | "bytes">, fill: (w: CopyWriter) => Promise<void>): Promise<void> {
  const stream = client.query(copyFrom(`${sql} FROM STDIN (FORMAT binary)`));
  const writer = new CopyWriter(stream, columns);
  await fill(writer);
  await writer.end();
}

async function copyOut(client: PoolClient, sql: string, onRow: (fields: Array<Buffer | null>) => void, where: string): Promise<number> {
  return readCopy(client.query(copyTo(`COPY (${sql}) TO STDOUT (FORMAT binary)`)), onRow, where);
}

const u32Bytes = (a: Uint32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const i32Bytes = (a: Int32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

async function writeSegment(client: PoolClient, seg: NewSegment, shards?: PgShards): Promise<void> {
  // Segments are immutable and uniquely named: a complete one of this name is this one.
  const { rows } = await client.query<{ complete: boolean; terms: boolean; shard_servers: number }>(`SELECT complete, terms, shard_servers FROM ${SCHEMA}.segments WHERE name = $1`, [seg.name]);
  const servers = shards?.pools.length ?? 0;
  // (One written for another list of servers is written again: it was never part of a published generation here.)
  if (rows[0]?.complete && rows[0].shard_servers === servers) {
    if (!rows[0].terms) await writeTerms(client, seg, shards);
    return;
  }
  await client.query(`DELETE FROM ${SCHEMA}.segments WHERE name = $1`, [seg.name]);
  await client.query(`INSERT INTO ${SCHEMA}.segments (name, docs, serials, hashes) VALUES ($1, $2, $3, $4)`, [seg.name, seg.serials.length, Buffer.from(u32Bytes(seg.serials)), seg.hashes.join("\n")]);
  const entries = await seg.index.entries();
  await copyIn(client, `COPY ${SCHEMA}.segment_entries (segment, key, data)`, ["bytes", "bytes", "bytes"], async (w) => {
    for (const [key, data] of entries) await w.row([seg.name, key, data]);
  });
  if (!shards) {
    await copyIn(client, `COPY ${SCHEMA}.segment_words (segment, k, words)`, ["bytes", "int4", "bytes"], async (w) => {
      for (let k = 0; k < seg.words.length; k++) await w.row([seg.name, k, seg.words[k]]);
    });
  } else {
    await onShardServers(shards, async (c, i, n) => {
      await c.query(`DELETE FROM ${SCHEMA}.shard_words WHERE segment = $1`, [seg.name]);
      await copyIn(c, `COPY ${SCHEMA}.shard_words (segment, k, words)`, ["bytes", "int4", "bytes"], async (w) => {
        for (let k = i; k < seg.words.length; k += n) await w.row([seg.name, k, seg.words[k]]);
      });
    });
  }
  await client.query(`UPDATE ${SCHEMA}.segments SET complete = true, shard_servers = $2 WHERE name = $1`, [seg.name, servers]);
  await writeTerms(client, seg, shards);
}

/**
 * A segment's word lists, one row per word: in segment_terms, or with
 * `shards` split across their servers (shard_terms; serial s on server
 * s mod n), so the word lists grow on the servers, not on the coordinator.
 */
async function writeTerms(client: PoolClient, seg: NewSegment, shards?: PgShards): Promise<void> {
  await client.query(`DELETE FROM ${SCHEMA}.segment_terms WHERE segment = $1`, [seg.name]);
  if (!shards) {
    await copyIn(client, `COPY ${SCHEMA}.segment_terms (segment, word, serials)`, ["bytes", "bytes", "bytes"], async (w) => {
      for (const word of seg.index.vocabulary()) await w.row([seg.name, word, u32Bytes(Uint32Array.from(seg.index.ids(word)))]);
    });
  } else {
    await onShardServers(shards, async (c, i, n) => {
      await c.query(`DELETE FROM ${SCHEMA}.shard_terms WHERE segment = $1`, [seg.name]);
      await copyIn(c, `COPY ${SCHEMA}.shard_terms (segment, word, serials)`, ["bytes", "bytes", "bytes"], async (w) => {
        for (const word of seg.index.vocabulary()) {
          const mine = Uint32Array.from(seg.index.ids(word)).filter((serial) => serial % n === i);
          if (mine.length) await w.row([seg.name, word, u32Bytes(mine)]);
        }
      });
    });
  }
  await client.query(`UPDATE ${SCHEMA}.segments SET terms = true, shard_servers = $2 WHERE name = $1`, [seg.name, shards?.pools.length ?? 0]);
}

/** `task` on a connection to each shard server at once (errors name the server). */
async function onShardServers(shards: PgShards, task: (client: PoolClient, i: number, n: number) => Promise<void>): Promise<void> {
  const n = shards.pools.length;
  await onEveryPart(partsOf(shards.pools, shards.urls, shardBounds(0, n)), async (part, i) => {
    const c = await part.db.connect();
    try {
      await task(c, i, n);
    } finally {
      c.release();
    }
  });
}

/** A generation written into the database; `bytes` counts its own tables, indexes and blobs (not the shared segments). */
export interface PgSaveResult extends SavedGeneration {
  id: number;
}

/** Writes a complete generation into the database and publishes it (writeGenerationPg, then publishGenerationPg). */
export async function saveGenerationPg(db: Pool, gen: Generation, inputs: FileOutcome[] = [], originals?: ReadonlyMap<string, string>, shards?: PgShards): Promise<PgSaveResult> {
  const saved = await writeGenerationPg(db, gen, inputs, originals, shards);
  await publishGenerationPg(db, saved, shards);
  return saved;
}

/**
 * Writes a complete generation into the database, not yet live: its rows
 * (state `building`), keys, blobs and statistics. With `shards`, each
 * server gets the per-article rows of its range of documents
 * (storage/pg-shards.ts), all written at once.
 */
async function writeGenerationPg(db: Pool, gen: Generation, inputs: FileOutcome[], originals: ReadonlyMap<string, string> = new Map(), shards?: PgShards): Promise<PgSaveResult> {
  await ensureSchema(db);
  await keepOriginalsPg(db, originals);
  const name = newGenerationName();
  const articleJson = gen.articleJson.map((j, doc) => {
    if (typeof j === "string") return j;
    // Ranges come from a folder store's article file; a base read from the database gives text.
    if (!gen.articles) throw new Error("search: the postgres store needs each article's JSON as text");
    return JSON.stringify(gen.articles[doc]);
  });
  const ngrams = gen.ngrams instanceof NgramIndex ? gen.ngrams : await mergedNgrams(gen.ngrams);
  const client = await db.connect();
  try {
    const words = await gen.words;
    const aids = await gen.aids;
    if (shards) await onEveryPart(partsOf(shards.pools, shards.urls, shardBounds(0, shards.pools.length)), (part) => ensureSchema(part.db));
    for (const seg of words.newSegments) await writeSegment(client, seg, shards);
    const build = { ...gen.manifest.build, segmented: words.segmented, merged: words.merged };
    const manifest: IndexManifest = { ...gen.manifest, segments: words.segments, build, originals: originalsOf(gen.meta) };
    const size = ngrams.size;
    const bounds = shards ? shardBounds(articleJson.length, shards.pools.length) : null;
    const { rows } = await client.query<{ id: number }>(
      `INSERT INTO ${SCHEMA}.generations (name, manifest, ngram_keys, ngram_postings, shard_bounds) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [name, JSON.stringify(manifest), size.keys, size.postings, bounds],
    );
    const id = rows[0].id;
    const parts: Part[] = shards && bounds ? partsOf(shards.pools, shards.urls, bounds) : [{ db, first: 0, end: articleJson.length, label: "" }];
    const gramRows: Array<[number, Uint32Array, Uint8Array]> = [];
    ngrams.forEachGram((key, docs, freqs) => gramRows.push([key, docs, freqs]));
    const cuts = parts.length > 1 ? gramRows.map(([, docs]) => rowCuts(parts, docs)) : null;
    const tableBytes = await onEveryPart(parts, async (part, shard) => {
      const c = shards ? await part.db.connect() : client;
      try {
        if (shards) await registerPart(c, name, id, shard, parts);
        const counted = await writePartRows(c, id, part, { gen, articleJson, keywords: aids.aids.keywords }, gramRows, cuts && ((row) => [cuts[row][shard], cuts[row][shard + 1]]));
        if (shards) await c.query(`UPDATE ${SCHEMA}.shard_parts SET ngram_keys = $2, ngram_postings = $3 WHERE name = $1`, [name, counted.keys, counted.postings]);
        return await tableBytesOf(c, id);
      } finally {
        if (c !== client) (c as PoolClient).release();
      }
    });
    await writeBlobs(client, id, gen.serials, aids, inputs);
    const blobBytes = await client.query<{ bytes: string }>(`SELECT coalesce(sum(length(bytes)), 0) AS bytes FROM ${SCHEMA}.blobs WHERE generation = $1`, [id]);
    return { name, id, manifest, bytes: tableBytes.reduce((a, b) => a + b, 0) + Number(blobBytes.rows[0].bytes) };
  } finally {
    client.release();
  }
}

/** A generation's blobs: serials, reader aids (whole and what a lean server keeps), the ingest cache, the query segmenter. */
async function writeBlobs(client: PoolClient, id: number, serials: Uint32Array, aids: AidsPart, inputs: FileOutcome[]): Promise<void> {
  const stored = storeAids(aids.aids, aids.df);
  const blobs: Array<[string, Uint8Array]> = [
    ["serials", u32Bytes(serials)],
    ["reader", Buffer.from(stored.reader, "utf8")],
    ["carry", stored.carry],
    ["signatures", u32Bytes(stored.signatures)],
    // The ingest cache (the blob's name is the format's, from before "source" meant only an article's 来源).
    ["sources", Buffer.from(JSON.stringify(inputs))],
    ["query-segmenter", querySegmenterTables()],
    // What a lean server keeps of the reader aids, without parsing every article's key terms.
    ["lean-related", i32Bytes(aids.aids.related)],
    ["lean-groups", i32Bytes(aids.aids.groupOf)],
    ["lean-vocabulary", Buffer.from(JSON.stringify(storedVocabulary(aids.aids.vocabulary)), "utf8")],
  ];
  for (const [blob, bytes] of blobs) {
    await client.query(`INSERT INTO ${SCHEMA}.blobs (generation, name, bytes) VALUES ($1, $2, $3)`, [id, blob, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]);
  }
}

/**
 * docs_<id>: what a lean server reads of each article (its catalog entry, normalised text and key terms).
 * title_norm is the title as normalize() makes it, UTF-16LE (any JS string round-trips): a lean server packs
 * it as it streams in, without decoding and normalising a million titles at start-up (2.9 of 5.6 s at 1M).
 */
const DOCS_COLUMNS =
  "doc integer NOT NULL, id text NOT NULL, title text NOT NULL, date text, authors text NOT NULL, source text, body_chars integer NOT NULL, norm bytea NOT NULL, keywords text NOT NULL, doc_type text, issuer text, doc_number text, title_norm bytea NOT NULL";
const DOCS_COPY = "doc, id, title, date, authors, source, body_chars, norm, keywords, doc_type, issuer, doc_number, title_norm";
const DOCS_TYPES = ["int4", "bytes", "bytes", "bytes", "bytes", "bytes", "int4", "bytes", "bytes", "bytes", "bytes", "bytes", "bytes"] as const;

function docsRow(doc: number, a: StoredArticle, norm: string, keywords: string[]): CopyField[] {
  return [doc, a.id, a.title, a.date, a.authors.join("\n"), a.source, bodyChars(a.paragraphs), Buffer.from(norm, "utf16le"), keywords.join(" "), a.docType ?? null, a.issuer ?? null, a.docNumber ?? null, Buffer.from(normalize(a.title), "utf16le")];
}

/** Registers a server's part of a generation before its tables exist: a killed run's tables are found and dropped by the next publish. */
async function registerPart(c: PoolClient, name: string, id: number, shard: number, parts: Part[]): Promise<void> {
  await c.query(`DELETE FROM ${SCHEMA}.shard_parts WHERE generation = $1`, [id]);
  await c.query(`INSERT INTO ${SCHEMA}.shard_parts (name, generation, shard, servers, first_doc, end_doc) VALUES ($1, $2, $3, $4, $5, $6)`, [name, id, shard, parts.length, parts[shard].first, parts[shard].end]);
}

/** A part's three tables, without keys; `pieces`: n-gram rows in pieces (key, piece), as a build in ranges writes them. */
async function createPartTables(c: PoolClient, id: number, pieces: boolean): Promise<void> {
  await c.query(`CREATE TABLE ${articlesTable(id)} (doc integer NOT NULL, id text NOT NULL, content_hash text NOT NULL, stored text NOT NULL)`);
  await c.query(`CREATE TABLE ${ngramsTable(id)} (key bigint NOT NULL, ${pieces ? "piece integer NOT NULL, " : ""}docs bytea NOT NULL, freqs bytea NOT NULL)`);
  await c.query(`CREATE TABLE ${docsTable(id)} (${DOCS_COLUMNS})`);
}

/** Keys and documents are written in order: the primary keys are built once, after the rows. */
async function keyPartTables(c: PoolClient, id: number, pieces: boolean): Promise<void> {
  await c.query(`ALTER TABLE ${articlesTable(id)} ADD PRIMARY KEY (doc)`);
  await c.query(`ALTER TABLE ${ngramsTable(id)} ADD PRIMARY KEY (${pieces ? "key, piece" : "key"})`);
  await c.query(`ALTER TABLE ${docsTable(id)} ADD PRIMARY KEY (doc)`);
  await c.query(`CREATE INDEX ON ${docsTable(id)} (id)`);
  await c.query(`ANALYZE ${articlesTable(id)}; ANALYZE ${ngramsTable(id)}; ANALYZE ${docsTable(id)}`);
}

/** What a part's rows are made of: the generation, each article's JSON as text, and key terms. */
interface RowSource {
  gen: Generation;
  articleJson: string[];
  keywords: string[][];
}

/**
 * One part's tables (articles_<id>, docs_<id>, ngrams_<id>): its documents'
 * rows and its piece of each n-gram row (`piece`: which of the row's
 * postings; null: all). Returns the n-gram keys and postings written.
 */
async function writePartRows(
  client: PoolClient,
  id: number,
  part: Part,
  { gen, articleJson, keywords }: RowSource,
  gramRows: Array<[number, Uint32Array, Uint8Array]>,
  piece: ((row: number) => [number, number]) | null,
): Promise<{ keys: number; postings: number }> {
  await createPartTables(client, id, false);
  await copyIn(client, `COPY ${articlesTable(id)} (doc, id, content_hash, stored)`, ["int4", "bytes", "bytes", "bytes"], async (w) => {
    for (let doc = part.first; doc < part.end; doc++) await w.row([doc, gen.ids[doc], gen.hashes[doc], articleJson[doc]]);
  });
  await copyIn(client, `COPY ${docsTable(id)} (${DOCS_COPY})`, DOCS_TYPES, async (w) => {
    for (let doc = part.first; doc < part.end; doc++) {
      const a = gen.articles?.[doc] ?? (JSON.parse(articleJson[doc]) as StoredArticle);
      await w.row(docsRow(doc, a, gen.norm?.[doc] ?? searchableText(a), keywords[doc]));
    }
  });
  let keys = 0;
  let postings = 0;
  await copyIn(client, `COPY ${ngramsTable(id)} (key, docs, freqs)`, ["int8", "bytes", "bytes"], async (w) => {
    for (let r = 0; r < gramRows.length; r++) {
      const [key, docs, freqs] = gramRows[r];
      const [from, to] = piece ? piece(r) : [0, docs.length];
      if (from === to) continue;
      keys++;
      postings += to - from;
      await w.row([key, u32Bytes(docs.subarray(from, to)), freqs.subarray(from, to)]);
    }
  });
  await keyPartTables(client, id, false);
  return { keys, postings };
}

export interface RangedSaveOptions {
  /** The ingest cache (the files the articles came from). */
  inputs?: FileOutcome[];
  /** Document originals to keep (sha256 → file), as save() keeps them. */
  originals?: ReadonlyMap<string, string>;
  /** What the manifest carries besides the build (the overlay's withdrawn articles, local synonyms). */
  extra?: Pick<IndexManifest, "withdrawn" | "synonyms">;
  shards?: PgShards;
  /** How many articles the ranges hold in all: needed up front to split them across `shards`. */
  articles?: number;
}

/**
 * Writes a build made in ranges (build/ranged.ts) as each range comes, and
 * publishes it: memory holds one range, not the library. Each range's rows
 * are appended to the generation's tables (on the server holding each
 * document, with `shards`), its n-gram rows as pieces (key, piece: the
 * range's place) that readers join in order, and its word segment as any
 * segment is written. The keys are made once, after the rows.
 */
export async function saveRangedGenerationPg(db: Pool, gen: RangedGeneration, options: RangedSaveOptions = {}): Promise<PgSaveResult> {
  const saved = await writeRangedGenerationPg(db, gen, options);
  await publishGenerationPg(db, saved, options.shards);
  return saved;
}

async function writeRangedGenerationPg(db: Pool, gen: RangedGeneration, { inputs = [], originals = new Map(), extra = {}, shards, articles }: RangedSaveOptions): Promise<PgSaveResult> {
  if (shards && articles === undefined) throw new Error("search: a build in ranges across servers needs the number of articles up front");
  await ensureSchema(db);
  await keepOriginalsPg(db, originals);
  const name = newGenerationName();
  const client = await db.connect();
  const own: PoolClient[] = [];
  try {
    const bounds = shards ? shardBounds(articles!, shards.pools.length) : null;
    if (shards) await onEveryPart(partsOf(shards.pools, shards.urls, shardBounds(0, shards.pools.length)), (part) => ensureSchema(part.db));
    // The row comes first (its id names the tables); the manifest and counts are set once every range is in.
    const { rows } = await client.query<{ id: number }>(
      `INSERT INTO ${SCHEMA}.generations (name, manifest, ngram_keys, ngram_postings, shard_bounds, ngram_pieces) VALUES ($1, '{}', 0, 0, $2, true) RETURNING id`,
      [name, bounds],
    );
    const id = rows[0].id;
    const parts: Part[] = shards && bounds ? partsOf(shards.pools, shards.urls, bounds) : [{ db, first: 0, end: Number.MAX_SAFE_INTEGER, label: "" }];
    const clients = await onEveryPart(parts, async (part, shard) => {
      const c = shards ? await part.db.connect() : client;
      if (c !== client) own.push(c);
      if (shards) await registerPart(c, name, id, shard, parts);
      await createPartTables(c, id, true);
      return c;
    });
    // Distinct keys, in all and per part (sorted), and postings per part.
    let allKeys: Uint32Array = new Uint32Array(0);
    const partKeys: Uint32Array[] = parts.map(() => new Uint32Array(0));
    const partPostings = parts.map(() => 0);
    const segments: Array<{ name: string; docs: number }> = [];
    let total = 0;
    for await (const range of gen.ranges) {
      if (range.first !== total) throw new Error(`search: range ${range.index} starts at document ${range.first}, expected ${total}`);
      const end = range.first + range.ids.length;
      if (bounds && end > bounds[bounds.length - 1]) throw new Error(`search: the ranges hold more than the ${articles} articles given up front`);
      await onEveryPart(parts, async (part, i) => {
        const from = Math.max(part.first, range.first);
        const to = Math.min(part.end, end);
        if (from >= to) return;
        const written = await writeRangeRows(clients[i], id, range, from - range.first, to - range.first);
        partKeys[i] = union(partKeys[i], written.keys);
        partPostings[i] += written.postings;
      });
      allKeys = union(allKeys, range.ngrams.keys);
      await writeSegment(client, range.segment, shards);
      segments.push({ name: range.segment.name, docs: range.ids.length });
      total = end;
    }
    if (bounds && total !== bounds[bounds.length - 1]) throw new Error(`search: the ranges hold ${total} articles, ${articles} were given up front`);
    const summary = gen.summary();
    const build = { ...summary.manifest.build, segmented: total, merged: 0 };
    const manifest: IndexManifest = { ...summary.manifest, ...extra, ngrams: allKeys.length, segments, build, originals: summary.originals };
    const postings = partPostings.reduce((a, b) => a + b, 0);
    const tableBytes = await onEveryPart(parts, async (part, i) => {
      const c = clients[i];
      await keyPartTables(c, id, true);
      if (shards) await c.query(`UPDATE ${SCHEMA}.shard_parts SET ngram_keys = $2, ngram_postings = $3 WHERE name = $1`, [name, partKeys[i].length, partPostings[i]]);
      return tableBytesOf(c, id);
    });
    await writeBlobs(client, id, summary.serials, summary.aids, inputs);
    await client.query(`UPDATE ${SCHEMA}.generations SET manifest = $2, ngram_keys = $3, ngram_postings = $4 WHERE id = $1`, [id, JSON.stringify(manifest), allKeys.length, postings]);
    const blobBytes = await client.query<{ bytes: string }>(`SELECT coalesce(sum(length(bytes)), 0) AS bytes FROM ${SCHEMA}.blobs WHERE generation = $1`, [id]);
    return { name, id, manifest, bytes: tableBytes.reduce((a, b) => a + b, 0) + Number(blobBytes.rows[0].bytes) };
  } finally {
    for (const c of own) c.release();
    client.release();
  }
}

/**
 * Documents [from, to) of a range (offsets in it) into one server's tables:
 * articles and docs rows, and each n-gram's piece of those documents.
 * Returns the keys written (ascending) and their postings.
 */
async function writeRangeRows(client: PoolClient, id: number, range: GenerationRange, from: number, to: number): Promise<{ keys: Uint32Array; postings: number }> {
  const first = range.first;
  await copyIn(client, `COPY ${articlesTable(id)} (doc, id, content_hash, stored)`, ["int4", "bytes", "bytes", "bytes"], async (w) => {
    for (let k = from; k < to; k++) await w.row([first + k, range.ids[k], range.hashes[k], range.articleJson[k]]);
  });
  await copyIn(client, `COPY ${docsTable(id)} (${DOCS_COPY})`, DOCS_TYPES, async (w) => {
    for (let k = from; k < to; k++) await w.row(docsRow(first + k, range.articles[k], range.norm[k], range.keywords[k]));
  });
  const keys: number[] = [];
  let postings = 0;
  await copyIn(client, `COPY ${ngramsTable(id)} (key, piece, docs, freqs)`, ["int8", "int4", "bytes", "bytes"], async (w) => {
    const whole = from === 0 && to === range.ids.length;
    const rows: Array<[number, Uint32Array, Uint8Array]> = [];
    range.ngrams.forEachGram((key, docs, freqs) => rows.push([key, docs, freqs]));
    for (const [key, docs, freqs] of rows) {
      const lo = whole ? 0 : lowerBound(docs, from);
      const hi = whole ? docs.length : lowerBound(docs, to);
      if (lo === hi) continue;
      const absolute = new Uint32Array(hi - lo);
      for (let j = lo; j < hi; j++) absolute[j - lo] = docs[j] + first;
      keys.push(key);
      postings += hi - lo;
      await w.row([key, range.index, u32Bytes(absolute), freqs.subarray(lo, hi)]);
    }
  });
  return { keys: Uint32Array.from(keys), postings };
}

/** The first index of an ascending list whose value is at least `value`. */
function lowerBound(list: Uint32Array, value: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

async function tableBytesOf(c: PoolClient, id: number): Promise<number> {
  const sizes = await c.query<{ bytes: string }>(`SELECT pg_total_relation_size($1::regclass) + pg_total_relation_size($2::regclass) + pg_total_relation_size($3::regclass) AS bytes`, [
    articlesTable(id),
    ngramsTable(id),
    docsTable(id),
  ]);
  return Number(sizes.rows[0].bytes);
}

/**
 * Makes a written generation live in one transaction (every reader sees the
 * old generation or the new one) and notifies every server; older
 * generations are dropped after the switch (the previous one is kept: a
 * server may still be loading it).
 */
async function publishGenerationPg(db: Pool, saved: PgSaveResult, shards?: PgShards): Promise<void> {
  const client = await db.connect();
  try {
    await client.query("BEGIN");
    const previous = await client.query<{ generation: number }>(`SELECT generation FROM ${SCHEMA}.live FOR UPDATE`);
    await client.query(`UPDATE ${SCHEMA}.generations SET state = 'published', published_at = now() WHERE id = $1`, [saved.id]);
    await client.query(`INSERT INTO ${SCHEMA}.live (one, generation) VALUES (true, $1) ON CONFLICT (one) DO UPDATE SET generation = EXCLUDED.generation`, [saved.id]);
    // The previous generation's live changes are in the new one.
    await client.query(`DELETE FROM ${SCHEMA}.live_changes WHERE generation <> $1`, [saved.id]);
    await client.query(`SELECT pg_notify($1, $2)`, [NOTIFY_CHANNEL, saved.name]);
    await client.query("COMMIT");
    const kept = await collectGarbage(client, [saved.id, ...previous.rows.map((r) => r.generation)]);
    // Published: a server that cannot be cleaned now is cleaned by the next publish.
    if (shards) await collectShardGarbage(shards, kept).catch((e) => console.error(`index: old generations' rows stay on a shard until the next run (${(e as Error).message})`));
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

/** An incremental build's n-gram layer: the previous layer (a file the base wrote) merged with the changes, as disk-store.ts does. */
async function mergedNgrams(layer: Exclude<NgramLayer, NgramIndex>): Promise<NgramIndex> {
  const out = `${layer.from}.merged`;
  try {
    mergeNgramFile(layer.from, out, layer.merge);
    return NgramIndex.deserialize(await fs.readFile(out), out);
  } finally {
    await fs.rm(out, { force: true });
  }
}

/** Stores the originals the database does not hold yet (each checked against its hash first). */
async function keepOriginalsPg(db: Pool, originals: ReadonlyMap<string, string>): Promise<void> {
  const keys = [...originals.keys()].filter(isOriginalKey);
  if (keys.length === 0) return;
  const { rows } = await db.query<{ sha256: string }>(`SELECT sha256 FROM ${SCHEMA}.originals WHERE sha256 = ANY($1)`, [keys]);
  const held = new Set(rows.map((r) => r.sha256));
  for (const sha256 of keys) {
    if (held.has(sha256)) continue;
    const bytes = await originalBytes(sha256, originals.get(sha256)!);
    if (bytes) await db.query(`INSERT INTO ${SCHEMA}.originals (sha256, bytes) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING`, [sha256, bytes]);
  }
}

async function readOriginalPg(db: Pool, sha256: string): Promise<Buffer | null> {
  if (!isOriginalKey(sha256)) return null;
  const { rows } = await db.query<{ bytes: Buffer }>(`SELECT bytes FROM ${SCHEMA}.originals WHERE sha256 = $1`, [sha256]);
  return rows[0]?.bytes ?? null;
}

/**
 * Drops every generation but `keep` (the live one and the one before it),
 * unfinished ones left by killed runs (the caller holds the index lock, so
 * no run is writing one), and segments no kept generation lists.
 */
async function collectGarbage(client: PoolClient, keep: number[]): Promise<{ names: string[]; segments: string[] }> {
  const { rows } = await client.query<{ id: number; name: string; manifest: IndexManifest }>(`SELECT id, name, manifest FROM ${SCHEMA}.generations`);
  const liveSegments = new Set<string>();
  for (const r of rows) if (keep.includes(r.id)) for (const s of r.manifest.segments ?? []) liveSegments.add(s.name);
  for (const r of rows) {
    if (keep.includes(r.id)) continue;
    await client.query("BEGIN");
    await client.query(`DROP TABLE IF EXISTS ${articlesTable(r.id)}, ${ngramsTable(r.id)}, ${docsTable(r.id)}`);
    await client.query(`DELETE FROM ${SCHEMA}.generations WHERE id = $1`, [r.id]);
    await client.query("COMMIT");
  }
  const segs = await client.query<{ name: string }>(`SELECT name FROM ${SCHEMA}.segments`);
  for (const s of segs.rows) if (!liveSegments.has(s.name)) await client.query(`DELETE FROM ${SCHEMA}.segments WHERE name = $1`, [s.name]);
  const liveOriginals = new Set<string>();
  for (const r of rows) if (keep.includes(r.id)) for (const o of r.manifest.originals ?? []) liveOriginals.add(o);
  await client.query(`DELETE FROM ${SCHEMA}.originals WHERE NOT (sha256 = ANY($1))`, [[...liveOriginals]]);
  return { names: rows.filter((r) => keep.includes(r.id)).map((r) => r.name), segments: [...liveSegments] };
}

/** On each shard server: drops the parts of generations other than `kept` (by name), killed runs' included, and the word lists of segments no kept generation lists. */
async function collectShardGarbage(shards: PgShards, kept: { names: string[]; segments: string[] }): Promise<void> {
  for (const [i, db] of shards.pools.entries()) {
    const client = await db.connect();
    try {
      const { rows } = await client.query<{ name: string; generation: number }>(`SELECT name, generation FROM ${SCHEMA}.shard_parts`);
      await client.query(`DELETE FROM ${SCHEMA}.shard_terms WHERE NOT (segment = ANY($1))`, [kept.segments]);
      await client.query(`DELETE FROM ${SCHEMA}.shard_words WHERE NOT (segment = ANY($1))`, [kept.segments]);
      for (const r of rows) {
        if (kept.names.includes(r.name)) continue;
        await client.query("BEGIN");
        await client.query(`DROP TABLE IF EXISTS ${articlesTable(r.generation)}, ${ngramsTable(r.generation)}, ${docsTable(r.generation)}`);
        await client.query(`DELETE FROM ${SCHEMA}.shard_parts WHERE name = $1`, [r.name]);
        await client.query("COMMIT");
      }
    } catch (e) {
      await client.query("ROLLBACK").catch(() => {});
      throw new Error(`${serverName(shards.urls[i])}: ${(e as Error).message}`, { cause: e });
    } finally {
      client.release();
    }
  }
}

/** Bytes of everything the store keeps in the database (tables, their TOAST and indexes): the index's size there. */
export async function schemaBytes(db: Pool): Promise<number> {
  const { rows } = await db.query<{ bytes: string }>(
    `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'`,
    [SCHEMA],
  );
  return Number(rows[0].bytes);
}

/** The live generation's name, or null when there is none (or the schema does not exist yet). */
/** Notices of live changes carry this before liveName(base, seq). */
const LIVE_NOTICE = "live:";

/** Writes the live generation's live changes in one transaction (refused when another generation is live) and notifies servers. */
async function saveLiveChangesPg(db: Pool, changes: LiveChanges, originals: ReadonlyMap<string, string> = new Map()): Promise<void> {
  await keepOriginalsPg(db, originals);
  const client = await db.connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query<{ id: number; name: string }>(`SELECT g.id, g.name FROM ${SCHEMA}.live l JOIN ${SCHEMA}.generations g ON g.id = l.generation FOR UPDATE OF l`);
    if (rows[0]?.name !== changes.base) throw new Error(`index: live changes for ${changes.base}, but ${rows[0]?.name ?? "nothing"} is live in the database`);
    await client.query(
      `INSERT INTO ${SCHEMA}.live_changes (generation, seq, body) VALUES ($1, $2, $3) ON CONFLICT (generation) DO UPDATE SET seq = EXCLUDED.seq, body = EXCLUDED.body, written_at = now()`,
      [rows[0].id, changes.seq, encodeLiveChanges(changes)],
    );
    await client.query(`SELECT pg_notify($1, $2)`, [NOTIFY_CHANNEL, `${LIVE_NOTICE}${liveName(changes.base, changes.seq)}`]);
    await client.query("COMMIT");
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

/** Generation `name`'s live changes, or null when it has none. */
async function readLiveChangesPg(db: Pool, name: string): Promise<LiveChanges | null> {
  let rows: Array<{ body: string }>;
  try {
    ({ rows } = await db.query<{ body: string }>(`SELECT lc.body FROM ${SCHEMA}.live_changes lc JOIN ${SCHEMA}.generations g ON g.id = lc.generation WHERE g.name = $1`, [name]));
  } catch (e) {
    if ((e as { code?: string }).code === "42P01") return null; // undefined_table: a schema from before live changes
    throw e;
  }
  return rows[0] ? decodeLiveChanges(rows[0].body, `${SCHEMA}.live_changes of ${name}`) : null;
}

/** The seq of generation `name`'s live changes on this side (0: none): a standby shows a notified set once this reaches it. */
async function liveSeqPg(db: Pool, name: string): Promise<number> {
  const { rows } = await db.query<{ seq: number }>(`SELECT lc.seq FROM ${SCHEMA}.live_changes lc JOIN ${SCHEMA}.generations g ON g.id = lc.generation WHERE g.name = $1`, [name]);
  return rows[0]?.seq ?? 0;
}

export async function readLive(db: Pool): Promise<string | null> {
  try {
    const { rows } = await db.query<{ name: string }>(`SELECT g.name FROM ${SCHEMA}.live l JOIN ${SCHEMA}.generations g ON g.id = l.generation`);
    return rows[0]?.name ?? null;
  } catch (e) {
    if ((e as { code?: string }).code === "42P01") return null; // undefined_table: nothing indexed yet
    throw e;
  }
}

/** Published generations, newest first. */
export async function listGenerationsPg(db: Pool): Promise<string[]> {
  try {
    const { rows } = await db.query<{ name: string }>(`SELECT name FROM ${SCHEMA}.generations WHERE state = 'published' ORDER BY id DESC`);
    return rows.map((r) => r.name);
  } catch (e) {
    if ((e as { code?: string }).code === "42P01") return [];
    throw e;
  }
}

async function loadSegmentPg(client: PoolClient, name: string, docs: number): Promise<WordIndex> {
  const files: Array<[string, Buffer]> = [];
  await copyOut(client, `SELECT key, data FROM ${SCHEMA}.segment_entries WHERE segment = ${literal(name)} ORDER BY key`, (f) => files.push([f[0]!.toString("utf8"), f[1]!]), `segment ${name}`);
  if (files.length === 0) throw new GenerationError(`search: word segment ${name} is not in the database`);
  return WordIndex.fromFiles(files, docs, `word segment ${name} in the database`);
}

function literal(s: string): string {
  return `'${s.replace(/'/gu, "''")}'`;
}

/** A generation's n-gram layer from its rows, read from each part's server (one COPY each, in key order) and joined. */
async function readNgramsPg(parts: Part[], gen: GenerationRow, where: string): Promise<NgramIndex> {
  const nKeys = gen.ngram_keys;
  const nPostings = Number(gen.ngram_postings);
  const pieces = await onEveryPart(parts, async (part) => {
    const client = await part.db.connect();
    try {
      return await readPieceRows(client, gen.id, part.ngramKeys ?? nKeys, part.ngramPostings ?? nPostings, gen.ngram_pieces === true, where);
    } finally {
      client.release();
    }
  });
  const rows = pieces.length === 1 ? pieces[0] : mergePieces(pieces, nKeys, nPostings, where);
  return NgramIndex.fromParts(rows.keys, rows.counts, rows.postings, rows.freqs, where);
}

/** One server's n-gram rows of a generation (room for `nKeys` and `nPostings`), in key order; `pieces`: a key's pieces joined in order. */
async function readPieceRows(client: PoolClient, id: number, nKeys: number, nPostings: number, pieces: boolean, where: string): Promise<PieceRows> {
  const keys = new Uint32Array(nKeys);
  const counts = new Uint32Array(nKeys);
  const postings = new Uint32Array(nPostings);
  const freqs = new Uint8Array(nPostings);
  const postingBytes = new Uint8Array(postings.buffer);
  let k = 0;
  let at = 0;
  await copyOut(client, `SELECT key, docs, freqs FROM ${ngramsTable(id)} ORDER BY ${pieces ? "key, piece" : "key"}`, (f) => {
    const docs = f[1]!;
    const count = docs.length / 4;
    const key = Number(f[0]!.readBigInt64BE(0));
    // A piece of the key before it: its postings follow the last piece's (pieces are ranges in order).
    const joined = pieces && k > 0 && keys[k - 1] === key;
    if ((!joined && k >= nKeys) || at + count > nPostings || f[2]!.length !== count) throw new GenerationError(`search: ${where}: n-gram rows do not match their counts`);
    if (joined) counts[k - 1] += count;
    else {
      keys[k] = key;
      counts[k++] = count;
    }
    postingBytes.set(docs, at * 4);
    freqs.set(f[2]!, at);
    at += count;
  }, where);
  return { keys: keys.subarray(0, k), counts: counts.subarray(0, k), postings: postings.subarray(0, at), freqs: freqs.subarray(0, at) };
}

interface GenerationRow {
  id: number;
  name: string;
  manifest: IndexManifest;
  ngram_keys: number;
  ngram_postings: string;
  state: string;
  /** Partitioned across servers: each one's first document, and the end (absent in a schema from before shards). */
  shard_bounds?: number[] | null;
  /** Written in ranges: each n-gram key's row is in pieces, one per range holding it (absent in a schema from before). */
  ngram_pieces?: boolean;
}

/** A published generation's row, checked against this code's rules. */
async function publishedGeneration(db: Pool | PoolClient, name: string, where: string): Promise<GenerationRow> {
  const { rows } = await db.query<GenerationRow>(`SELECT * FROM ${SCHEMA}.generations WHERE name = $1`, [name]);
  const row = rows[0];
  if (!row) throw new GenerationError(`search: ${where}: not found`);
  if (row.state !== "published") throw new GenerationError(`search: ${where}: not published (${row.state})`);
  checkManifest(row.manifest, where);
  return row;
}

/**
 * Where a generation's per-article rows are: the coordinator, or the shard
 * servers it was written to, each checked to hold the part it should
 * (servers listed in another order, or another library's, are refused).
 */
async function generationParts(db: Pool, row: GenerationRow, shards: PgShards | undefined, where: string): Promise<Part[]> {
  const bounds = row.shard_bounds;
  if (!bounds) return [{ db, first: 0, end: row.manifest.articles, label: "" }];
  const n = bounds.length - 1;
  if (!shards || shards.pools.length !== n) {
    throw new GenerationError(`search: ${where} is partitioned across ${n} servers: DATABASE_SHARD_URLS must list them, in the order it was written with (it lists ${shards?.pools.length ?? 0})`);
  }
  const parts = partsOf(shards.pools, shards.urls, bounds);
  await onEveryPart(parts, async (part, i) => {
    type Held = { shard: number; servers: number; first_doc: number; end_doc: number; ngram_keys: number; ngram_postings: string };
    let held: Held | undefined;
    try {
      ({ rows: [held] } = await part.db.query<Held>(`SELECT shard, servers, first_doc, end_doc, ngram_keys, ngram_postings FROM ${SCHEMA}.shard_parts WHERE name = $1`, [row.name]));
    } catch (e) {
      if ((e as { code?: string }).code !== "42P01") throw e; // undefined_table: a server that holds no part of anything
    }
    if (!held || held.shard !== i || held.servers !== n || held.first_doc !== part.first || held.end_doc !== part.end) {
      const has = held ? `part ${held.shard + 1} of ${held.servers}` : "no part";
      throw new GenerationError(`search: ${where}: ${part.label} holds ${has} of it, not part ${i + 1} of ${n} (DATABASE_SHARD_URLS must list the servers it was written to, in the same order)`);
    }
    part.ngramKeys = held.ngram_keys;
    part.ngramPostings = Number(held.ngram_postings);
  });
  return parts;
}

async function readBlobs(db: Pool | PoolClient, id: number, names: string[], where: string): Promise<Record<string, Buffer>> {
  const rows = await readBlobRows(db, id, names, where);
  const out: Record<string, Buffer> = {};
  for (const n of names) {
    const b = rows.get(n);
    if (!b) throw new GenerationError(`search: ${where}: ${n} is missing`);
    out[n] = b;
  }
  return out;
}

/** Those of the generation's blobs named that it has. */
async function readBlobRows(db: Pool | PoolClient, id: number, names: string[], where: string): Promise<Map<string, Buffer>> {
  // By binary COPY: a query's bytea comes as hex text, twice the bytes, parsed back (0.3 s of a lean start at 1M).
  const rows = new Map<string, Buffer>();
  const own = db instanceof Pool ? await db.connect() : null;
  const list = names.map((n) => `'${n.replace(/'/gu, "''")}'`).join(",");
  try {
    await copyOut(own ?? (db as PoolClient), `SELECT name, bytes FROM ${SCHEMA}.blobs WHERE generation = ${Math.trunc(id)} AND name IN (${list})`, (f) => {
      rows.set(f[0]!.toString("utf8"), Buffer.from(f[1]!));
    }, where);
    own?.release();
  } catch (e) {
    own?.release(e as Error); // not back into the pool: a COPY cut short leaves the connection unusable
    throw e;
  }
  return rows;
}

/** The generation's saved query segmenter (as disk-store.ts saves it), or null for one written before generations carried it. */
async function readSavedSegmenter(db: Pool, id: number, where: string): Promise<SavedSegmenter | null> {
  const tables = (await readBlobRows(db, id, ["query-segmenter"], where)).get("query-segmenter");
  return tables ? { tables, where: `${where}: query-segmenter` } : null;
}

export interface PgLoadOptions {
  name?: string;
  segments?: SegmentCache;
  whileReading?: (segmenter: SavedSegmenter | null) => void;
  /**
   * A lean index (what app servers load): per-article arrays only, the rest
   * read per query (engine/lean-reader.ts). A generation written before docs_<id> and
   * segment_terms existed is loaded whole, with a line in the log.
   */
  lean?: boolean;
  /** A lean index's cache sizes (tests make them tiny). */
  leanCache?: LeanCacheSizes;
  /** The servers of DATABASE_SHARD_URLS (needed for a partitioned generation). */
  shards?: PgShards;
}

/** Loads a published generation (the live one by default) from the database into a searchable index. */
export async function loadGenerationPg(db: Pool, options: PgLoadOptions = {}): Promise<LoadedGeneration> {
  const name = options.name ?? (await readLive(db));
  if (!name) throw new GenerationError("search: no index in the database (run npm run index with SEARCH_BACKEND=postgres first)");
  const where = `generation ${name} in the database`;
  const row = await publishedGeneration(db, name, where);
  const manifest = row.manifest;
  const id = row.id;
  options.whileReading?.(querySegmenterLoaded() ? null : await readSavedSegmenter(db, id, where));
  const parts = await generationParts(db, row, options.shards, where);
  if (options.lean) {
    const why = await leanUnavailable(db, id, manifest, parts.length > 1);
    if (!why) return { name, index: await loadLean(db, parts, id, manifest, row.ngram_pieces === true, where, options.leanCache) };
    console.log(`search: ${where} is loaded whole: ${why} (a full npm run index writes what a lean server reads)`);
  }
  const cache = options.segments ?? new Map();
  const segmentLoads = manifest.segments.map((s) =>
    cachedSegment(cache, s.name, async () => {
      const client = await db.connect();
      try {
        return await loadSegmentPg(client, s.name, s.docs);
      } finally {
        client.release();
      }
    }),
  );
  const readArticles = async () => {
    const articles: StoredArticle[] = new Array(manifest.articles);
    let n = 0;
    await inDocOrder(parts, `SELECT doc, stored FROM ${articlesTable(id)} ORDER BY doc`, (r) => {
      if (rawInt4(r, 0) !== n) throw new GenerationError(`search: ${where}: article ${n} is missing`);
      articles[n++] = JSON.parse(rawText(r, 1)) as StoredArticle;
    }, where);
    if (n !== manifest.articles) throw new GenerationError(`search: ${where}: ${n} articles, the manifest says ${manifest.articles}`);
    return articles;
  };
  const [articles, ngrams, blobs] = await Promise.all([readArticles(), readNgramsPg(parts, row, where), readBlobs(db, id, ["serials", "reader", "signatures"], where)]);
  const serials = parseUint32s(blobs.serials, `${where}: serials`, manifest.articles);
  const words = new WordLayer(await Promise.all(segmentLoads), docOfSerial(manifest, serials));
  const aids = parseAids(blobs.reader, blobs.signatures, where, manifest.articles);
  return { name, index: new SearchIndex({ articles, ngrams, words, manifest, aids }) };
}

/**
 * Where a generation's segments' word lists are: `here` in the coordinator's
 * segment_terms, `spread` across the parts' servers (shard_terms). A
 * partitioned generation's segments are either; a segment split across
 * another number of servers is refused.
 */
async function termPlaces(db: Pool, names: string[], parts: Part[], where: string): Promise<{ here: string[]; spread: string[] }> {
  const { rows } = await db.query<{ name: string; shard_servers: number }>(`SELECT name, shard_servers FROM ${SCHEMA}.segments WHERE name = ANY($1)`, [names]);
  const partitioned = parts[0].label !== "";
  const out = { here: [] as string[], spread: [] as string[] };
  for (const r of rows) {
    if (r.shard_servers === 0) out.here.push(r.name);
    else if (partitioned && r.shard_servers === parts.length) out.spread.push(r.name);
    else throw new GenerationError(`search: ${where}: word segment ${r.name}'s word lists are split across ${r.shard_servers} servers, its rows across ${partitioned ? parts.length : "none"} (npm run index -- --full writes both again)`);
  }
  return out;
}

/** One query's rows from each part's server in turn (parts are ranges in order: rows ordered by doc stay in doc order). */
async function inDocOrder(parts: Part[], sql: string, onRow: (row: RawRow) => void, where: string): Promise<void> {
  for (const part of parts) {
    await onEveryPart([part], async () => {
      const client = await part.db.connect();
      try {
        await readCopyRaw(client.query(copyTo(`COPY (${sql}) TO STDOUT (FORMAT binary)`)), onRow, where);
      } finally {
        client.release();
      }
    });
  }
}

/** Why a generation cannot be served lean (written before docs_<id> and segment_terms), or null. A partitioned one always has its docs tables. */
async function leanUnavailable(db: Pool, id: number, manifest: IndexManifest, partitioned: boolean): Promise<string | null> {
  if (partitioned) return null;
  const { rows } = await db.query<{ docs: string | null }>(`SELECT to_regclass($1) AS docs`, [docsTable(id)]);
  if (!rows[0].docs) return "it has no docs table";
  if (!(await hasColumn(db, id, "doc_number"))) return "its docs table has no doc_number (written before 文号: searches)";
  const blob = await db.query(`SELECT 1 FROM ${SCHEMA}.blobs WHERE generation = $1 AND name = 'lean-vocabulary'`, [id]);
  if (blob.rowCount === 0) return "it has no lean-vocabulary";
  const fn = await db.query<{ ok: boolean }>(`SELECT to_regprocedure('${UNIT_COUNT}(bytea, bytea, integer, integer)') IS NOT NULL AS ok`);
  if (!fn.rows[0].ok) return `the database has no ${UNIT_COUNT}`;
  const names = manifest.segments.map((s) => s.name);
  const segs = await db.query<{ name: string }>(`SELECT name FROM ${SCHEMA}.segments WHERE name = ANY($1) AND terms`, [names]);
  const missing = names.filter((n) => !segs.rows.some((r) => r.name === n));
  return missing.length ? `word segment ${missing[0]} has no word lists (segment_terms)` : null;
}

/**
 * A lean index of a published generation: what the engine holds per article
 * streamed from docs_<id> (title, date, authors, source, body length; each
 * distinct date, author and source one string), the rest read per query.
 */
async function loadLean(db: Pool, parts: Part[], id: number, manifest: IndexManifest, pieces: boolean, where: string, cache?: LeanCacheSizes): Promise<SearchIndex> {
  // Each article's date, authors, source, body length and 公文 fields as columns over shared strings (engine/article-fields.ts).
  const columns = MetaColumns.builder(manifest.articles);
  // Normalised titles where the generation stores them (written since title_norm), else titles as written.
  const normalised = await hasColumn(parts[0].db, id, "title_norm");
  // Titles packed as they stream in (UTF-8 bytes are about 1.5× the UTF-16 units of Chinese text: room for most).
  const titles = new TitlePacker(manifest.articles, manifest.articles * 24);
  const shared = new Map<string, string>();
  const one = (r: RawRow, k: number) => {
    if (r.at[k] < 0) return null;
    const s = rawText(r, k);
    return shared.get(s) ?? (shared.set(s, s), s);
  };
  // The blobs and the word lists' places are read while the rows stream in.
  const side = Promise.all([readBlobs(db, id, ["serials", "lean-related", "lean-groups", "lean-vocabulary"], where), termPlaces(db, manifest.segments.map((s) => s.name), parts, where)]);
  side.catch(() => undefined); // awaited below, after the rows (or not at all when they fail)
  let n = 0;
  await inDocOrder(parts, `SELECT doc, ${normalised ? "title_norm" : "title"}, date, authors, source, body_chars, doc_type, issuer, doc_number FROM ${docsTable(id)} ORDER BY doc`, (r) => {
      if (rawInt4(r, 0) !== n) throw new GenerationError(`search: ${where}: docs row ${n} is missing`);
      if (normalised) titles.addUtf16le(r.buf, r.at[1], r.at[1] + r.len[1]);
      else titles.add(rawText(r, 1));
      // Dates, author lines and sources are kept once each by the columns. Only official documents have the last three
      // (most rows leave them off); they are kept per article, each distinct value one string (shared here).
      columns.add({ date: r.at[2] >= 0 ? rawText(r, 2) : null, authorLine: r.len[3] ? rawText(r, 3) : "", source: r.at[4] >= 0 ? rawText(r, 4) : null, bodyChars: rawInt4(r, 5), docType: one(r, 6), issuer: one(r, 7), docNumber: r.at[8] >= 0 ? rawText(r, 8) : null });
      n++;
  }, where);
  if (n !== manifest.articles) throw new GenerationError(`search: ${where}: ${n} docs rows, the manifest says ${manifest.articles}`);
  const [blobs, terms] = await side;
  const serials = parseUint32s(blobs.serials, `${where}: serials`, manifest.articles);
  const aids: ReaderAids = {
    keywords: [],
    weights: [],
    related: new Int32Array(parseUint32s(blobs["lean-related"], `${where}: lean-related`, manifest.articles * RELATED).buffer),
    groupOf: new Int32Array(parseUint32s(blobs["lean-groups"], `${where}: lean-groups`, manifest.articles).buffer),
    signatures: new Uint32Array(0),
    vocabulary: loadVocabulary(blobs["lean-vocabulary"].toString("utf8"), `${where}: lean-vocabulary`),
  };
  const fetcher = new PgFetcher(db, parts, id, terms, docOfSerial(manifest, serials), pieces, where);
  const reader = new LeanReader(fetcher, 4, cache);
  return new SearchIndex({ articles: columns.done(), titles: titles.done(), titlesNormalised: normalised, ngrams: reader.ngrams, words: reader.words, manifest, aids, reader });
}

async function hasColumn(db: Pool, id: number, column: string): Promise<boolean> {
  const { rowCount } = await db.query(`SELECT 1 FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 AND column_name = $3`, [SCHEMA, `docs_${id}`, column]);
  return rowCount !== 0;
}

/**
 * Reads a generation's rows as a lean index needs them: one COPY per batch
 * and server, on pooled connections. A partitioned generation's batches go
 * to every server at once (n-gram rows, ids) or to the one holding each
 * document; word lists come from the coordinator.
 */
class PgFetcher implements DocFetcher {
  constructor(
    private readonly db: Pool,
    private readonly parts: Part[],
    private readonly id: number,
    private readonly terms: { here: string[]; spread: string[] },
    private readonly docOfSerial: Int32Array | null,
    /** Written in ranges: a key's row is pieces, joined in order. */
    private readonly pieces: boolean,
    private readonly where: string,
  ) {}

  private async copy(db: Pool, sql: string, onRow: (fields: Array<Buffer | null>) => void): Promise<void> {
    const client = await db.connect();
    try {
      await copyOut(client, sql, onRow, this.where);
      client.release();
    } catch (e) {
      client.release(e as Error); // not back into the pool: a COPY cut short leaves the connection unusable
      throw e;
    }
  }

  /** `read` on each part holding some of `docs` (with those), at once. */
  private async byDoc(docs: number[], read: (db: Pool, docs: number[]) => Promise<void>): Promise<void> {
    const groups = this.parts.length === 1 ? [docs] : byPart(this.parts, docs);
    await onEveryPart(this.parts, async (part, i) => {
      if (groups[i].length) await read(part.db, groups[i]);
    });
  }

  async grams(keys: number[]): Promise<Map<number, GramRow>> {
    const sql = `SELECT key, docs, freqs FROM ${ngramsTable(this.id)} WHERE key = ANY('{${keys.map((k) => Math.trunc(k)).join(",")}}'::bigint[])${this.pieces ? " ORDER BY key, piece" : ""}`;
    const pieces = await onEveryPart(this.parts, async (part) => {
      const out = new Map<number, GramRow>();
      const more = new Map<number, GramRow[]>();
      await this.copy(part.db, sql, (f) => {
        const key = Number(f[0]!.readBigInt64BE(0));
        const row = { docs: u32Of(f[1]!), freqs: new Uint8Array(f[2]!) };
        const before = out.get(key);
        if (!before) out.set(key, row);
        else (more.get(key) ?? more.set(key, [before]).get(key)!).push(row);
      });
      for (const [key, rows] of more) out.set(key, { docs: joinPieces(rows.map((r) => r.docs), (n) => new Uint32Array(n)), freqs: joinPieces(rows.map((r) => r.freqs), (n) => new Uint8Array(n)) });
      return out;
    });
    if (pieces.length === 1) return pieces[0];
    const out = new Map<number, GramRow>();
    for (const key of new Set(pieces.flatMap((p) => [...p.keys()]))) {
      const rows = pieces.flatMap((p) => p.get(key) ?? []);
      out.set(key, { docs: joinPieces(rows.map((r) => r.docs), (n) => new Uint32Array(n)), freqs: joinPieces(rows.map((r) => r.freqs), (n) => new Uint8Array(n)) });
    }
    return out;
  }

  /**
   * As WordLayer.documents: each segment's serials of the word, as this
   * generation's documents (gone ones left out), ascending; from the
   * coordinator and, for segments written partitioned, every server at once.
   */
  async words(words: string[]): Promise<Map<string, Uint32Array>> {
    const found = new Map<string, Uint32Array[]>();
    const map = this.docOfSerial;
    const asked = storable(words);
    type Row = { word: string; serials: Buffer };
    const { here, spread } = this.terms;
    const [own, pieces] = await Promise.all([
      here.length ? this.db.query<Row>(`SELECT word, serials FROM ${SCHEMA}.segment_terms WHERE segment = ANY($1) AND word = ANY($2)`, [here, asked]).then((r) => r.rows) : [],
      spread.length ? onEveryPart(this.parts, async (part) => (await part.db.query<Row>(`SELECT word, serials FROM ${SCHEMA}.shard_terms WHERE segment = ANY($1) AND word = ANY($2)`, [spread, asked])).rows) : [],
    ]);
    // Each row's documents into a typed array of its own (a common word at 1M: ~375k of them, one segment per
    // range), then the word's rows joined; sorted only when they are not ascending already.
    for (const { word, serials } of [...own, ...pieces.flat()]) {
      const list = found.get(word) ?? found.set(word, []).get(word)!;
      list.push(docsOfSerials(u32Of(serials), map));
    }
    return new Map([...found].map(([w, rows]) => [w, joinedAscending(rows)]));
  }

  async texts(docs: number[]): Promise<Map<number, Buffer>> {
    const out = new Map<number, Buffer>();
    await this.byDoc(docs, (db, some) =>
      this.copy(db, `SELECT doc, norm FROM ${docsTable(this.id)} WHERE doc = ANY('{${some.map((d) => Math.trunc(d)).join(",")}}'::int[])`, (f) => {
        // A buffer of its own: a slice would keep the whole COPY chunk (or a shared pool slab) alive in the cache.
        const bytes = Buffer.allocUnsafeSlow(f[1]!.length);
        f[1]!.copy(bytes);
        out.set(f[0]!.readInt32BE(0), bytes);
      }),
    );
    return out;
  }

  async titles(docs: number[]): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    await this.byDoc(docs, async (db, some) => {
      const { rows } = await db.query<{ doc: number; title: string }>(`SELECT doc, title FROM ${docsTable(this.id)} WHERE doc = ANY($1::int[])`, [some.map((d) => Math.trunc(d))]);
      for (const r of rows) out.set(r.doc, r.title);
    });
    return out;
  }

  /** Counted in the database (UNIT_COUNT): the texts stay there; each server counts in the texts it holds. */
  async counts(needs: CountNeed[]): Promise<Map<string, Map<number, number>>> {
    const out = new Map<string, Map<number, number>>(needs.map((n) => [n.key, new Map()]));
    await onEveryPart(this.parts, async (part) => {
      const which: number[] = [];
      const docs: number[] = [];
      const from: number[] = [];
      const caps: number[] = [];
      needs.forEach((n, k) => {
        for (let i = 0; i < n.docs.length; i++) {
          const doc = Math.trunc(n.docs[i]);
          if (this.parts.length > 1 && (doc < part.first || doc >= part.end)) continue;
          which.push(k + 1);
          docs.push(doc);
          from.push(Math.trunc(n.from[i]));
          caps.push(Math.trunc(n.cap));
        }
      });
      if (docs.length === 0) return;
      const { rows } = await part.db.query<{ k: number; doc: number; n: number }>(
        `SELECT x.k, x.doc, ${UNIT_COUNT}(t.norm, ($1::bytea[])[x.k], x.f, x.c) AS n
         FROM unnest($2::int[], $3::int[], $4::int[], $5::int[]) AS x(k, doc, f, c) JOIN ${docsTable(this.id)} t ON t.doc = x.doc`,
        [needs.map((n) => Buffer.from(n.term, "utf16le")), which, docs, from, caps],
      );
      for (const r of rows) out.get(needs[r.k - 1].key)!.set(r.doc, r.n);
    });
    return out;
  }

  async articles(docs: number[]): Promise<Map<number, StoredArticle>> {
    const out = new Map<number, StoredArticle>();
    await this.byDoc(docs, (db, some) =>
      this.copy(db, `SELECT doc, stored FROM ${articlesTable(this.id)} WHERE doc = ANY('{${some.map((d) => Math.trunc(d)).join(",")}}'::int[])`, (f) => {
        out.set(f[0]!.readInt32BE(0), JSON.parse(f[1]!.toString("utf8")) as StoredArticle);
      }),
    );
    return out;
  }

  async refs(docs: number[]): Promise<Map<number, ArticleRef>> {
    const out = new Map<number, ArticleRef>();
    const text = (f: Buffer | null) => (f === null ? null : f.toString("utf8"));
    await this.byDoc(docs, (db, some) =>
      this.copy(db, `SELECT doc, id, title, source, date FROM ${docsTable(this.id)} WHERE doc = ANY('{${some.map((d) => Math.trunc(d)).join(",")}}'::int[])`, (f) => {
        out.set(f[0]!.readInt32BE(0), { id: f[1]!.toString("utf8"), title: f[2]!.toString("utf8"), source: text(f[3]), date: text(f[4]) });
      }),
    );
    return out;
  }

  async docsOf(ids: string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    await onEveryPart(this.parts, async (part) => {
      const { rows } = await part.db.query<{ id: string; doc: number }>(`SELECT id, doc FROM ${docsTable(this.id)} WHERE id = ANY($1)`, [storable(ids)]);
      for (const r of rows) out.set(r.id, r.doc);
    });
    return out;
  }

  async keywords(docs: number[]): Promise<Map<number, string[]>> {
    const out = new Map<number, string[]>();
    await this.byDoc(docs, (db, some) =>
      this.copy(db, `SELECT doc, keywords FROM ${docsTable(this.id)} WHERE doc = ANY('{${some.map((d) => Math.trunc(d)).join(",")}}'::int[])`, (f) => {
        out.set(f[0]!.readInt32BE(0), splitWords(f[1]!.toString("utf8")));
      }),
    );
    return out;
  }
}

/**
 * The strings PostgreSQL's text can hold as they are: words and ids with NUL
 * or a lone surrogate are in no row (jieba's words are well-formed, and a
 * build with NUL in a word or id fails), so they are not asked for.
 */
function storable(list: string[]): string[] {
  return list.filter((s) => s.isWellFormed() && !s.includes("\0"));
}

/** Little-endian u32s from bytes at any offset (copied: a view needs 4-byte alignment). */
function u32Of(bytes: Buffer): Uint32Array {
  const out = new Uint32Array(bytes.length >>> 2);
  new Uint8Array(out.buffer).set(bytes.subarray(0, out.length * 4));
  return out;
}

/**
 * The live generation as the base of an incremental build, or the reason a
 * full build is needed. Kept articles' JSON comes along as text (the new
 * generation's rows are written from it, never parsed); the n-gram layer is
 * written to `scratch` as the file the build's merge reads.
 */
async function incrementalBasePg(db: Pool, scratch: string, shards?: PgShards): Promise<IncrementalBase | { reason: string }> {
  const name = await readLive(db);
  if (!name) return { reason: "no index yet" };
  const where = `generation ${name} in the database`;
  try {
    const row = await publishedGeneration(db, name, where);
    const manifest = row.manifest;
    const parts = await generationParts(db, row, shards, where);
    const ids: string[] = [];
    const hashes: string[] = [];
    const json: string[] = [];
    await inDocOrder(parts, `SELECT id, content_hash, stored FROM ${articlesTable(row.id)} ORDER BY doc`, (r) => {
      ids.push(rawText(r, 0));
      hashes.push(rawText(r, 1));
      json.push(rawText(r, 2));
    }, where);
    const ngrams = await readNgramsPg(parts, row, where);
    if (ids.length !== manifest.articles) return { reason: `${where} has ${ids.length} articles, its manifest says ${manifest.articles}` };
    const ngramFile = path.join(scratch, "ngrams.bin");
    await fs.writeFile(ngramFile, ngrams.serialize());
    const blobs = await readBlobs(db, row.id, ["serials", "sources", "reader", "signatures", "carry"], where);
    return {
      previous: {
        manifest,
        ids,
        hashes,
        json: (doc) => json[doc],
        meta: (doc) => catalogEntryOf(JSON.parse(json[doc]) as StoredArticle),
        article: (doc) => JSON.parse(json[doc]) as StoredArticle,
        files: { articles: "", ngrams: ngramFile },
        serials: parseUint32s(blobs.serials, `${where}: serials`, manifest.articles),
        segments: pgSegments(db, shards),
        aids: async () => loadCarry(parseAids(blobs.reader, blobs.signatures, where, manifest.articles), blobs.carry, `${where}: carry`),
      },
      inputs: JSON.parse(blobs.sources.toString("utf8")) as FileOutcome[],
    };
  } catch (e) {
    return { reason: (e as Error).message };
  }
}

/** The previous generation's segments, read from the database (for builds that reuse its segmentation; a partitioned segment's cache from every server). */
function pgSegments(db: Pool, shards?: PgShards): SegmentReader {
  return {
    async docs(name) {
      const { rows } = await db.query<{ serials: Buffer; hashes: string }>(`SELECT serials, hashes FROM ${SCHEMA}.segments WHERE name = $1`, [name]);
      if (!rows[0]) throw new Error(`search: word segment ${name} is not in the database`);
      const serials = new Uint32Array(rows[0].serials.length / 4);
      new Uint8Array(serials.buffer).set(rows[0].serials);
      return { serials, hashes: rows[0].hashes ? rows[0].hashes.split("\n") : [] };
    },
    async words(name) {
      const seg = await db.query<{ docs: number; shard_servers: number }>(`SELECT docs, shard_servers FROM ${SCHEMA}.segments WHERE name = $1`, [name]);
      const n = seg.rows[0]?.shard_servers ?? 0;
      if (n === 0) {
        const { rows } = await db.query<{ words: string }>(`SELECT words FROM ${SCHEMA}.segment_words WHERE segment = $1 ORDER BY k`, [name]);
        return rows.map((r) => r.words);
      }
      if (shards?.pools.length !== n) throw new Error(`search: word segment ${name}'s segmentation cache is split across ${n} servers; DATABASE_SHARD_URLS lists ${shards?.pools.length ?? 0}`);
      const out = new Array<string>(seg.rows[0].docs);
      let found = 0;
      await onShardServers(shards, async (c) => {
        const { rows } = await c.query<{ k: number; words: string }>(`SELECT k, words FROM ${SCHEMA}.shard_words WHERE segment = $1`, [name]);
        for (const r of rows) out[r.k] = r.words;
        found += rows.length;
      });
      if (found !== out.length) throw new Error(`search: word segment ${name}'s segmentation cache has ${found} of ${out.length} entries on its servers`);
      return out;
    },
  };
}

/**
 * The PostgreSQL store (SEARCH_BACKEND=postgres): index runs write and
 * publish through the primary (DATABASE_URL); servers read generations where
 * DATABASE_READ_URL points (a hot standby) or the primary, and hear of new
 * ones from the primary (LISTEN does not work on a standby). A notified
 * generation may not have reached the standby yet: follow() waits until the
 * read side shows it live. Pools and the scratch folder are made on first use.
 */
export function postgresStore(): IndexStore {
  const url = databaseUrl();
  const readUrl = databaseReadUrl();
  let writes: Pool | undefined;
  let reads: Pool | undefined;
  let scratch: Promise<string> | undefined;
  let listener: Client | undefined;
  let keepListening: NodeJS.Timeout | undefined;
  const writePool = () => (writes ??= pool(url, 4));
  const readPool = () => (reads ??= pool(readUrl, 4));
  // DATABASE_SHARD_URLS: the servers generations are partitioned across (written and read there, standby or not).
  const shardUrls = config().databaseShardUrls;
  let shardPools: Pool[] | undefined;
  const shards = (): PgShards | undefined => (shardUrls.length ? { pools: (shardPools ??= shardUrls.map((u) => pool(u, 4))), urls: shardUrls } : undefined);
  const current = () => readLive(readPool());
  return {
    where: `the database at ${serverName(url)}${shardUrls.length ? `, partitioned across ${shardUrls.map(serverName).join(", ")}` : ""}`,
    lock: async () => {
      await ensureSchema(writePool());
      return acquireIndexLock(writePool());
    },
    base: async () => incrementalBasePg(writePool(), await (scratch ??= fs.mkdtemp(path.join(os.tmpdir(), "index-run-"))), shards()),
    save: (gen, inputs, originals) => writeGenerationPg(writePool(), gen, inputs, originals, shards()),
    saveRanged: (gen, inputs, originals, extra, articles) => writeRangedGenerationPg(writePool(), gen, { inputs, originals, extra, shards: shards(), articles }),
    readOriginal: (sha256) => readOriginalPg(readPool(), sha256),
    publish: (saved) => publishGenerationPg(writePool(), saved as PgSaveResult, shards()),
    current,
    list: () => listGenerationsPg(readPool()),
    // Lean unless POSTGRES_LEAN=0: the app holds per-article arrays and reads the rest per query (engine/lean-reader.ts).
    load: (options = {}) => loadGenerationPg(readPool(), { ...options, lean: options.lean ?? config().postgresLean, shards: shards() }),
    saveLive: async (changes, originals) => {
      await ensureSchema(writePool());
      await saveLiveChangesPg(writePool(), changes, originals);
    },
    readLive: (name) => readLiveChangesPg(readPool(), name),
    // From the primary: the writer numbers the next changes after it (under the index lock).
    liveSeq: (name) => liveSeqPg(writePool(), name).catch((e) => ((e as { code?: string }).code === "42P01" ? 0 : Promise.reject(e))),
    follow(changed) {
      const connect = async () => {
        const client = new Client({ connectionString: url });
        client.on("error", () => {
          // Reconnected by the timer below; the caller's poll covers the gap.
          if (listener === client) listener = undefined;
          void client.end().catch(() => {});
        });
        client.on("notification", (msg) => {
          if (msg.channel !== NOTIFY_CHANNEL) return;
          const payload = msg.payload ?? "";
          if (payload.startsWith(LIVE_NOTICE)) void waitLiveVisible(payload.slice(LIVE_NOTICE.length)).then(() => changed("live changes"));
          else void waitVisible(payload).then(() => changed("database notice"));
        });
        await client.connect();
        await client.query(`LISTEN ${NOTIFY_CHANNEL}`);
        listener = client;
      };
      // Until the read side shows the notified generation live (replication lag), then reload; at most 30 s.
      const waitVisible = async (name: string) => {
        for (let waited = 0; waited < 30_000; waited += 100) {
          if ((await current().catch(() => null)) === name) return;
          await new Promise((r) => setTimeout(r, 100));
        }
      };
      // Live changes: until the read side holds that set (or a newer one).
      const waitLiveVisible = async (name: string) => {
        const at = name.lastIndexOf("~");
        const [base, seq] = [name.slice(0, at), Number(name.slice(at + 1))];
        for (let waited = 0; waited < 30_000; waited += 20) {
          if ((await liveSeqPg(readPool(), base).catch(() => 0)) >= seq) return;
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      const listen = () => {
        if (!listener) connect().catch((e) => console.error(`search: cannot listen for new generations (${(e as Error).message}); polling every ${config().pollMs} ms`));
      };
      listen();
      keepListening = setInterval(listen, Math.max(config().pollMs, 5000));
      keepListening.unref();
    },
    async close() {
      clearInterval(keepListening);
      await listener?.end().catch(() => {});
      await Promise.all([writes?.end(), reads?.end(), ...(shardPools ?? []).map((p) => p.end())]);
      if (scratch) await fs.rm(await scratch, { recursive: true, force: true });
    },
  };
}
