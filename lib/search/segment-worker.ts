// Worker thread body for the index build: segments the texts it is sent with
// the same module (and dictionary) as everything else.
import { parentPort, workerData } from "node:worker_threads";
import { indexWords } from "@/lib/text/segment";

const texts = (workerData as { texts: string[] }).texts;
// Words joined by a space: one string per text is far cheaper to send back than arrays.
parentPort!.postMessage(texts.map((t) => indexWords(t).join(" ")));
