// One index run, as `npm run index` and its --watch loop do it: read the
// content (reusing what the last run read where nothing changed), build a
// generation incrementally on top of the current one (or completely, with
// --full or when there is nothing compatible to build on), and publish it.
import { contentDir, ingest, ingestReuse, type IngestResult } from "@/lib/content/ingest";
import { buildFull, buildIncremental, type Generation, type Segmenter } from "@/lib/search/generation";
import { parallelSegmenter } from "@/lib/search/segment-parallel";
import { acquireLock, incrementalBase, indexDir, saveGeneration } from "@/lib/search/store";
import type { StoredArticle } from "@/lib/search/types";

export interface IndexRunOptions {
  targets?: string[];
  dir?: string;
  /** Read and segment everything again, ignoring every cache. */
  full?: boolean;
  segmenter?: Segmenter;
}

export interface IndexRunResult {
  /** The published generation, or null when nothing changed (the current one stays). */
  name: string | null;
  dir: string;
  generation: Generation;
  ingest: IngestResult;
  /** Why the run was a full build. */
  fullReason: string | null;
  bytes: number;
  seconds: { read: number; index: number; write: number; total: number };
}

export async function runIndex(options: IndexRunOptions = {}): Promise<IndexRunResult> {
  const started = performance.now();
  const dir = options.dir ?? indexDir();
  const targets = options.targets?.length ? options.targets : [contentDir()];
  const release = await acquireLock(dir);
  try {
    const base = options.full ? { reason: "--full" } : await incrementalBase(dir);
    let reuse;
    if ("previous" in base) {
      const byHash = new Map<string, StoredArticle>();
      for (const a of base.previous.articles) byHash.set(a.contentHash, a);
      reuse = ingestReuse(base.sources, (hash) => byHash.get(hash));
    }
    const result = await ingest(targets, { reuse });
    const read = performance.now();
    const segmenter = options.segmenter ?? parallelSegmenter();
    const generation = "previous" in base ? await buildIncremental(result.articles, base.previous, segmenter) : await buildFull(result.articles, segmenter);
    const built = performance.now();
    const b = generation.manifest.build;
    const unchanged = b.kind === "incremental" && b.added + b.changed + b.deleted + b.merged === 0 && "name" in base;
    const saved = unchanged ? null : await saveGeneration(dir, generation, result.sources);
    const done = performance.now();
    return {
      name: saved ? saved.name : null,
      dir,
      generation,
      ingest: result,
      fullReason: "reason" in base ? base.reason : null,
      bytes: saved?.bytes ?? 0,
      seconds: { read: (read - started) / 1000, index: (built - read) / 1000, write: (done - built) / 1000, total: (done - started) / 1000 },
    };
  } finally {
    await release();
  }
}

/** One line saying what a run did. */
export function describeRun(r: IndexRunResult): string {
  const m = r.generation.manifest;
  const b = m.build;
  const s = r.seconds;
  const what =
    b.kind === "full"
      ? `full build (${r.fullReason}): ${m.articles} articles`
      : `+${b.added} added, ~${b.changed} changed, -${b.deleted} deleted, ${b.kept} kept; ${b.segmented} segmented` +
        `${b.merged ? `, ${b.merged} word segment merge(s)` : ""}; ${r.ingest.reused.files} files and ${r.ingest.reused.lines} lines reused`;
  const where = r.name ? `generation ${r.name}` : "no changes, generation unchanged";
  return (
    `index: ${where}: ${what}; ${r.ingest.errors.length} inputs skipped; ${m.articles} articles, ${m.ngrams} n-grams, ` +
    `${m.segments.length} word segment(s), ${(m.chars / 1e6).toFixed(2)}M chars; ${s.total.toFixed(1)} s ` +
    `(read ${s.read.toFixed(1)} s, index ${s.index.toFixed(1)} s, write ${s.write.toFixed(1)} s)` +
    `${r.name ? `, ${(r.bytes / 1e6).toFixed(1)} MB in ${r.dir}` : ""}`
  );
}
