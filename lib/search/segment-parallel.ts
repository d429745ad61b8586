// Segmentation on worker threads for the index build: jieba is the slowest
// step (~2.6M characters/s per core here), and it parallelises cleanly.
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { segmentInProcess, type Segmented, type Segmenter } from "@/lib/search/generation";
import type { KeyTerms } from "@/lib/search/reader-aids";
import { decodeSegmented } from "@/lib/search/segment-wire";

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
  const segmenter: Segmenter = (texts, onBatch) => {
    const job = queue.then(
      () =>
        new Promise<Segmented>((resolve, reject) => {
          if (failure) return reject(failure);
          const onExit = (code: number) => reject(failure ?? new Error(`index: segmentation worker exited with code ${code}`));
          worker.once("exit", onExit);
          worker.once("message", (joined: string[]) => {
            worker.off("exit", onExit);
            const done = { words: new Array<string[]>(joined.length), terms: new Array<KeyTerms>(joined.length) };
            decodeSegmented(joined, 0, done.words, done.terms);
            onBatch?.(0, done);
            resolve(done);
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

/** Chunks per thread: results come back a chunk at a time, so the caller works on the first ones while jieba cuts the rest. */
const CHUNKS_PER_THREAD = 32;

/**
 * Segmentation on `threads` worker threads. The texts are cut into chunks of
 * about equal characters (a few very long reports would otherwise land on one
 * thread), dealt to the threads in turn; each thread sends each chunk back as
 * soon as it is cut, and `onBatch` gets the chunks in text order as they
 * complete, while the others are still being cut.
 */
export function parallelSegmenter(threads = Math.max(1, Math.min(4, os.availableParallelism?.() ?? os.cpus().length))): Segmenter {
  return async (texts, onBatch) => {
    if (threads < 2 || texts.length < MIN_TEXTS_FOR_WORKERS) return segmentInProcess(texts, onBatch);
    const chunks = chunkBounds(texts, threads * CHUNKS_PER_THREAD);
    const words: string[][] = new Array(texts.length);
    const terms: KeyTerms[] = new Array(texts.length);
    const arrived: boolean[] = new Array(chunks.length).fill(false);
    let next = 0;
    const deliver = () => {
      for (; next < chunks.length && arrived[next]; next++) {
        const [a, b] = chunks[next];
        onBatch?.(a, { words: words.slice(a, b), terms: terms.slice(a, b) });
      }
    };
    const worker = WORKER();
    await Promise.all(
      Array.from(
        { length: threads },
        (_, t) =>
          new Promise<void>((resolve, reject) => {
            const mine = chunks.map((_c, i) => i).filter((i) => i % threads === t);
            const w = new Worker(worker, { workerData: { chunks: mine.map((i) => texts.slice(...chunks[i])) }, execArgv: [] });
            let k = 0;
            w.on("message", (encoded: string[]) => {
              try {
                const i = mine[k++];
                decodeSegmented(encoded, chunks[i][0], words, terms);
                arrived[i] = true;
                deliver();
                if (k === mine.length) resolve();
              } catch (e) {
                void w.terminate();
                reject(e as Error);
              }
            });
            w.once("error", reject);
            w.once("exit", (code) => (code !== 0 ? reject(new Error(`index: segmentation worker exited with code ${code}`)) : k < mine.length && reject(new Error(`index: segmentation worker exited after ${k} of ${mine.length} chunks`))));
          }),
      ),
    );
    return { words, terms };
  };
}

/** [from, to) ranges of `texts` in order, `count` of them (fewer when there are fewer texts), of about equal characters. */
export function chunkBounds(texts: string[], count: number): Array<[number, number]> {
  const total = texts.reduce((n, t) => n + t.length, 0);
  const bounds: Array<[number, number]> = [];
  let from = 0;
  let acc = 0;
  for (let i = 0; i < texts.length; i++) {
    acc += texts[i].length;
    if (acc >= (total / count) * (bounds.length + 1) && bounds.length < count - 1) {
      bounds.push([from, i + 1]);
      from = i + 1;
    }
  }
  if (from < texts.length || bounds.length === 0) bounds.push([from, texts.length]);
  return bounds;
}
