// A generation's live changes: what came, changed and went since it was
// published, kept beside it until the next merge writes a whole generation
// (Lucene's near-real-time reader over a small segment, deletions masked).
// An index run that finds a few changes writes them here in milliseconds
// instead of rewriting the library; a server applies them in memory on top of
// the generation it already holds (engine/live-segment.ts). The changes are
// cumulative against the generation, never against the previous changes, so
// applying the latest alone is enough, and a server's memory does not grow
// with their number.
//
// What they hold answers exactly as a full build of the same content does:
// the document order is the full build's, the added articles' words and key
// terms are theirs, and the library-wide aids (related articles, repost
// groups, vocabulary) were computed by the writer over the whole library.
import { RELATED, SIGNATURE_STRIDE } from "@/lib/search/reader-aids/reader-aids";

export const LIVE_CHANGES_VERSION = 1;

/** One article that is new or changed since the generation, at its place in the full build's order. */
export interface LiveArticle {
  doc: number;
  /** Its stored JSON (formats/article-record.ts's StoredArticle). */
  json: string;
  /** Its words (jieba, search mode) joined by spaces: its entry in the live word segment. */
  words: string;
  /** Its key terms, best first. */
  keywords: string[];
  /** Its body signature (SIGNATURE_STRIDE u32s). */
  signature: number[];
}

export interface LiveChanges {
  version: number;
  /** The generation these changes apply to. */
  base: string;
  /** Counts up with each write for the same base: a server applies a newer one only. */
  seq: number;
  /** Articles in the library with the changes. */
  articles: number;
  /** Characters of normalised text in the library with the changes. */
  chars: number;
  /** The base's documents that are gone (deleted, changed, or moved against the others), ascending. */
  removed: number[];
  /** New and changed articles, by ascending `doc`. */
  added: LiveArticle[];
  /** Changed articles among `added` (the rest are new) and deleted ids: for the run's summary. */
  changed: number;
  deleted: number;
  /** Every article's related articles (RELATED each, −1 for none) and repost group leader, in the new numbering. */
  related: Int32Array;
  groupOf: Int32Array;
  /** The vocabulary's changes against the base's: words that came or whose count changed, and words that left. */
  vocabulary: { set: Array<[string, number, string]>; drop: string[] };
  /** The manifest's editors' fields with the changes (withdrawn ids, synonym groups). */
  withdrawn: string[];
  synonyms: string[];
  /** When written (ISO). */
  at: string;
}

/** How a generation with live changes is named while it serves (a server's kept pages are keyed by it). */
export const liveName = (base: string, seq: number) => `${base}~${seq}`;

const i32 = (a: Int32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("base64");

function fromI32(s: unknown, expected: number, what: string, where: string): Int32Array {
  if (typeof s !== "string") throw new Error(`${where}: ${what} missing`);
  const bytes = Buffer.from(s, "base64");
  if (bytes.length !== expected * 4) throw new Error(`${where}: ${what} has ${bytes.length / 4} entries, expected ${expected}`);
  const out = new Int32Array(expected);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

export function encodeLiveChanges(c: LiveChanges): string {
  return JSON.stringify({ ...c, related: i32(c.related), groupOf: i32(c.groupOf) });
}

/** Parses and checks live changes (`where` names the file or row in errors); throws on anything inconsistent. */
export function decodeLiveChanges(text: string, where: string): LiveChanges {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`${where}: not valid JSON (${(e as Error).message})`);
  }
  if (raw.version !== LIVE_CHANGES_VERSION) throw new Error(`${where}: live changes of version ${String(raw.version)}, this code reads ${LIVE_CHANGES_VERSION}`);
  const n = raw.articles;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) throw new Error(`${where}: no article count`);
  const c = { ...raw, related: fromI32(raw.related, n * RELATED, "related articles", where), groupOf: fromI32(raw.groupOf, n, "repost groups", where) } as LiveChanges;
  if (typeof c.base !== "string" || !Array.isArray(c.removed) || !Array.isArray(c.added)) throw new Error(`${where}: incomplete live changes`);
  let last = -1;
  for (const a of c.added) {
    if (!Number.isInteger(a.doc) || a.doc <= last || a.doc >= n) throw new Error(`${where}: added article at ${a.doc} out of order`);
    if (!Array.isArray(a.signature) || a.signature.length !== SIGNATURE_STRIDE) throw new Error(`${where}: added article at ${a.doc} has no signature`);
    last = a.doc;
  }
  return c;
}

/**
 * Each base document's new place (−1 where it is gone): survivors keep their
 * order and fill the places the added articles leave free.
 */
export function liveRemap(baseArticles: number, removed: readonly number[], added: ReadonlyArray<{ doc: number }>, articles: number): Int32Array {
  const remap = new Int32Array(baseArticles).fill(-1);
  const gone = new Uint8Array(baseArticles);
  for (const old of removed) gone[old] = 1;
  let old = 0;
  let a = 0;
  for (let doc = 0; doc < articles; doc++) {
    if (a < added.length && added[a].doc === doc) {
      a++;
      continue;
    }
    while (old < baseArticles && gone[old]) old++;
    if (old >= baseArticles) throw new Error(`search: live changes place more articles (${articles}) than the base and the added ones make`);
    remap[old++] = doc;
  }
  while (old < baseArticles && gone[old]) old++;
  if (old !== baseArticles || a !== added.length) throw new Error("search: live changes do not account for every article of the base");
  return remap;
}
