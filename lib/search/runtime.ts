// The server process's live index. It loads INDEX_DIR's current generation
// at start-up (through instrumentation.ts) and then follows it: when an index
// run publishes a new generation (INDEX_DIR/CURRENT is replaced), or on
// SIGHUP, the new one is loaded beside the old and swapped in at once.
// Requests already running finish on the generation they started with; the
// old one is garbage once they are done. A generation that cannot be used is
// refused with one log line and the last good one keeps serving.
import { watch, type FSWatcher } from "node:fs";
import type { SearchIndex } from "@/lib/search/engine";
import { GenerationError, indexDir, listGenerations, loadGeneration, readCurrent, type SegmentCache } from "@/lib/search/store";
import { warmNormalizer } from "@/lib/text/normalize";
import { loadQuerySegmenter } from "@/lib/text/segment";

interface Live {
  name: string;
  index: SearchIndex;
}

interface Holder {
  live?: Live;
  loading?: Promise<Live>;
  /** Word segments of the live generation, reused by the next one when unchanged. */
  segments: SegmentCache;
  following?: boolean;
  reloading?: Promise<void>;
  reloadAgain?: boolean;
  /** Names already refused, so a bad generation is reported once, not at every poll. */
  refused: Set<string>;
  watcher?: FSWatcher;
}

const globalKey = Symbol.for("dangjian-search.index");
const holder: Holder = ((globalThis as Record<symbol, Holder>)[globalKey] ??= { segments: new Map(), refused: new Set() });

const POLL_MS = Number(process.env.INDEX_POLL_MS || 2000);

async function load(name?: string, sync = false): Promise<Live> {
  const dir = indexDir();
  const loaded = await loadGeneration(dir, {
    name,
    sync,
    segments: holder.segments,
    whileReading: () => {
      loadQuerySegmenter();
      warmNormalizer();
    },
  });
  return { name: loaded.name, index: loaded.index };
}

/**
 * The first generation to serve: the current one, or — when it cannot be
 * used (a crash while copying, a disk error) — the newest one that can,
 * each refusal logged.
 */
async function loadFirst(): Promise<Live> {
  const dir = indexDir();
  const current = readCurrent(dir);
  try {
    return await load();
  } catch (e) {
    if (!(e instanceof GenerationError) || !current) throw e;
    holder.refused.add(current);
    console.error(`${e.message} — generation ${current} refused; trying older ones`);
    for (const name of await listGenerations(dir)) {
      if (name === current) continue;
      try {
        const live = await load(name);
        console.error(`search: serving generation ${name} instead of ${current}`);
        return live;
      } catch (older) {
        console.error(`${(older as Error).message} — generation ${name} refused`);
      }
    }
    throw e;
  }
}

/** The live index (loading it on first use). A failed first load is not cached, so a later request retries. */
export async function loadSearchIndex(): Promise<SearchIndex> {
  if (holder.live) return holder.live.index;
  holder.loading ??= loadFirst()
    .then((live) => {
      holder.live ??= live;
      void live.index.warmTexts().then(() => live.index.warmSuggestions());
      return holder.live;
    })
    .finally(() => {
      holder.loading = undefined;
    });
  return (await holder.loading).index;
}

function pruneSegments(live: Live): void {
  const keep = new Set(live.index.manifest.segments.map((s) => s.name));
  for (const name of holder.segments.keys()) if (!keep.has(name)) holder.segments.delete(name);
}

/** Loads the current generation if it is not the live one and swaps it in; one reload at a time. */
export function reloadIndex(reason: string): Promise<void> {
  if (holder.reloading) {
    holder.reloadAgain = true;
    return holder.reloading;
  }
  holder.reloading = (async () => {
    do {
      holder.reloadAgain = false;
      const name = readCurrent(indexDir());
      if (!name || name === holder.live?.name || holder.refused.has(name)) continue;
      const started = performance.now();
      try {
        // Synchronous reads: under load, each asynchronous one would wait behind the queued requests.
        const next = await load(name, true);
        const before = holder.live;
        holder.live = next;
        pruneSegments(next);
        void next.index.warmTexts().then(() => next.index.warmSuggestions());
        const b = next.index.manifest.build;
        console.log(
          `search: generation ${name} live (${next.index.size} articles; ${b.kind}: +${b.added} ~${b.changed} -${b.deleted}) ` +
            `after ${reason}, loaded in ${Math.round(performance.now() - started)} ms${before ? `, replacing ${before.name}` : ""}`,
        );
      } catch (e) {
        holder.refused.add(name);
        const why = e instanceof GenerationError ? e.message : `search: ${(e as Error).message}`;
        console.error(`${why} — generation ${name} refused; still serving ${holder.live?.name ?? "nothing"}`);
      }
    } while (holder.reloadAgain);
  })().finally(() => {
    holder.reloading = undefined;
  });
  return holder.reloading;
}

/**
 * Follows INDEX_DIR/CURRENT: an inotify watch on the folder for a prompt
 * swap, a slow poll for file systems where watching does not work, SIGHUP
 * for operators. With INDEX_FOLLOW=signal only SIGHUP swaps (an operator
 * who publishes by hand). Started once per process.
 */
export function followIndex(): void {
  if (holder.following) return;
  holder.following = true;
  process.on("SIGHUP", () => {
    // A SIGHUP also retries a generation that was refused (it may have been repaired).
    holder.refused.clear();
    void reloadIndex("SIGHUP");
  });
  if (process.env.INDEX_FOLLOW === "signal") return;
  const dir = indexDir();
  const tryWatch = () => {
    try {
      holder.watcher = watch(dir, (_event, file) => {
        if (String(file ?? "") === "CURRENT") void reloadIndex("CURRENT changed");
      });
      holder.watcher.on("error", () => {
        holder.watcher?.close();
        holder.watcher = undefined;
      });
    } catch {
      // The folder may not exist yet; the poll below covers it.
    }
  };
  tryWatch();
  setInterval(() => {
    if (!holder.watcher) tryWatch();
    const name = readCurrent(dir);
    if (name && name !== holder.live?.name && !holder.refused.has(name)) void reloadIndex("poll");
  }, POLL_MS).unref();
}
