// The server process's live index. It loads the current generation at
// start-up (through instrumentation.ts) and then follows it: when an index
// run publishes a new generation (INDEX_DIR/CURRENT is replaced, or, with
// SEARCH_BACKEND=postgres, the database notifies it), or on SIGHUP, the new
// one is loaded beside the old and swapped in at once.
// Requests already running finish on the generation they started with; the
// old one is garbage once they are done. A generation that cannot be used is
// refused with one log line and the last good one keeps serving.
import { config } from "@/lib/config/env.cjs";
import type { SearchIndex } from "@/lib/search/engine/search-index";
import { withLiveChanges } from "@/lib/search/engine/live-segment";
import { liveName } from "@/lib/search/formats/live-changes";
import { openStore } from "@/lib/search/storage/open-store";
import { GenerationError, type IndexStore, type SegmentCache } from "@/lib/search/storage/store";
import { warmNormalizer } from "@/lib/text/normalize";
import { loadQuerySegmenter } from "@/lib/text/segment";
import { useLocalSynonyms } from "@/lib/text/synonyms";

interface Live {
  /** What serves: the generation's name, or with live changes applied, liveName(base, seq). */
  name: string;
  index: SearchIndex;
  /** The generation, and its index without live changes (they apply on it: each set is cumulative). */
  base: string;
  baseIndex: SearchIndex;
  /** The live changes applied (0: none). */
  seq: number;
}

interface Holder {
  live?: Live;
  loading?: Promise<Live>;
  /** Word segments of the live generation, reused by the next one when unchanged. */
  segments: SegmentCache;
  following?: boolean;
  reloading?: Promise<void>;
  reloadAgain?: boolean;
  /** The last live changes that could not be read, reported once. */
  liveProblem?: string;
  /** Names already refused, so a bad generation is reported once, not at every poll. */
  refused: Set<string>;
  store?: Promise<IndexStore>;
}

const globalKey = Symbol.for("dangjian-search.index");
const holder: Holder = ((globalThis as Record<symbol, Holder>)[globalKey] ??= { segments: new Map(), refused: new Set() });

/** The store generations come from (open-store.ts picks it from the configuration), opened once per process. */
function store(): Promise<IndexStore> {
  return (holder.store ??= openStore());
}

async function load(name?: string, sync = false): Promise<Live> {
  const loaded = await (await store()).load({
    name,
    sync,
    segments: holder.segments,
    whileReading: (segmenter) => {
      loadQuerySegmenter(segmenter);
      warmNormalizer();
    },
  });
  return withLive({ name: loaded.name, index: loaded.index, base: loaded.name, baseIndex: loaded.index, seq: 0 }, sync);
}

/**
 * The generation with its newest live changes applied (formats/live-changes.ts),
 * or `live` itself when it has none newer. Changes that cannot be applied are
 * refused with one log line, and what served goes on serving.
 */
async function withLive(live: Live, sync: boolean): Promise<Live> {
  const s = await store();
  let next = live;
  if (s.readLive) {
    try {
      const changes = await s.readLive(live.base, sync);
      const name = changes ? liveName(live.base, changes.seq) : live.base;
      if (changes && changes.seq !== live.seq && !holder.refused.has(name)) {
        try {
          next = { ...live, name, index: withLiveChanges(live.baseIndex, name, changes), seq: changes.seq };
        } catch (e) {
          holder.refused.add(name);
          console.error(`search: live changes ${name} refused (${(e as Error).message}); still serving ${live.name}`);
        }
      } else if (!changes && live.seq !== 0) next = { ...live, name: live.base, index: live.baseIndex, seq: 0 };
    } catch (e) {
      // Once per problem, not at every poll.
      const why = `search: cannot read the live changes of ${live.base} (${(e as Error).message}); serving ${live.name}`;
      if (holder.liveProblem !== why) console.error(why);
      holder.liveProblem = why;
    }
  }
  // The back office's synonym groups travel with the generation and its live changes.
  useLocalSynonyms(next.index.manifest.synonyms ?? []);
  return next;
}

/**
 * The first generation to serve: the current one, or — when it cannot be
 * used (a crash while copying, a disk error) — the newest one that can,
 * each refusal logged.
 */
async function loadFirst(): Promise<Live> {
  const current = await (await store()).current();
  try {
    return await load();
  } catch (e) {
    if (!GenerationError.is(e) || !current) throw e;
    holder.refused.add(current);
    console.error(`${e.message} — generation ${current} refused; trying older ones`);
    const older = await newestGood(false);
    if (!older) throw e;
    console.error(`search: serving generation ${older.name} instead of ${current}`);
    return older;
  }
}

/**
 * The newest generation not refused that loads (read synchronously when
 * `sync`, every article read back first when `warm`); each refusal logged,
 * null when none loads.
 */
async function newestGood(sync: boolean, warm = false): Promise<Live | null> {
  for (const name of await (await store()).list()) {
    if (holder.refused.has(name)) continue;
    try {
      const live = await load(name, sync);
      if (warm) await live.index.warmTexts();
      return live;
    } catch (older) {
      holder.refused.add(name);
      console.error(`${(older as Error).message} — generation ${name} refused`);
    }
  }
  return null;
}

/** The name of the generation serving now; null before the first one is loaded. Pages kept by the cluster's workers are keyed by it. */
export function liveGeneration(): string | null {
  return holder.live?.name ?? null;
}

/** Whether editors withdrew this article (the serving generation names it): its pages answer 410 Gone. */
export function isWithdrawn(id: string): boolean {
  const live = holder.live;
  if (!live) return false;
  let set = withdrawnSets.get(live.index);
  if (!set) withdrawnSets.set(live.index, (set = new Set(live.index.manifest.withdrawn ?? [])));
  return set.has(id);
}
const withdrawnSets = new WeakMap<object, Set<string>>();

/** A document's original from the store generations come from, by its sha256 (null when the store keeps none by that name). */
export async function readOriginal(sha256: string): Promise<Buffer | null> {
  return (await store()).readOriginal(sha256);
}

/** The live index (loading it on first use). A failed first load is not cached, so a later request retries. */
export async function loadSearchIndex(): Promise<SearchIndex> {
  if (holder.live) return holder.live.index;
  holder.loading ??= loadFirst()
    .then((live) => {
      holder.live ??= live;
      warmServing(holder.live);
      return holder.live;
    })
    .finally(() => {
      holder.loading = undefined;
    });
  return (await holder.loading).index;
}

/**
 * Warms a generation that just started serving (it answers before its texts
 * are read: cold start and swap time count). If one of its articles does not
 * read back — a file damaged in the middle, which the checks at load do not
 * see — it is refused with one log line, and the generation it replaced (or,
 * at start, the newest good one) serves again.
 */
function warmServing(live: Live, previous?: Live): void {
  live.index
    .warmTexts()
    .then(
      () => warmSuggestions(live),
      (e) => fallBack(live, e as Error, previous),
    );
}

/** Builds the suggestion index between requests; a failure is logged (requests needing it build it themselves). */
function warmSuggestions(live: Live): void {
  live.index.warmSuggestions().catch((e) => console.error(`search: suggestions of generation ${live.name} not built ahead: ${(e as Error).message}`));
}

async function fallBack(damaged: Live, e: Error, previous?: Live): Promise<void> {
  if (holder.live !== damaged) return;
  holder.refused.add(damaged.name);
  const refused = `${e.message} — generation ${damaged.name} refused after it started serving`;
  if (previous) {
    holder.live = previous;
    pruneSegments(previous);
    console.error(`${refused}; serving ${previous.name} again`);
    return;
  }
  console.error(`${refused}; trying older ones`);
  const older = await newestGood(true, true).catch(() => null);
  if (!older || holder.live !== damaged) return;
  holder.live = older;
  pruneSegments(older);
  warmSuggestions(older);
  console.error(`search: serving generation ${older.name} instead of ${damaged.name}`);
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
      let name: string | null;
      try {
        name = await (await store()).current();
      } catch (e) {
        console.error(`search: cannot read the live generation (${(e as Error).message}); still serving ${holder.live?.name ?? "nothing"}`);
        continue;
      }
      if (!name || holder.refused.has(name)) continue;
      const started = performance.now();
      if (name === holder.live?.base) {
        // The same generation: newer live changes, applied on it in memory.
        const before = holder.live;
        const next = await withLive(before, true);
        if (next === before || holder.live !== before) continue;
        holder.live = next;
        warmServing(next, before);
        const b = next.index.manifest.build;
        console.log(
          `search: ${next.seq ? `live changes ${next.name}` : `generation ${next.name} without live changes`} live (${next.index.size} articles; +${b.added} ~${b.changed} -${b.deleted} against ${next.base}) ` +
            `after ${reason}, applied in ${Math.round(performance.now() - started)} ms, replacing ${before.name}`,
        );
        continue;
      }
      try {
        // Synchronous reads: under load, each asynchronous one would wait behind the queued requests.
        const next = await load(name, true);
        const before = holder.live;
        holder.live = next;
        pruneSegments(next);
        warmServing(next, before);
        const b = next.index.manifest.build;
        console.log(
          `search: generation ${name} live (${next.index.size} articles${next.index.lean ? ", lean" : ""}; ${b.kind}: +${b.added} ~${b.changed} -${b.deleted}) ` +
            `after ${reason}, loaded in ${Math.round(performance.now() - started)} ms${before ? `, replacing ${before.name}` : ""}`,
        );
      } catch (e) {
        holder.refused.add(name);
        const why = GenerationError.is(e) ? e.message : `search: ${(e as Error).message}`;
        console.error(`${why} — generation ${name} refused; still serving ${holder.live?.name ?? "nothing"}`);
      }
    } while (holder.reloadAgain);
  })().finally(() => {
    holder.reloading = undefined;
  });
  return holder.reloading;
}

/**
 * Follows the live generation: an inotify watch on INDEX_DIR (or the
 * database's notices with SEARCH_BACKEND=postgres) for a prompt swap, a slow
 * poll for when notice fails, SIGHUP for operators. With
 * INDEX_FOLLOW=signal only SIGHUP swaps (an operator who publishes by
 * hand). Started once per process.
 */
export function followIndex(): void {
  if (holder.following) return;
  holder.following = true;
  process.on("SIGHUP", () => {
    // A SIGHUP also retries a generation that was refused (it may have been repaired).
    holder.refused.clear();
    void reloadIndex("SIGHUP");
  });
  if (config().followBy === "signal") return;
  void store().then(
    (s) => s.follow((reason) => void reloadIndex(reason)),
    (e) => console.error(`search: cannot follow the index store (${(e as Error).message})`),
  );
  setInterval(() => {
    void store()
      .then((s) => s.current())
      .then((name) => {
        // A new generation, or (on the same one) live changes the watch may have missed.
        if (name && !holder.refused.has(name)) void reloadIndex("poll");
      })
      .catch(() => {});
  }, config().pollMs).unref();
}
