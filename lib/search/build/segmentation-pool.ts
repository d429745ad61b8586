// Segmentation on worker threads for the index build: jieba is the slowest
// step (~2.6M characters/s per core here), and it parallelises cleanly.
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { segmentInProcess, type ChunkListener, type Segmented, type Segmenter } from "@/lib/search/build/segmenter";
import { decodeBatch, joinSegmented, type DecodedBatch, type SegmentedBatch } from "@/lib/search/build/segmentation-wire";

const MIN_TEXTS_FOR_WORKERS = 2000;
const WORKER = () => path.join(process.cwd(), "lib/search/build/segmentation-worker-bootstrap.cjs");


/**
 * A segmenter on one worker thread that starts loading jieba's dictionary
 * now (seconds), so that the load overlaps whatever the caller does first.
 * `close()` ends the thread whether or not it was used.
 */
export function earlySegmenter(): Segmenter & { close(): Promise<void> } {
  const worker = new Worker(WORKER(), { execArgv: [] });
  let failure: Error | null = null;
  worker.on("error", (e) => (failure = e));
  let queue: Promise<unknown> = Promise.resolve();
  const segmenter = (texts: string[]) => {
    const job = queue.then(
      () =>
        new Promise<Segmented>((resolve, reject) => {
          if (failure) return reject(failure);
          const onExit = (code: number) => reject(failure ?? new Error(`index: segmentation worker exited with code ${code}`));
          worker.once("exit", onExit);
          worker.once("message", (batch: SegmentedBatch) => {
            worker.off("exit", onExit);
            resolve(decodeBatch(batch));
          });
          worker.postMessage(texts);
        }),
    );
    queue = job.catch(() => undefined);
    return job;
  };
  return Object.assign(segmenter, {
    async close() {
      await worker.terminate();
    },
  });
}

/** About this many characters of text per run sent to a thread (×1: ~14 runs; ×10: ~135). */
const CHUNK_CHARS = 2_000_000;

/**
 * Segmentation on `threads` worker threads. The texts are cut into runs of
 * about CHUNK_CHARS characters, dealt to the threads in turn, so runs finish
 * roughly in text order; each is handed to `onChunk` in order as soon as it
 * and every run before it are done.
 */
export function parallelSegmenter(threads = Math.max(1, Math.min(4, os.availableParallelism?.() ?? os.cpus().length))): Segmenter {
  return async (texts, onChunk) => {
    if (threads < 2 || texts.length < MIN_TEXTS_FOR_WORKERS) return segmentInProcess(texts);
    const runs = runsOf(texts, threads);
    const { take, joined } = inOrder(runs, onChunk);
    const worker = WORKER();
    await Promise.all(
      Array.from(
        { length: threads },
        (_, t) =>
          new Promise<void>((resolve, reject) => {
            const mine = runs.filter((_, k) => k % threads === t);
            if (mine.length === 0) return resolve();
            const w = new Worker(worker, { workerData: { chunks: mine }, execArgv: [] });
            let left = mine.length;
            w.on("message", ({ at, batch }: { at: number; batch: SegmentedBatch }) => {
              try {
                take(at, batch);
              } catch (e) {
                reject(e);
                void w.terminate();
                return;
              }
              if (--left === 0) resolve();
            });
            w.once("error", reject);
            w.once("exit", (code) => (code !== 0 || left > 0) && reject(new Error(`index: segmentation worker exited with code ${code}, ${left} runs unsent`)));
          }),
      ),
    );
    return joined();
  };
}

/** Runs of texts of about CHUNK_CHARS characters (fewer for few texts, so every thread gets two), with where each starts. */
function runsOf(texts: string[], threads: number): Array<{ at: number; texts: string[] }> {
  // Cut by characters, not by count: a few very long reports would otherwise make one run slow.
  const total = texts.reduce((n, t) => n + t.length, 0);
  const size = Math.max(1, Math.min(CHUNK_CHARS, Math.ceil(total / (threads * 2))));
  const runs: Array<{ at: number; texts: string[] }> = [];
  for (let from = 0, i = 0, acc = 0; i < texts.length; i++) {
    acc += texts[i].length;
    if (acc >= size || i === texts.length - 1) {
      runs.push({ at: from, texts: texts.slice(from, i + 1) });
      from = i + 1;
      acc = 0;
    }
  }
  return runs;
}

/** Segmented runs taken as they come back (in any order), handed to `onChunk` in text order, and joined once all are in. */
function inOrder(runs: Array<{ at: number }>, onChunk?: ChunkListener): { take(at: number, batch: SegmentedBatch): void; joined(): Segmented } {
  const done: Array<DecodedBatch | undefined> = new Array(runs.length);
  const indexOf = new Map(runs.map((r, k) => [r.at, k]));
  let next = 0;
  return {
    take(at, batch) {
      done[indexOf.get(at)!] = decodeBatch(batch);
      for (; next < runs.length && done[next]; next++) onChunk?.(runs[next].at, done[next]!);
    },
    joined: () => joinSegmented(done as DecodedBatch[]),
  };
}

/**
 * Segmentation on `threads` worker threads kept for every call until
 * `close()`: a build in ranges segments each range on the same threads,
 * without starting threads and loading jieba's dictionary per range. Runs of
 * a call are dealt to the threads in turn, as parallelSegmenter deals them.
 */
export function pooledSegmenter(threads = Math.max(1, Math.min(4, os.availableParallelism?.() ?? os.cpus().length))): Segmenter & { close(): Promise<void> } {
  const workers = Array.from({ length: threads }, () => new Worker(WORKER(), { execArgv: [] }));
  let failure: Error | null = null;
  const listeners = new Set<(e: Error) => void>();
  const fail = (e: Error) => {
    failure ??= e;
    for (const l of listeners) l(e);
  };
  for (const w of workers) {
    w.on("error", fail);
    w.on("exit", (code) => code !== 0 && fail(new Error(`index: segmentation worker exited with code ${code}`)));
  }
  let busy = false;
  const segmenter: Segmenter = (texts, onChunk) =>
    new Promise<Segmented>((resolve, reject) => {
      if (failure) return reject(failure);
      // Runs are told apart by where they start: one call at a time.
      if (busy) return reject(new Error("index: a pooled segmenter was called again before its last call was done"));
      const runs = runsOf(texts, threads);
      if (runs.length === 0) return resolve({ words: [], terms: [] });
      const { take, joined } = inOrder(runs, onChunk);
      busy = true;
      let left = runs.length;
      const onMessage = ({ at, batch }: { at: number; batch: SegmentedBatch }) => {
        try {
          take(at, batch);
          if (--left === 0) {
            finish();
            resolve(joined());
          }
        } catch (e) {
          finish();
          reject(e);
        }
      };
      const onFailure = (e: Error) => {
        finish();
        reject(e);
      };
      const finish = () => {
        busy = false;
        for (const w of workers) w.off("message", onMessage);
        listeners.delete(onFailure);
      };
      listeners.add(onFailure);
      for (const w of workers) w.on("message", onMessage);
      runs.forEach((run, k) => workers[k % threads].postMessage(run));
    });
  return Object.assign(segmenter, {
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  });
}
