// A generation partitioned across several PostgreSQL servers
// (DATABASE_SHARD_URLS): each server holds the per-article rows of one range
// of documents (articles_<id>, docs_<id>, and ngrams_<id> with each row's
// documents in that range), while the coordinator (DATABASE_URL) keeps what
// is per generation (manifest, live row, blobs, word segments, live changes).
//
// Ranges are contiguous and in order, so an n-gram row is the shards' pieces
// of it end to end, and a document's rows are on exactly one server: the
// answers are a single server's, byte for byte (tests/unit/pg-shards.test.ts).
// Each server records which part of which generation it holds
// (search.shard_parts): servers listed in another order, or one missing a
// part, are refused by name instead of answering wrongly.
import type { Pool } from "pg";
import { GenerationError } from "@/lib/search/storage/store";

/** One server's share of a generation: documents [first, end). */
export interface Part {
  db: Pool;
  first: number;
  end: number;
  /** How errors name the server ("" when the generation is on the coordinator alone: messages as before). */
  label: string;
  /** Its n-gram keys and postings (search.shard_parts; a whole load sizes its arrays by them). */
  ngramKeys?: number;
  ngramPostings?: number;
}

/** The servers of DATABASE_SHARD_URLS, in order, each with its pool. */
export interface PgShards {
  pools: Pool[];
  urls: readonly string[];
}

/** n + 1 bounds splitting `articles` documents into n contiguous ranges as even as can be. */
export function shardBounds(articles: number, servers: number): number[] {
  return Array.from({ length: servers + 1 }, (_, i) => Math.floor((articles * i) / servers));
}

/** A URL without its password, to name a server in messages. */
export function serverName(url: string): string {
  return url.replace(/\/\/[^@/]*@/u, "//");
}

/** The parts of a generation with these bounds on these servers (labels "shard i of n (host:port/db)"). */
export function partsOf(pools: Pool[], urls: readonly string[], bounds: number[]): Part[] {
  return pools.map((db, i) => ({ db, first: bounds[i], end: bounds[i + 1], label: `shard ${i + 1} of ${pools.length} (${serverName(urls[i]).replace(/^postgres(ql)?:\/\//u, "")})` }));
}

/** The part holding `doc` (parts are in order and cover every document). */
export function partOf(parts: Part[], doc: number): number {
  let lo = 0;
  let hi = parts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (parts[mid].first <= doc) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Documents grouped by the part holding them, index for index with `parts`. */
export function byPart(parts: Part[], docs: number[]): number[][] {
  const out = parts.map(() => [] as number[]);
  for (const d of docs) out[partOf(parts, d)].push(d);
  return out;
}

/** Where each part's piece of an ascending document list starts: parts.length + 1 offsets into `docs`. */
export function rowCuts(parts: Part[], docs: Uint32Array): number[] {
  const cuts = [0];
  for (let p = 1; p < parts.length; p++) {
    const bound = parts[p].first;
    let lo = cuts[p - 1];
    let hi = docs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (docs[mid] < bound) lo = mid + 1;
      else hi = mid;
    }
    cuts.push(lo);
  }
  cuts.push(docs.length);
  return cuts;
}

/**
 * Runs `task` on every part at once; an error's message names the part's
 * server (the error itself is kept: its class and code still tell what it
 * was), so a 503 says which server did not answer.
 */
export function onEveryPart<T>(parts: Part[], task: (part: Part, i: number) => Promise<T>): Promise<T[]> {
  return Promise.all(
    parts.map((part, i) =>
      task(part, i).catch((e: unknown) => {
        if (part.label && e instanceof Error && !e.message.includes(part.label)) e.message = `${part.label}: ${e.message}`;
        throw e;
      }),
    ),
  );
}

/** One n-gram row from each part's piece, end to end (documents ascending, as one server holds it). */
export function joinPieces<T extends Uint32Array | Uint8Array>(pieces: T[], make: (n: number) => T): T {
  if (pieces.length === 1) return pieces[0];
  const out = make(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** One part's n-gram rows in key order, as read: keys, each row's length, documents and frequencies end to end. */
export interface PieceRows {
  keys: Uint32Array;
  counts: Uint32Array;
  postings: Uint32Array;
  freqs: Uint8Array;
}

/**
 * The parts' rows merged into one layer's arrays (room for `keys` and
 * `postings`, the generation's totals): for each key in order, every part's
 * piece in part order.
 */
export function mergePieces(pieces: PieceRows[], keys: number, postings: number, where: string): PieceRows {
  const out: PieceRows = { keys: new Uint32Array(keys), counts: new Uint32Array(keys), postings: new Uint32Array(postings), freqs: new Uint8Array(postings) };
  const row = pieces.map(() => 0);
  const at = pieces.map(() => 0);
  let k = 0;
  let p = 0;
  for (;;) {
    let key = Infinity;
    for (let s = 0; s < pieces.length; s++) if (row[s] < pieces[s].keys.length && pieces[s].keys[row[s]] < key) key = pieces[s].keys[row[s]];
    if (key === Infinity) break;
    if (k >= keys) throw new GenerationError(`search: ${where}: the shards hold more n-gram keys than the generation's ${keys}`);
    let count = 0;
    for (let s = 0; s < pieces.length; s++) {
      if (row[s] >= pieces[s].keys.length || pieces[s].keys[row[s]] !== key) continue;
      const n = pieces[s].counts[row[s]++];
      if (p + n > postings) throw new GenerationError(`search: ${where}: the shards hold more postings than the generation's ${postings}`);
      out.postings.set(pieces[s].postings.subarray(at[s], at[s] + n), p);
      out.freqs.set(pieces[s].freqs.subarray(at[s], at[s] + n), p);
      at[s] += n;
      p += n;
      count += n;
    }
    out.keys[k] = key;
    out.counts[k++] = count;
  }
  return { keys: out.keys.subarray(0, k), counts: out.counts.subarray(0, k), postings: out.postings.subarray(0, p), freqs: out.freqs.subarray(0, p) };
}
