// The one storage interface: where index generations are written, published,
// listed, loaded and followed. Two implementations — a folder
// (disk-store.ts, the embedded default) and PostgreSQL (postgres-store.ts) —
// and one place that picks between them from the configuration
// (open-store.ts). The index run (build/indexer.ts) and the server's live
// index (serving/live-index.ts) use nothing else of storage.
//
// Also here: the rules both implementations share (refusing a generation,
// naming a new one, keeping word segments between generations).
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { FileOutcome } from "@/lib/content/ingest";
import type { SearchIndex } from "@/lib/search/engine/search-index";
import type { Generation, PreviousGeneration, RangedGeneration } from "@/lib/search/formats/generation";
import type { LiveChanges } from "@/lib/search/formats/live-changes";
import { manifestMismatch, type IndexManifest } from "@/lib/search/formats/manifest";
import type { WordIndex } from "@/lib/search/formats/word-index";
import { SIGNATURE_BINS, type ReaderAids } from "@/lib/search/reader-aids/reader-aids";
import { loadAids } from "@/lib/search/formats/reader-aids-codec";
import type { SavedSegmenter } from "@/lib/text/segment";

export interface IndexStore {
  /** Named in messages: the folder, or the database (without its password). */
  readonly where: string;
  /** Keeps two index runs apart; resolves to the release. A run that died leaves nothing held. */
  lock(): Promise<() => Promise<void>>;
  /** The live generation as the base of an incremental run, or why the run must build in full. */
  base(): Promise<IncrementalBase | { reason: string }>;
  /**
   * Writes a generation and the ingest cache of its input files, not yet
   * live: a crash from here to publish() leaves the live one as it was. With
   * it, the documents' originals read in this run (sha256 → file) that the
   * store does not keep yet.
   */
  save(gen: Generation, inputs: FileOutcome[], originals?: ReadonlyMap<string, string>): Promise<SavedGeneration>;
  /**
   * Writes a full build made in ranges (build/ranged.ts) as its ranges come,
   * in memory one range at a time; `articles` is how many they hold, `extra`
   * what the manifest carries besides. Stores that can (PostgreSQL) have it;
   * the indexer makes its full builds so there.
   */
  saveRanged?(gen: RangedGeneration, inputs: FileOutcome[], originals: ReadonlyMap<string, string>, extra: Pick<IndexManifest, "withdrawn" | "synonyms">, articles: number): Promise<SavedGeneration>;
  /** A document's original file by its sha256, or null when the store keeps none by that name. */
  readOriginal(sha256: string): Promise<Buffer | null>;
  /** Makes a saved generation live in one step (servers following the store swap to it) and drops what no kept generation needs. */
  publish(saved: SavedGeneration): Promise<void>;
  /** The live generation's name, or null when there is none yet. */
  current(): Promise<string | null>;
  /** Usable generations, newest first. */
  list(): Promise<string[]>;
  /** Loads a generation (the live one by default), whole or lean; a GenerationError says why one cannot be used. */
  load(options?: LoadOptions): Promise<LoadedGeneration>;
  /**
   * Writes the live generation's live changes (formats/live-changes.ts) in
   * one step, replacing any before, with the originals their documents
   * refer to; servers following the store apply them. A store without them
   * (PostgreSQL, for now) leaves both undefined: every run writes a generation.
   */
  saveLive?(changes: LiveChanges, originals?: ReadonlyMap<string, string>): Promise<void>;
  /** The live changes of generation `name` (read synchronously when `sync`), or null when it has none. */
  readLive?(name: string, sync?: boolean): Promise<LiveChanges | null>;
  /** The number of generation `name`'s live changes (0: none), read cheaply: the next ones written take the next number, whichever process writes them. */
  liveSeq?(name: string): Promise<number>;
  /** Calls `changed` promptly when a new generation may be live (inotify, or the database's notices); callers poll current() besides. */
  follow(changed: (reason: string) => void): void;
  /** Ends what the store holds open (connections, watches). */
  close(): Promise<void>;
}

/** A generation written by save(), before and after it is published. */
export interface SavedGeneration {
  name: string;
  /** The manifest as written (with the merged n-gram count, the word segments and, on disk, the file list). */
  manifest: IndexManifest;
  /** Bytes the generation takes in the store, shared segments counted where the store lists them. */
  bytes: number;
}

export interface LoadOptions {
  /** A generation other than the live one. */
  name?: string;
  /** Word segments already in memory (a server swapping generations keeps the ones that did not change). */
  segments?: SegmentCache;
  /**
   * Runs (synchronously) while the generation is read: the place for other
   * start-up work such as loading jieba. Given the generation's saved query
   * segmenter when it has one and none is loaded yet.
   */
  whileReading?: (segmenter: SavedSegmenter | null) => void;
  /** Read synchronously (a server swapping under load: asynchronous reads would wait behind queued requests). */
  sync?: boolean;
  /** Lean where the store can serve it (PostgreSQL): per-article arrays held, the rest read per query. Default: the configuration's. */
  lean?: boolean;
}

export interface LoadedGeneration {
  name: string;
  index: SearchIndex;
}

/** What an incremental build starts from: the live generation and the ingest cache that made it (what each input file gave). */
export interface IncrementalBase {
  previous: PreviousGeneration;
  inputs: FileOutcome[];
}

const UNUSABLE = Symbol.for("dangjian-search.generation-error");

/** A generation that cannot be used, with the reason (one log line's worth). */
export class GenerationError extends Error {
  readonly [UNUSABLE] = true;

  /** Whether `e` is one, from this copy of the module or another (see StoreUnavailable.is). */
  static is(e: unknown): e is GenerationError {
    return typeof e === "object" && e !== null && (e as Record<symbol, unknown>)[UNUSABLE] === true;
  }
}

/** The originals a generation's articles refer to (sorted): what garbage collection must keep for it. */
export function originalsOf(meta: ReadonlyArray<{ original?: { sha256: string } }>): string[] {
  const keys = new Set<string>();
  for (const m of meta) if (m.original) keys.add(m.original.sha256);
  return [...keys].sort();
}

const SHA256 = /^[0-9a-f]{64}$/u;

/** Whether a name can be an original's key (nothing else reaches a store's files or rows). */
export function isOriginalKey(name: string): boolean {
  return SHA256.test(name);
}

/**
 * A file's bytes, checked against the sha256 it was read with: a file changed
 * between reading it and keeping it is not kept under the old text's key
 * (the next index run reads it again).
 */
export async function originalBytes(sha256: string, file: string): Promise<Buffer | null> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    return null;
  }
  return createHash("sha256").update(bytes).digest("hex") === sha256 ? bytes : null;
}

let saveCounter = 0;

/** A new generation's name: sortable by the time it was saved, unique per process (the same generation saved twice is two generations). */
export function newGenerationName(): string {
  return `${new Date().toISOString().replace(/[:.]/gu, "-")}-${process.pid}-${(saveCounter++).toString(36)}`;
}

/** Refuses a generation built with other rules than this code's (any store: `where` names the file or row). */
export function checkManifest(manifest: IndexManifest, where: string): void {
  const why = manifestMismatch(manifest, where);
  if (why) throw new GenerationError(why);
}

/** Word segments loaded in this process, shared by the generations that list them. */
export type SegmentCache = Map<string, Promise<WordIndex>>;

/** A segment from the cache, or loaded into it (any store); a failed load does not stay cached. */
export function cachedSegment(cache: SegmentCache, name: string, load: () => Promise<WordIndex>): Promise<WordIndex> {
  let p = cache.get(name);
  if (!p) {
    p = load();
    cache.set(name, p);
    p.catch(() => cache.delete(name));
  }
  return p;
}

/** Little-endian u32s, copied out (small files or blobs: serials, article offsets); `where` names them in the error. */
export function parseUint32s(bytes: Buffer, where: string, expected: number): Uint32Array {
  if (bytes.length !== expected * 4) throw new GenerationError(`search: ${where} has ${bytes.length} bytes, expected ${expected * 4}`);
  const copy = new Uint32Array(expected);
  new Uint8Array(copy.buffer).set(bytes);
  return copy;
}

/** The reader aids from their stored JSON and signatures; `build` names the generation (a folder, or a row) in errors. */
export function parseAids(json: Buffer, signatures: Buffer, build: string, articles: number): ReaderAids {
  const sig = parseUint32s(signatures, path.join(build, "signatures.bin"), articles * (SIGNATURE_BINS + 1));
  try {
    return loadAids(json.toString("utf8"), sig, articles, path.join(build, "reader.json"));
  } catch (e) {
    throw new GenerationError(`search: ${(e as Error).message}`);
  }
}
