// Segmentation on worker threads for the index build: jieba is the slowest
// step (~2.6M characters/s per core here), and it parallelises cleanly.
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { segmentInProcess, type Segmented, type Segmenter } from "@/lib/search/generation";
import { decodeBatches, type SegmentedBatch } from "@/lib/search/segment-wire";

const MIN_TEXTS_FOR_WORKERS = 2000;
const WORKER = () => path.join(process.cwd(), "lib/search/segment-worker-bootstrap.cjs");


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
            resolve(decodeBatches([batch]));
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

export function parallelSegmenter(threads = Math.max(1, Math.min(4, os.availableParallelism?.() ?? os.cpus().length))): Segmenter {
  return async (texts) => {
    if (threads < 2 || texts.length < MIN_TEXTS_FOR_WORKERS) return segmentInProcess(texts);
    // Split by characters, not by count: a few very long reports would otherwise land on one thread.
    const total = texts.reduce((n, t) => n + t.length, 0);
    const slices: Array<[number, number]> = [];
    let from = 0;
    let acc = 0;
    for (let i = 0; i < texts.length; i++) {
      acc += texts[i].length;
      if (acc >= (total / threads) * (slices.length + 1) && slices.length < threads - 1) {
        slices.push([from, i + 1]);
        from = i + 1;
      }
    }
    slices.push([from, texts.length]);
    const worker = WORKER();
    const parts = await Promise.all(
      slices.map(
        ([a, b]) =>
          new Promise<SegmentedBatch>((resolve, reject) => {
            const w = new Worker(worker, { workerData: { texts: texts.slice(a, b) }, execArgv: [] });
            w.once("message", resolve);
            w.once("error", reject);
            w.once("exit", (code) => code !== 0 && reject(new Error(`index: segmentation worker exited with code ${code}`)));
          }),
      ),
    );
    return decodeBatches(parts);
  };
}
