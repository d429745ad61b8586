// Segmentation on worker threads for the index build: jieba is the slowest
// step (~2.6M characters/s per core here), and it parallelises cleanly.
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { segmentInProcess, type Segmenter } from "@/lib/search/generation";

const MIN_TEXTS_FOR_WORKERS = 2000;

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
    const worker = path.join(process.cwd(), "lib/search/segment-worker-bootstrap.cjs");
    const parts = await Promise.all(
      slices.map(
        ([a, b]) =>
          new Promise<string[]>((resolve, reject) => {
            const w = new Worker(worker, { workerData: { texts: texts.slice(a, b) }, execArgv: [] });
            w.once("message", resolve);
            w.once("error", reject);
            w.once("exit", (code) => code !== 0 && reject(new Error(`index: segmentation worker exited with code ${code}`)));
          }),
      ),
    );
    return parts.flat().map((joined) => (joined ? joined.split(" ") : []));
  };
}
