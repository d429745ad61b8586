// One index run, as `npm run index` and its --watch loop do it: read the
// content (reusing what the last run read where nothing changed), build a
// generation incrementally on top of the current one (or completely, with
// --full or when there is nothing compatible to build on), and publish it.
import { applyOverlay, type OverlayEntry } from "@/lib/content/overlay";
import { contentDir, ingest, ingestReuse, lazyArticle, type IngestResult } from "@/lib/content/ingest";
import { buildFull } from "@/lib/search/build/full";
import { buildIncremental, DamagedBaseError } from "@/lib/search/build/incremental";
import { buildLive, liveBase, liveLimit, type LiveBase, type LiveBuild } from "@/lib/search/build/live";
import { liveName } from "@/lib/search/formats/live-changes";
import { earlySegmenter, parallelSegmenter, pooledSegmenter } from "@/lib/search/build/segmentation-pool";
import { buildRanged } from "@/lib/search/build/ranged";
import type { Article } from "@/lib/content/article";
import type { Segmenter } from "@/lib/search/build/segmenter";
import type { Generation } from "@/lib/search/formats/generation";
import type { IndexManifest } from "@/lib/search/formats/manifest";
import { diskStore } from "@/lib/search/storage/disk-store";
import { openStore } from "@/lib/search/storage/open-store";
import type { IncrementalBase, IndexStore } from "@/lib/search/storage/store";

export interface IndexRunOptions {
  targets?: string[];
  dir?: string;
  /** Read and segment everything again, ignoring every cache. */
  full?: boolean;
  /** Segments every build (tests). */
  segmenter?: Segmenter;
  /** Segments incremental builds: a worker kept with jieba loaded between runs (--watch). */
  incrementalSegmenter?: Segmenter;
  /** Editors' corrections and withdrawals, laid over what the files give (lib/content/overlay.ts). */
  overlay?: ReadonlyArray<OverlayEntry>;
  /** Files (as the ingest names them) read again even when unchanged: a file re-run after what failed was fixed. */
  fresh?: string[];
  /** Synonym groups added in the back office: carried by the generation (a change publishes one). */
  synonyms?: string[];
  /** Publish a new generation even when no article changed (servers swap, and reload what they read at a swap: the local synonyms). */
  force?: boolean;
  /**
   * Live changes (build/live.ts): when few articles differ from the live
   * generation, write them beside it in milliseconds instead of a whole
   * generation. The state is kept by a long-lived caller (--watch, the
   * back office's index service) between runs.
   */
  live?: LiveState;
  /** With `live`: write a whole generation even when live changes would do (the merge a caller runs when they grew large). */
  merge?: boolean;
  /** With `live`: how many articles may differ from the generation in live changes (default liveLimit(articles); tests set a small one). */
  liveLimit?: number;
  /** Articles per range where the store builds full generations in ranges (default RANGE_ARTICLES; tests set a small one). */
  rangeArticles?: number;
}

/** A fingerprint no run's changes have: the stored live changes were written by another process. */
const OTHERS_WROTE = "\u0000written elsewhere";

/** What live runs keep between them: the generation they build on, as build/live.ts learnt it. */
export interface LiveState {
  base: LiveBase | null;
  /** The store live runs use, open between them (the caller closes it when done). */
  store?: IndexStore;
}

export interface IndexRunResult {
  /** The published generation, or null when nothing changed (the current one stays). */
  name: string | null;
  /** Where it was published: the index folder, or the database. */
  dir: string;
  /** The generation built (none for live changes). */
  generation?: Generation;
  /** The manifest written (the built one when nothing was published). */
  manifest: IndexManifest;
  ingest: IngestResult;
  /** Articles the overlay corrected, and withdrew or deleted (not indexed). */
  overlay: { corrected: number; withdrawn: string[]; deleted: string[] };
  /** Why the run was a full build. */
  fullReason: string | null;
  /** Live changes were written (`name` is the generation's name and their number), not a generation. */
  live: boolean;
  /** The live changes have grown large enough that a merge run (options.merge) should write them into a generation. */
  mergeDue: boolean;
  /** Seconds spent in each step of the build. */
  timings: Record<string, number>;
  /** Ids of kept articles whose damaged stored copy was written again from their source. */
  repaired: string[];
  bytes: number;
  seconds: { read: number; index: number; write: number; total: number };
}

export async function runIndex(options: IndexRunOptions = {}): Promise<IndexRunResult> {
  const started = performance.now();
  // A folder given by the caller (tests, tools), else the configured store; live runs keep theirs open between runs
  // (the generation they build on may be read from its scratch files: PostgreSQL's).
  const kept = options.live && !options.dir;
  const store = options.dir ? diskStore(options.dir) : kept ? (options.live!.store ??= await openStore()) : await openStore();
  try {
    return await runOn(store, options, started);
  } finally {
    if (!kept) await store.close();
  }
}

async function runOn(store: IndexStore, options: IndexRunOptions, started: number): Promise<IndexRunResult> {
  const dir = store.where;
  const targets = options.targets?.length ? options.targets : [contentDir()];
  const release = await store.lock();
  // Small runs segment on one thread that loads jieba while the input is read; full builds split the work over cores.
  const early = options.segmenter || options.incrementalSegmenter || options.full ? null : earlySegmenter();
  try {
    const live = options.live && !options.full && store.saveLive ? await liveBaseOf(store, options.live) : null;
    const base: IncrementalBase | { reason: string } = options.full ? { reason: "--full" } : live ? { previous: live.previous, inputs: live.inputs } : await store.base();
    if (!("previous" in base)) await early?.close();
    let reuse;
    const fresh = new Set(options.fresh ?? []);
    if ("previous" in base) {
      const prev = base.previous;
      // A damaged stored copy is not taken for its content: that file or line is read again. Kept by a live base.
      let docOfHash = live?.docOfHash;
      if (!docOfHash) {
        docOfHash = new Map<string, number>();
        for (let doc = 0; doc < prev.hashes.length; doc++) if (!prev.damaged?.has(doc)) docOfHash.set(prev.hashes[doc], doc);
        if (live) live.docOfHash = docOfHash;
      }
      const byHash = docOfHash;
      reuse = ingestReuse(fresh.size ? base.inputs.filter((f) => !fresh.has(f.path)) : base.inputs, (identity) => {
        const doc = byHash.get(identity.contentHash);
        if (doc !== undefined) return lazyArticle(identity, () => prev.article(doc));
        // Written into live changes since the generation: held by the live base.
        const held = live?.articles.get(identity.contentHash);
        return held ? lazyArticle(identity, () => held) : undefined;
      });
    }
    // A live base keeps what each file gave its last run: the next one visits only the files that changed.
    const result = await ingest(targets, { reuse, fresh, ledger: live?.ledger });
    if (live) live.ledger = result.ledger;
    const overlaid = applyOverlay(result.articles, options.overlay ?? []);
    const articles = overlaid.articles;
    const read = performance.now();
    if (live && !options.merge) {
      // Another process (a second replica's index service) may have written live changes since this one's: number the
      // next after them, and write this run's even if they match this process's last ones (the stored ones are not).
      const written = await store.liveSeq!(live.name);
      if (written !== live.seq) {
        live.seq = written;
        live.last = OTHERS_WROTE;
      }
      const segment = options.segmenter ?? options.incrementalSegmenter ?? early ?? parallelSegmenter();
      const built = await buildLive(articles, live, segment, { withdrawn: overlaid.withdrawn, synonyms: options.synonyms ?? [] }, options.liveLimit);
      if (built) return await publishLive(store, live, built, { options, result, overlaid, started, read });
    }
    let fullReason = "reason" in base ? base.reason : null;
    let generation: Generation | null = null;
    if ("previous" in base) {
      try {
        generation = await buildIncremental(articles, base.previous, options.segmenter ?? options.incrementalSegmenter ?? early ?? parallelSegmenter());
      } catch (e) {
        if (!(e instanceof DamagedBaseError)) throw e;
        fullReason = e.message;
      }
    }
    // A store that writes ranges as they come (PostgreSQL) gets a full build in ranges: memory holds one range's index, not the library's.
    if (!generation && store.saveRanged) return await publishRanged(store, articles, { options, result, overlaid, started, read }, fullReason);
    generation ??= await buildFull(articles, options.segmenter ?? parallelSegmenter());
    const built = performance.now();
    const b = generation.manifest.build;
    // Nothing came, changed or went (and nothing was damaged): the current generation stays (its word layer settled when it was made).
    const withdrawnBefore = "previous" in base ? JSON.stringify(base.previous.manifest.withdrawn ?? []) : null;
    const synonymsBefore = "previous" in base ? JSON.stringify(base.previous.manifest.synonyms ?? []) : null;
    generation.manifest.withdrawn = overlaid.withdrawn;
    generation.manifest.synonyms = options.synonyms ?? [];
    const unchanged =
      !options.force &&
      b.kind === "incremental" &&
      b.added + b.changed + b.deleted === 0 &&
      !generation.repaired?.length &&
      withdrawnBefore === JSON.stringify(overlaid.withdrawn) &&
      synonymsBefore === JSON.stringify(generation.manifest.synonyms);
    const saved = unchanged ? null : await store.save(generation, result.inputs, result.originals);
    if (saved) await store.publish(saved);
    // The next live run builds on the new generation.
    if (saved && options.live) options.live.base = null;
    const done = performance.now();
    return {
      name: saved ? saved.name : null,
      dir,
      generation,
      manifest: saved?.manifest ?? generation.manifest,
      ingest: result,
      overlay: { corrected: overlaid.corrected, withdrawn: overlaid.withdrawn, deleted: overlaid.deleted },
      fullReason,
      live: false,
      mergeDue: false,
      timings: generation.timings,
      repaired: generation.repaired ?? [],
      bytes: saved?.bytes ?? 0,
      seconds: { read: (read - started) / 1000, index: (built - read) / 1000, write: (done - built) / 1000, total: (done - started) / 1000 },
    };
  } finally {
    await early?.close();
    await release();
  }
}

/** The live base for the store's live generation: the one kept in `state`, or read from the store (null when there is no generation to build on). */
async function liveBaseOf(store: IndexStore, state: LiveState): Promise<LiveBase | null> {
  const name = await store.current();
  if (!name) return null;
  if (state.base?.name === name) return state.base;
  state.base = null;
  const b = await store.base();
  if (!("previous" in b)) return null;
  // Numbered on from the changes already written for it (a restarted service), so servers take the next ones as newer.
  const written = await store.readLive!(name).catch(() => null);
  state.base = liveBase(name, b.previous, b.inputs, written?.seq ?? 0);
  return state.base;
}

/** Articles per range of a full build in ranges: at a million articles the build peaks near 4 GB with two ranges in hand. */
export const RANGE_ARTICLES = 50_000;

async function* inRanges(articles: Article[], size: number): AsyncGenerator<Article[]> {
  for (let from = 0; from < articles.length; from += size) yield articles.slice(from, from + size);
}

/** A full build in ranges (build/ranged.ts), written by the store as each range is done, and published. */
async function publishRanged(
  store: IndexStore,
  articles: Article[],
  run: { options: IndexRunOptions; result: IngestResult; overlaid: ReturnType<typeof applyOverlay>; started: number; read: number },
  fullReason: string | null,
): Promise<IndexRunResult> {
  const { options, result, overlaid } = run;
  // Threads kept for every range where there are several; one range is segmented as a full build segments it
  // (parallelSegmenter: in this process for a small library, without starting threads and loading jieba twice).
  const size = options.rangeArticles ?? RANGE_ARTICLES;
  const pool = options.segmenter || articles.length <= size ? null : pooledSegmenter();
  try {
    const gen = buildRanged(inRanges(articles, size), options.segmenter ?? pool ?? parallelSegmenter());
    const saved = await store.saveRanged!(gen, result.inputs, result.originals, { withdrawn: overlaid.withdrawn, synonyms: options.synonyms ?? [] }, articles.length);
    const built = performance.now();
    await store.publish(saved);
    if (options.live) options.live.base = null;
    const done = performance.now();
    return {
      name: saved.name,
      dir: store.where,
      manifest: saved.manifest,
      ingest: result,
      overlay: { corrected: overlaid.corrected, withdrawn: overlaid.withdrawn, deleted: overlaid.deleted },
      fullReason,
      live: false,
      mergeDue: false,
      timings: gen.summary().timings,
      repaired: [],
      bytes: saved.bytes,
      // Building and writing overlap (each range is written as it is done): "index" is both, "write" the publish.
      seconds: { read: (run.read - run.started) / 1000, index: (built - run.read) / 1000, write: (done - built) / 1000, total: (done - run.started) / 1000 },
    };
  } finally {
    await pool?.close();
  }
}

/** Writes live changes (unless nothing differs from the last ones) and describes the run as runIndex does. */
async function publishLive(
  store: IndexStore,
  live: LiveBase,
  built: LiveBuild,
  run: { options: IndexRunOptions; result: IngestResult; overlaid: ReturnType<typeof applyOverlay>; started: number; read: number },
): Promise<IndexRunResult> {
  const { changes } = built;
  const built_ = performance.now();
  const write = !built.unchanged || run.options.force;
  if (write) {
    await store.saveLive!(changes, run.result.originals);
    live.seq = changes.seq;
    live.last = built.fingerprint;
    live.inputs = run.result.inputs;
    for (const a of built.stored) live.articles.set(a.contentHash, a);
  }
  const done = performance.now();
  const prev = live.previous.manifest;
  const gone = changes.removed.length;
  const manifest: IndexManifest = {
    ...prev,
    articles: changes.articles,
    chars: changes.chars,
    build: { kind: "live", added: changes.added.length - changes.changed, changed: changes.changed, deleted: changes.deleted, kept: changes.articles - changes.added.length, segmented: built.segmented, merged: 0 },
    withdrawn: changes.withdrawn,
    synonyms: changes.synonyms,
    live: { name: liveName(live.name, live.seq), base: live.name, seq: live.seq, removed: gone, at: changes.at },
  };
  const { options, result, overlaid, started, read } = run;
  return {
    name: write ? liveName(live.name, live.seq) : null,
    dir: store.where,
    manifest,
    ingest: result,
    overlay: { corrected: overlaid.corrected, withdrawn: overlaid.withdrawn, deleted: overlaid.deleted },
    fullReason: null,
    live: true,
    mergeDue: !!options.live && changes.added.length + gone >= (options.liveLimit ?? liveLimit(changes.articles)) / 2,
    timings: built.timings,
    repaired: [],
    bytes: 0,
    seconds: { read: (read - started) / 1000, index: (built_ - read) / 1000, write: (done - built_) / 1000, total: (done - started) / 1000 },
  };
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
  if (r.live) {
    const l = m.live!;
    const where = r.name ? `live changes ${r.name}` : "no changes, live changes unchanged";
    return (
      `index: ${where}: ${l.removed + b.added + b.changed} article(s) differ from generation ${l.base} (+${b.added} added, ~${b.changed} changed, -${b.deleted} deleted since it); ` +
      `${b.segmented} segmented; ${r.ingest.reused.files} files and ${r.ingest.reused.lines} lines reused; ${r.ingest.errors.length} inputs skipped; ${m.articles} articles; ` +
      `${Math.round(s.total * 1000)} ms (read ${Math.round(s.read * 1000)} ms, index ${Math.round(s.index * 1000)} ms, write ${Math.round(s.write * 1000)} ms)` +
      `${r.mergeDue ? "; a merge into a new generation is due" : ""}`
    );
  }
  const where = r.name ? `generation ${r.name}` : "no changes, generation unchanged";
  const repaired = r.repaired;
  const repairs = repaired.length ? `; ${repaired.length} damaged stored article(s) written again from their source (${repaired.slice(0, 5).join(", ")}${repaired.length > 5 ? ", …" : ""})` : "";
  return (
    `index: ${where}: ${what}; ${r.ingest.errors.length} inputs skipped; ${m.articles} articles, ${m.ngrams} n-grams, ` +
    `${m.segments.length} word segment(s), ${(m.chars / 1e6).toFixed(2)}M chars${repairs}; ${s.total.toFixed(1)} s ` +
    `(read ${s.read.toFixed(1)} s, index ${s.index.toFixed(1)} s, write ${s.write.toFixed(1)} s)` +
    `${r.name ? `, ${(r.bytes / 1e6).toFixed(1)} MB in ${r.dir}` : ""}`
  );
}
