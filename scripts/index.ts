// `npm run index [-- --full] [-- --watch] [files-or-folders…]`: reads
// CONTENT_DIR (or the paths given), builds a new index generation in
// INDEX_DIR — incrementally on top of the current one unless --full — and
// publishes it atomically; a running server swaps to it by itself. With
// --watch it stays running and re-indexes a moment after the last change
// (INDEX_WATCH_DEBOUNCE_MS): a few changed articles are written as live
// changes beside the generation, which servers apply in memory, and merged
// into a new generation when they have grown and the folder is quiet.
// Content problems are reported and skipped, as in `npm run ingest`.
import chokidar from "chokidar";
import path from "node:path";
import { formatProblem } from "@/lib/content/errors";
import { contentDir } from "@/lib/content/ingest";
import { describeRun, runIndex, type LiveState } from "@/lib/search/build/indexer";
import { earlySegmenter } from "@/lib/search/build/segmentation-pool";
import { config } from "@/lib/config/env.cjs";
import { adminStore } from "@/lib/admin/admin-store";
import { recordIndexRun } from "@/lib/admin/indexing";
import { syncSharedUploads } from "@/lib/admin/uploads";

async function once(targets: string[], full: boolean): Promise<void> {
  // Editors' corrections and withdrawals (the back office) hold in every run.
  await syncSharedUploads(adminStore());
  const r = await runIndex({ targets, full, overlay: await adminStore().overlay(), synonyms: await adminStore().synonymGroups() });
  await recordIndexRun(r, "command", null);
  for (const p of r.ingest.errors) process.stderr.write(`error: ${formatProblem(p)}\n`);
  process.stdout.write(`${describeRun(r)}\n`);
  const t = r.timings;
  process.stdout.write(`index: steps ${Object.entries(t).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(", ")}\n`);
}

/** A merge of grown live changes waits for this long without changes (a burst of edits is written live first). */
const MERGE_AFTER_QUIET_MS = 5000;

/** Re-indexes a moment after the last change under the targets; one run at a time, one line per run. */
function watchAndIndex(targets: string[]): void {
  const debounceMs = config().watchDebounceMs;
  // jieba stays loaded on one worker between generations.
  const segmenter = earlySegmenter();
  // A few changed articles are written as live changes beside the generation (build/live.ts); when they have grown,
  // a merge run writes them into a new generation once the folder is quiet.
  const live: LiveState = { base: null };
  let mergeDue = false;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let again = false;
  const changed = new Set<string>();
  const run = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    const files = [...changed];
    changed.clear();
    const merge = files.length === 0 && mergeDue;
    try {
      await syncSharedUploads(adminStore());
      const r = await runIndex({ targets, incrementalSegmenter: segmenter, overlay: await adminStore().overlay(), synonyms: await adminStore().synonymGroups(), live, merge });
      await recordIndexRun(r, merge ? "merge" : "watch", null);
      mergeDue = r.mergeDue;
      const shown = files.slice(0, 3).join(", ") + (files.length > 3 ? ` and ${files.length - 3} more` : "");
      process.stdout.write(`${describeRun(r)} [${merge ? "merge of the live changes" : `after changes to ${shown}`}]\n`);
      for (const p of r.ingest.errors) process.stderr.write(`error: ${formatProblem(p)}\n`);
    } catch (e) {
      process.stderr.write(`index: ${(e as Error).message}\n`);
    } finally {
      running = false;
      if (again) {
        again = false;
        schedule();
      } else if (mergeDue) {
        clearTimeout(timer);
        timer = setTimeout(() => void run(), MERGE_AFTER_QUIET_MS);
      }
    }
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void run(), debounceMs);
  };
  // chokidar, not fs.watch's recursive mode: on Linux, Node 20's loses a file replaced by a rename (an editor's or a
  // tool's atomic save) and then never reports its deletion. `atomic: false`: a deletion is told at once, not held back
  // 100 ms in case the file comes back (the run after the debounce reads whatever is there).
  const ready = targets.map((target) => {
    const watcher = chokidar.watch(target, { ignoreInitial: true, atomic: false });
    watcher.on("all", (_event, file) => {
      const name = path.relative(target, file);
      // Editors' swap and temporary files, and hidden folders, are not content.
      if (name.split(path.sep).some((part) => part.startsWith(".")) || /[~#]$|\.(swp|tmp|partial)$/u.test(name)) return;
      changed.add(name || target);
      schedule();
    });
    watcher.on("error", (e) => process.stderr.write(`index: watching ${target}: ${(e as Error).message}\n`));
    // Until its first scan is done, a file that appears counts as one found there (not a change): say "watching" after it.
    return new Promise<void>((resolve) => watcher.once("ready", () => resolve()));
  });
  const stop = () => {
    void Promise.all([segmenter.close(), live.store?.close()]).finally(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  void Promise.all(ready).then(() => process.stdout.write(`index: watching ${targets.join(", ")} (re-indexing ${debounceMs} ms after the last change; Ctrl-C stops)\n`));
}

async function main() {
  // Every environment variable checked before any work: a bad one is named here.
  config();
  const args = process.argv.slice(2);
  const full = args.includes("--full");
  const targets = args.filter((a) => !a.startsWith("--"));
  const roots = targets.length ? targets : [contentDir()];
  await once(roots, full);
  if (args.includes("--watch")) watchAndIndex(roots);
  // The back office's store (a PostgreSQL pool would keep the process alive).
  else await adminStore().close();
}

main().catch((e) => {
  process.stderr.write(`index: ${(e as Error).message}\n`);
  process.exit(1);
});
