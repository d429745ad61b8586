// The back office's index service (started by server/index-service.cjs, not
// by hand): waits for requests over IPC, runs the incremental index with the
// editors' overlay, records each run for the ingest report, and answers. One
// run at a time; requests that came during a run share the next one. jieba
// stays loaded on one worker thread between runs, as with --watch.
import { formatProblem } from "@/lib/content/errors";
import { serveIndexRequests, type IndexRequest } from "@/lib/admin/indexing";
import { describeRun, runIndex, type IndexRunResult, type LiveState } from "@/lib/search/build/indexer";
import { earlySegmenter } from "@/lib/search/build/segmentation-pool";
import { config } from "@/lib/config/env.cjs";
import { ANSWER, REQUEST } from "@/server/index-service.cjs";

type Request = IndexRequest & { type: string; id: string };

config();
const segmenter = earlySegmenter();
// A few changed articles are written as live changes (build/live.ts), searchable in well under a second; when they
// have grown, a merge writes them into a new generation while no request waits.
const live: LiveState = { base: null };
let mergeDue = false;
let queue: Request[] = [];
let running = false;

async function drain(): Promise<void> {
  if (running || !queue.length) return;
  running = true;
  const batch = queue;
  queue = [];
  try {
    let result: IndexRunResult | null = null;
    const answer = await serveIndexRequests(batch, async (o) => (result = await runIndex({ ...o, incrementalSegmenter: segmenter, live })));
    if (result) {
      mergeDue = (result as IndexRunResult).mergeDue;
      process.stdout.write(`${describeRun(result)} [back office: ${batch.map((b) => b.trigger).join(", ")}]\n`);
      for (const p of (result as IndexRunResult).ingest.errors) process.stderr.write(`error: ${formatProblem(p)}\n`);
    }
    for (const r of batch) process.send?.({ type: ANSWER, id: r.id, ok: true, answer });
  } catch (e) {
    const error = (e as Error).message;
    process.stderr.write(`index: ${error}\n`);
    for (const r of batch) process.send?.({ type: ANSWER, id: r.id, ok: false, error });
  } finally {
    running = false;
    if (queue.length) void drain();
    else if (mergeDue) setTimeout(() => void merge(), MERGE_AFTER_QUIET_MS).unref();
  }
}

/** A merge waits for this long without requests. */
const MERGE_AFTER_QUIET_MS = 5000;

/** Writes grown live changes into a new generation, unless requests came meanwhile (they run first; the merge waits for the next quiet). */
async function merge(): Promise<void> {
  if (running || queue.length || !mergeDue) return;
  running = true;
  try {
    let result: IndexRunResult | null = null;
    await serveIndexRequests([{ trigger: "merge", actor: null }], async (o) => (result = await runIndex({ ...o, incrementalSegmenter: segmenter, live, merge: true })));
    if (result) {
      mergeDue = (result as IndexRunResult).mergeDue;
      process.stdout.write(`${describeRun(result)} [merge of the live changes]\n`);
    }
  } catch (e) {
    process.stderr.write(`index: merge: ${(e as Error).message}\n`);
  } finally {
    running = false;
    void drain();
  }
}

process.on("message", (m: Request) => {
  if (!m || m.type !== REQUEST) return;
  queue.push(m);
  void drain();
});
// The parent's end: stop with it.
const stop = () => void Promise.all([segmenter.close(), live.store?.close()]).finally(() => process.exit(0));
process.on("disconnect", stop);
process.once("SIGTERM", stop);
