// Worker thread body for the index build: segments the texts it is sent with
// the same module (and dictionary) as everything else. Given texts in
// workerData it segments them and exits; without, it loads jieba at once and
// answers {texts} messages until closed (an index run starts it early, so the
// dictionary loads while the run reads its input).
import { parentPort, workerData } from "node:worker_threads";
import { encodeSegmented } from "@/lib/search/segment-wire";
import { keyTerms } from "@/lib/search/reader-aids";
import { indexWords, keywordIdf, loadSegmenter } from "@/lib/text/segment";

// The key terms are picked here too, while the words are at hand (the main thread has enough to do).
const segment = (texts: string[]) =>
  texts.map((t) => {
    const words = indexWords(t);
    return encodeSegmented(words, keyTerms(t, words));
  });

const given = (workerData as { texts?: string[] } | null)?.texts;
if (given) parentPort!.postMessage(segment(given));
else {
  loadSegmenter();
  // The IDF table for key terms too (a few hundred ms), before the first texts arrive.
  keywordIdf();
  parentPort!.on("message", (texts: string[]) => parentPort!.postMessage(segment(texts)));
}
