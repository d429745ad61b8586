// The word layer: jieba search-mode words of every article in a FlexSearch
// index. It answers "which articles have this as a whole word", which ranks
// 马克 the person above 马克思 when someone searches 马克, and it holds the
// vocabulary for autocomplete. Exact recall is the n-gram layer's job.
//
// Words are segmented by us (jieba), so FlexSearch's own encoder is bypassed
// with `encode`: its defaults split numbers and drop repeated characters,
// both wrong for Chinese.
import { promises as fs } from "node:fs";
import path from "node:path";
import { Index } from "flexsearch";

/** The options a saved word index must be loaded with: change them and the index must be rebuilt. */
export const WORD_INDEX_OPTIONS = { tokenize: "strict", resolution: 1, fastupdate: false } as const;

export class WordIndex {
  private pending: string[] = [];
  private readonly index: Index<false, false, true>;

  constructor() {
    this.index = new Index<false, false, true>({ ...WORD_INDEX_OPTIONS, encode: () => this.pending });
  }

  /** Adds a document's words (already segmented and normalised). */
  add(doc: number, words: readonly string[]): void {
    if (words.length === 0) return;
    this.pending = [...new Set(words)];
    this.index.add(doc, "-");
    this.pending = [];
  }

  /** How many distinct words are indexed (FlexSearch keeps them as the keys of its map). */
  get vocabularySize(): number {
    return (this.index as unknown as { map: Map<string, unknown> }).map.size;
  }

  /** Documents having `word` as a whole word, ascending. */
  documents(word: string, limit: number): Uint32Array {
    this.pending = [word];
    const ids = this.index.search("-", { limit }) as number[];
    this.pending = [];
    return Uint32Array.from(ids).sort();
  }

  async save(dir: string): Promise<number> {
    await fs.mkdir(dir, { recursive: true });
    let bytes = 0;
    const writes: Array<Promise<void>> = [];
    await this.index.export((key: string, data: string) => {
      bytes += Buffer.byteLength(data);
      writes.push(fs.writeFile(path.join(dir, key), data, "utf8"));
    });
    await Promise.all(writes);
    return bytes;
  }

  /** Reads a saved word index's files (key → data), without parsing them yet. */
  static async read(dir: string): Promise<Array<[string, string]>> {
    const keys = (await fs.readdir(dir)).sort();
    return Promise.all(keys.map(async (key) => [key, await fs.readFile(path.join(dir, key), "utf8")] as [string, string]));
  }

  static async fromFiles(files: Array<[string, string]>): Promise<WordIndex> {
    const w = new WordIndex();
    for (const [key, data] of files) await w.index.import(key, data);
    return w;
  }

  static async load(dir: string): Promise<WordIndex> {
    return WordIndex.fromFiles(await WordIndex.read(dir));
  }
}
