// Where the real corpus lives for tests and benchmarks, and whether it is here.
import { existsSync } from "node:fs";
import path from "node:path";
import "./own-back-office";

export const CORPUS_DIR = path.resolve(process.env.CORPUS_DIR || path.join(__dirname, "../../shared/corpus"));
export const HAVE_CORPUS = existsSync(path.join(CORPUS_DIR, "dangjian-pages.jsonl"));
export const SKIP_REASON = `corpus tests skipped: no corpus at ${CORPUS_DIR} (set CORPUS_DIR to run them)`;

export function corpusFiles(): string[] {
  return ["cn-political-reports.jsonl", "dangjian-pages.jsonl", "school-news.jsonl", "tw-president-news.jsonl"].map((f) => path.join(CORPUS_DIR, f));
}
