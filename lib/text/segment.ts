// Word segmentation with jieba (nodejieba), kept behind this one module so the
// index and queries cut text the same way and the segmenter can be swapped.
// jieba's dictionary is Simplified: callers pass normalised (Simplified) text.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import nodejieba from "nodejieba";
import { JiebaCutter } from "@/lib/text/jieba-cut";

/** The party-building terms that must stay whole (三会一课, 两学一做 …), kept in the repo. */
const USER_DICT_PATH = path.join(process.cwd(), "lib/text/dict/party-terms.utf8");
// jieba also loads a 6 MB IDF table and a stop-word list for keyword
// extraction, which we never use; one-line stand-ins save ~150 ms per start.
const UNUSED_IDF_PATH = path.join(process.cwd(), "lib/text/dict/keyword-idf-unused.utf8");
const UNUSED_STOP_WORDS_PATH = path.join(process.cwd(), "lib/text/dict/stop-words-unused.utf8");

let loaded = false;

/** jieba's own files, as nodejieba.load receives them (the stand-ins for keyword extraction aside). */
export function jiebaFiles(): { dict: string; hmmDict: string; userDict: string } {
  const defaults = nodejieba as unknown as Record<"DEFAULT_DICT" | "DEFAULT_HMM_DICT", string>;
  return { dict: defaults.DEFAULT_DICT, hmmDict: defaults.DEFAULT_HMM_DICT, userDict: USER_DICT_PATH };
}

/** Loads nodejieba's dictionaries once (the index build: search-mode words). A missing file would abort the process inside C++, so paths are checked first. */
export function loadSegmenter(): void {
  if (loaded) return;
  const files = {
    ...jiebaFiles(),
    idfDict: UNUSED_IDF_PATH,
    stopWordDict: UNUSED_STOP_WORDS_PATH,
  };
  for (const [name, file] of Object.entries(files)) {
    if (!existsSync(file)) throw new Error(`segment: jieba ${name} not found at ${file}`);
  }
  nodejieba.load(files);
  loaded = true;
}

/** A fingerprint of the user dictionary: an index built with another one is refused. */
export function dictionaryFingerprint(): string {
  return createHash("sha256").update(readFileSync(USER_DICT_PATH)).digest("hex").slice(0, 16);
}

export function userDictionaryTerms(): string[] {
  return readFileSync(USER_DICT_PATH, "utf8")
    .split("\n")
    .map((l) => l.split(" ")[0])
    .filter(Boolean);
}

let queryCutter: JiebaCutter | null = null;

/**
 * Loads the query segmenter once: jieba's cut in TypeScript over the same
 * files (lib/text/jieba-cut.ts), so a server process does not hold
 * nodejieba's ~230 MB dictionary trie to cut queries of a few words.
 */
export function loadQuerySegmenter(saved?: SavedSegmenter | null): void {
  if (queryCutter) return;
  if (saved) {
    try {
      queryCutter = new JiebaCutter(saved);
      return;
    } catch (e) {
      console.error(`${(e as Error).message}; reading jieba's dictionary files instead`);
    }
  }
  // A missing file is an error naming it (JiebaCutter reads them itself; no C++ to abort here).
  queryCutter = new JiebaCutter(jiebaFiles());
}

/** A query segmenter saved with a generation (its bytes, and where they were read, for errors). */
export interface SavedSegmenter {
  tables: Uint8Array;
  where: string;
}

export function querySegmenterLoaded(): boolean {
  return queryCutter !== null;
}

/**
 * The query segmenter's tables, saved with each generation: a starting
 * server reads them (~20 ms) instead of building them from jieba's
 * dictionary (~250 ms), and cuts queries with the dictionary its index was
 * built with.
 */
export function querySegmenterTables(): Buffer {
  loadQuerySegmenter();
  return queryCutter!.tables();
}

/**
 * Words of a (normalised) query, exactly as nodejieba.cut(text, true) cuts
 * them (HMM on, so numbers and unknown names stay whole). Spaces are dropped.
 */
export function cut(text: string): string[] {
  loadQuerySegmenter();
  return queryCutter!.cut(text).filter((w) => w.trim().length > 0);
}

/** The same words through nodejieba itself (faster on long texts): for the benchmark's peers fed with jieba. */
export function cutNative(text: string): string[] {
  loadSegmenter();
  return nodejieba.cut(text, true).filter((w) => w.trim().length > 0);
}

/** Search-mode words: each long word and the dictionary words inside it. */
export function cutForSearch(text: string): string[] {
  loadSegmenter();
  return nodejieba.cutForSearch(text, true).filter((w) => w.trim().length > 0);
}

/** The words of a normalised text that go into the word index: search-mode words of two or more characters, once each. */
export function indexWords(text: string): string[] {
  return [...new Set(cutForSearch(text).filter((w) => w.length >= 2 && /[\p{L}\p{N}]/u.test(w)))];
}

let idfTable: { idf: Map<string, number>; average: number; stopWords: Set<string> } | null = null;

/**
 * jieba's inverse document frequencies (from its general corpus, so a
 * document's key terms depend on that document alone) and stop words, for key
 * term extraction at build time. Unknown words get the average, as jieba does.
 */
export function keywordIdf(): { idf: (word: string) => number; known: ReadonlyMap<string, number>; isStopWord: (word: string) => boolean } {
  if (!idfTable) {
    const defaults = nodejieba as unknown as Record<"DEFAULT_IDF_DICT" | "DEFAULT_STOP_WORD_DICT", string>;
    const idf = new Map<string, number>();
    let sum = 0;
    for (const line of readFileSync(defaults.DEFAULT_IDF_DICT, "utf8").split("\n")) {
      const space = line.lastIndexOf(" ");
      if (space <= 0) continue;
      const v = Number(line.slice(space + 1));
      idf.set(line.slice(0, space), v);
      sum += v;
    }
    const stopWords = new Set(readFileSync(defaults.DEFAULT_STOP_WORD_DICT, "utf8").split("\n").map((w) => w.trim()).filter(Boolean));
    // The party-building terms of our user dictionary are words too (三会一课), rarer than jieba's average.
    const average = sum / Math.max(1, idf.size);
    for (const line of readFileSync(USER_DICT_PATH, "utf8").split("\n")) {
      const word = line.split(" ")[0]?.trim();
      if (word && !idf.has(word)) idf.set(word, average);
    }
    idfTable = { idf, average, stopWords };
  }
  const t = idfTable;
  return { idf: (w) => t.idf.get(w) ?? t.average, known: t.idf, isStopWord: (w) => t.stopWords.has(w) };
}
