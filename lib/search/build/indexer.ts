// One index run, as `npm run index` and its --watch loop do it: read the
// content (reusing what the last run read where nothing changed), build a
// generation incrementally on top of the current one (or completely, with
// --full or when there is nothing compatible to build on), and publish it.
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { contentDir, ingest, ingestReuse, lazyArticle, type FileOutcome, type IngestResult } from "@/lib/content/ingest";
import { searchBackend } from "@/lib/search/storage/backend";
import { buildFull, buildIncremental, DamagedBaseError, type Generation, type IndexManifest, type Segmenter } from "@/lib/search/build/generation";
import { earlySegmenter, parallelSegmenter } from "@/lib/search/build/segmentation-pool";
import { acquireLock, incrementalBase, indexDir, saveGeneration, type IncrementalBase } from "@/lib/search/storage/disk-store";

/** Where an index run reads the generation it builds on and publishes the new one. */
interface Target {
  /** Named in messages: the folder, or the database. */
  where: string;
  lock(): Promise<() => Promise<void>>;
  base(): Promise<IncrementalBase | { reason: string }>;
  save(gen: Generation, sources: FileOutcome[]): Promise<{ name: string; manifest: IndexManifest; bytes: number }>;
  close(): Promise<void>;
}

function folderTarget(dir: string): Target {
  return {
    where: dir,
    lock: () => acquireLock(dir),
    base: () => incrementalBase(dir),
    save: (gen, sources) => saveGeneration(dir, gen, sources),
    close: async () => {},
  };
}

async function databaseTarget(): Promise<Target> {
  const pg = await import("@/lib/search/storage/postgres-store");
  const url = pg.databaseUrl();
  const db = pg.pool(url, 4);
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), "index-run-"));
  return {
    where: `the database at ${url.replace(/\/\/[^@/]*@/u, "//")}`,
    lock: async () => {
      await pg.ensureSchema(db);
      return pg.acquireIndexLock(db);
    },
    base: () => pg.incrementalBasePg(db, scratch),
    save: (gen, sources) => pg.saveGenerationPg(db, gen, sources),
    close: async () => {
      await fs.rm(scratch, { recursive: true, force: true });
      await db.end();
    },
  };
}

export interface IndexRunOptions {
  targets?: string[];
  dir?: string;
  /** Read and segment everything again, ignoring every cache. */
  full?: boolean;
  /** Segments every build (tests). */
  segmenter?: Segmenter;
  /** Segments incremental builds: a worker kept with jieba loaded between runs (--watch). */
  incrementalSegmenter?: Segmenter;
}

export interface IndexRunResult {
  /** The published generation, or null when nothing changed (the current one stays). */
  name: string | null;
  /** Where it was published: the index folder, or the database. */
  dir: string;
  generation: Generation;
  /** The manifest written (the built one when nothing was published). */
  manifest: IndexManifest;
  ingest: IngestResult;
  /** Why the run was a full build. */
  fullReason: string | null;
  bytes: number;
  seconds: { read: number; index: number; write: number; total: number };
}

export async function runIndex(options: IndexRunOptions = {}): Promise<IndexRunResult> {
  const started = performance.now();
  const target = !options.dir && searchBackend() === "postgres" ? await databaseTarget() : folderTarget(options.dir ?? indexDir());
  try {
    return await runOn(target, options, started);
  } finally {
    await target.close();
  }
}

async function runOn(target: Target, options: IndexRunOptions, started: number): Promise<IndexRunResult> {
  const dir = target.where;
  const targets = options.targets?.length ? options.targets : [contentDir()];
  const release = await target.lock();
  // Small runs segment on one thread that loads jieba while the input is read; full builds split the work over cores.
  const early = options.segmenter || options.incrementalSegmenter || options.full ? null : earlySegmenter();
  try {
    const base = options.full ? { reason: "--full" } : await target.base();
    if (!("previous" in base)) await early?.close();
    let reuse;
    if ("previous" in base) {
      const prev = base.previous;
      const docOfHash = new Map<string, number>();
      // A damaged stored copy is not taken for its content: that file or line is read again.
      prev.hashes.forEach((h, doc) => prev.damaged?.has(doc) || docOfHash.set(h, doc));
      reuse = ingestReuse(base.sources, (identity) => {
        const doc = docOfHash.get(identity.contentHash);
        return doc === undefined ? undefined : lazyArticle(identity, () => prev.article(doc));
      });
    }
    const result = await ingest(targets, { reuse });
    const read = performance.now();
    let fullReason = "reason" in base ? base.reason : null;
    let generation: Generation | null = null;
    if ("previous" in base) {
      try {
        generation = await buildIncremental(result.articles, base.previous, options.segmenter ?? options.incrementalSegmenter ?? early ?? parallelSegmenter());
      } catch (e) {
        if (!(e instanceof DamagedBaseError)) throw e;
        fullReason = e.message;
      }
    }
    generation ??= await buildFull(result.articles, options.segmenter ?? parallelSegmenter());
    const built = performance.now();
    const b = generation.manifest.build;
    // Nothing came, changed or went (and nothing was damaged): the current generation stays (its word layer settled when it was made).
    const unchanged = b.kind === "incremental" && b.added + b.changed + b.deleted === 0 && !generation.repaired?.length;
    const saved = unchanged ? null : await target.save(generation, result.sources);
    const done = performance.now();
    return {
      name: saved ? saved.name : null,
      dir,
      generation,
      manifest: saved?.manifest ?? generation.manifest,
      ingest: result,
      fullReason,
      bytes: saved?.bytes ?? 0,
      seconds: { read: (read - started) / 1000, index: (built - read) / 1000, write: (done - built) / 1000, total: (done - started) / 1000 },
    };
  } finally {
    await early?.close();
    await release();
  }
}

/** One line saying what a run did. */
export function describeRun(r: IndexRunResult): string {
  const m = r.manifest;
  const b = m.build;
  const s = r.seconds;
  const what =
    b.kind === "full"
      ? `full build (${r.fullReason}): ${m.articles} articles`
      : `+${b.added} added, ~${b.changed} changed, -${b.deleted} deleted, ${b.kept} kept; ${b.segmented} segmented` +
        `${b.merged ? `, ${b.merged} word segment merge(s)` : ""}; ${r.ingest.reused.files} files and ${r.ingest.reused.lines} lines reused`;
  const where = r.name ? `generation ${r.name}` : "no changes, generation unchanged";
  const repaired = r.generation.repaired ?? [];
  const repairs = repaired.length ? `; ${repaired.length} damaged stored article(s) written again from their source (${repaired.slice(0, 5).join(", ")}${repaired.length > 5 ? ", …" : ""})` : "";
  return (
    `index: ${where}: ${what}; ${r.ingest.errors.length} inputs skipped; ${m.articles} articles, ${m.ngrams} n-grams, ` +
    `${m.segments.length} word segment(s), ${(m.chars / 1e6).toFixed(2)}M chars${repairs}; ${s.total.toFixed(1)} s ` +
    `(read ${s.read.toFixed(1)} s, index ${s.index.toFixed(1)} s, write ${s.write.toFixed(1)} s)` +
    `${r.name ? `, ${(r.bytes / 1e6).toFixed(1)} MB in ${r.dir}` : ""}`
  );
}
