// Worker thread body for the index build: segments the texts it is sent with
// the same module (and dictionary) as everything else. Given texts in
// workerData it segments them and exits; without, it loads jieba at once and
// answers {texts} messages until closed (an index run starts it early, so the
// dictionary loads while the run reads its input).
import { parentPort, workerData } from "node:worker_threads";
import { indexWords, loadSegmenter } from "@/lib/text/segment";

// Words joined by a space: one string per text is far cheaper to send back than arrays.
const segment = (texts: string[]) => texts.map((t) => indexWords(t).join(" "));

const given = (workerData as { texts?: string[] } | null)?.texts;
if (given) parentPort!.postMessage(segment(given));
else {
  loadSegmenter();
  parentPort!.on("message", (texts: string[]) => parentPort!.postMessage(segment(texts)));
}
