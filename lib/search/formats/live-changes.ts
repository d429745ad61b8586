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

export const LIVE_CHANGES_VERSION = 2;

/**
 * A library-wide array (RELATED related articles a document, or one repost
 * group leader) where it differs from the base's carried through the
 * renumbering: the documents whose values changed (ascending) and their
 * values, `stride` each. A change touches a few documents' related articles;
 * the whole arrays were 9 MB a change at ×10, written by the index run and
 * read by every server process.
 */
export interface LivePatch {
  docs: Int32Array;
  values: Int32Array;
}

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
  /** Every article's related articles (RELATED each, −1 for none) and repost group leader, in the new numbering, where they differ from the base's (livePatch). */
  related: LivePatch;
  groupOf: LivePatch;
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

const patchOut = (p: LivePatch) => ({ docs: i32(p.docs), values: i32(p.values) });

export function encodeLiveChanges(c: LiveChanges): string {
  return JSON.stringify({ ...c, related: patchOut(c.related), groupOf: patchOut(c.groupOf) });
}

function patchIn(raw: unknown, n: number, stride: number, what: string, where: string): LivePatch {
  const p = (raw ?? {}) as { docs?: unknown; values?: unknown };
  const count = typeof p.docs === "string" ? Buffer.byteLength(p.docs, "base64") / 4 : -1;
  if (!Number.isInteger(count) || count < 0) throw new Error(`${where}: ${what} missing`);
  const docs = fromI32(p.docs, count, what, where);
  const values = fromI32(p.values, count * stride, what, where);
  for (let i = 0; i < count; i++) if (docs[i] < 0 || docs[i] >= n || (i > 0 && docs[i] <= docs[i - 1])) throw new Error(`${where}: ${what} out of order at ${docs[i]}`);
  for (const v of values) if (v < -1 || v >= n) throw new Error(`${where}: ${what} name article ${v} of ${n}`);
  return { docs, values };
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
  const c = { ...raw, related: patchIn(raw.related, n, RELATED, "related articles", where), groupOf: patchIn(raw.groupOf, n, 1, "repost groups", where) } as LiveChanges;
  if (typeof c.base !== "string" || !Array.isArray(c.removed) || !Array.isArray(c.added)) throw new Error(`${where}: incomplete live changes`);
  let last = -1;
  for (const a of c.added) {
    if (!Number.isInteger(a.doc) || a.doc <= last || a.doc >= n) throw new Error(`${where}: added article at ${a.doc} out of order`);
    if (!Array.isArray(a.signature) || a.signature.length !== SIGNATURE_STRIDE) throw new Error(`${where}: added article at ${a.doc} has no signature`);
    last = a.doc;
  }
  return c;
}

/** The value a document has by the base's array, renumbered (−1 where the base's points at a document that is gone). */
const carriedValue = (base: Int32Array, remap: Int32Array, at: number) => (base[at] < 0 ? -1 : remap[base[at]]);

/** Where `full` (the library's array, `stride` values a document) differs from the base's carried through the renumbering. */
export function livePatch(full: Int32Array, base: Int32Array, oldOf: Int32Array, remap: Int32Array, stride: number): LivePatch {
  const docs: number[] = [];
  const n = full.length / stride;
  for (let doc = 0; doc < n; doc++) {
    const old = oldOf[doc];
    let same = old >= 0;
    for (let k = 0; same && k < stride; k++) same = full[doc * stride + k] === carriedValue(base, remap, old * stride + k);
    if (!same) docs.push(doc);
  }
  const values = new Int32Array(docs.length * stride);
  docs.forEach((doc, i) => values.set(full.subarray(doc * stride, (doc + 1) * stride), i * stride));
  return { docs: Int32Array.from(docs), values };
}

/** The library's array from the base's and a patch (livePatch's inverse). Throws where a document would have no value. */
export function patchedArray(patch: LivePatch, base: Int32Array, oldOf: Int32Array, remap: Int32Array, stride: number): Int32Array {
  const n = oldOf.length;
  const out = new Int32Array(n * stride);
  let i = 0;
  for (let doc = 0; doc < n; doc++) {
    if (i < patch.docs.length && patch.docs[i] === doc) {
      out.set(patch.values.subarray(i * stride, (i + 1) * stride), doc * stride);
      i++;
      continue;
    }
    const old = oldOf[doc];
    if (old < 0) throw new Error(`search: live changes give article ${doc} no related articles or repost group`);
    for (let k = 0; k < stride; k++) out[doc * stride + k] = carriedValue(base, remap, old * stride + k);
  }
  return out;
}

/** Each document's place in the base (−1 for an added one): a renumbering's inverse. */
export function oldDocs(remap: Int32Array, articles: number): Int32Array {
  const oldOf = new Int32Array(articles).fill(-1);
  for (let old = 0; old < remap.length; old++) if (remap[old] >= 0) oldOf[remap[old]] = old;
  return oldOf;
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
