// Worker thread body for the index build: segments the texts it is sent with
// the same module (and dictionary) as everything else. Given texts in
// workerData it segments them and exits; without, it loads jieba at once and
// answers messages until closed (an index run starts it early, so the
// dictionary loads while the run reads its input; a build in ranges keeps a
// pool of them for all its ranges).
import { parentPort, workerData } from "node:worker_threads";
import { encodeBatch, encodeSegmented, type SegmentedBatch } from "@/lib/search/build/segmentation-wire";
import { keyTerms } from "@/lib/search/reader-aids/reader-aids";
import { indexWords, keywordIdf, loadSegmenter } from "@/lib/text/segment";

// The key terms and the document frequencies are done here too, while the words are at hand (the main thread has
// enough to do after segmentation: at ×1 it spent ~0.7 s counting them).
const segment = (texts: string[]) => {
  const lists: string[][] = [];
  const joined = texts.map((t) => {
    const words = indexWords(t);
    lists.push(words);
    return encodeSegmented(words, keyTerms(t, words));
  });
  return encodeBatch(joined, lists);
};

/** Sends a batch (inside `message`, or as it is), its counts' buffer transferred rather than copied. */
const post = (batch: SegmentedBatch, message: unknown = batch) => parentPort!.postMessage(message, [batch.dfCounts.buffer as ArrayBuffer]);
const send = (texts: string[]) => post(segment(texts));
// Given runs of texts in workerData: each is segmented and sent on its own ({ at, batch }), so that the build can
// take it while this thread segments the next; then the thread exits.
const given = (workerData as { chunks?: Array<{ at: number; texts: string[] }> } | null)?.chunks;
if (given) {
  for (const { at, texts } of given) {
    const batch = segment(texts);
    post(batch, { at, batch });
  }
} else {
  loadSegmenter();
  // The IDF table for key terms too (a few hundred ms), before the first texts arrive.
  keywordIdf();
  // A list of texts (an early segmenter), or a run of a pooled one ({ at, texts }, answered as { at, batch }).
  parentPort!.on("message", (m: string[] | { at: number; texts: string[] }) => {
    if (Array.isArray(m)) return send(m);
    const batch = segment(m.texts);
    post(batch, { at: m.at, batch });
  });
}
