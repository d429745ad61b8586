// Segmentation on worker threads for the index build: jieba is the slowest
// step (~2.6M characters/s per core here), and it parallelises cleanly.
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { segmentInProcess, type Segmented, type Segmenter } from "@/lib/search/build/segmenter";
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
    const done: Array<DecodedBatch | undefined> = new Array(runs.length);
    const indexOf = new Map(runs.map((r, k) => [r.at, k]));
    let next = 0;
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
                done[indexOf.get(at)!] = decodeBatch(batch);
                for (; next < runs.length && done[next]; next++) onChunk?.(runs[next].at, done[next]!);
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
    return joinSegmented(done as DecodedBatch[]);
  };
}
