// The word layer: jieba search-mode words of every article in a FlexSearch
// index. It answers "which articles have this as a whole word", which ranks
// 马克 the person above 马克思 when someone searches 马克, and it holds the
// vocabulary for autocomplete. Exact recall is the n-gram layer's job.
//
// Words are segmented by us (jieba), so FlexSearch's own encoder is bypassed
// with `encode`: its defaults split numbers and drop repeated characters,
// both wrong for Chinese.
//
// The layer is a list of immutable segments, as Lucene keeps them: each one a
// FlexSearch index over the *serial numbers* of the articles it was built
// from. A serial is given to an article version once and never reused, so an
// incremental build adds one small segment for new and changed articles and
// leaves the others as they are; a removed or replaced article's serial just
// stops mapping to a document. Small segments are merged now and then.
import { isAscii } from "node:buffer";
import { promises as fs } from "node:fs";
import path from "node:path";
import { Index } from "flexsearch";

/** The options a saved word index must be loaded with: change them and the index must be rebuilt. */
export const WORD_INDEX_OPTIONS = { tokenize: "strict", resolution: 1, fastupdate: false } as const;

export class WordIndex {
  private pending: string[] = [];
  /** How many documents were added: the most one search can return. */
  docCount = 0;
  private readonly index: Index<false, false, true>;

  constructor() {
    this.index = new Index<false, false, true>({ ...WORD_INDEX_OPTIONS, encode: () => this.pending });
  }

  /**
   * Adds a document's words (already segmented and normalised). With these
   * options (strict, resolution 1, no context, no fastupdate) FlexSearch's
   * add puts the id at the end of slot 0 of each distinct word's entry and
   * registers it: done here directly, it costs a third of the time (the word
   * layer was ~7 s of a 35 s build at ×1). Exported files are byte for byte
   * those of FlexSearch's own add (tests/unit/word-index.test.ts). An id
   * already registered takes FlexSearch's own path (an update).
   */
  add(doc: number, words: readonly string[]): void {
    this.docCount++;
    if (words.length === 0) return;
    const reg = this.reg;
    if (reg.has(doc)) {
      this.pending = [...new Set(words)];
      this.index.add(doc, "-");
      this.pending = [];
      return;
    }
    const map = this.map;
    // A word given twice is added once: its list already ends with this document (no Set per document: at ×10,
    // 295k of them, each of a few hundred words).
    for (const word of words) {
      if (!word) continue; // FlexSearch skips an empty term but still registers the id
      const entry = map.get(word);
      if (!entry) {
        map.set(word, [[doc]]);
        continue;
      }
      const ids = (entry[0] ??= []);
      if (ids[ids.length - 1] !== doc) ids.push(doc);
    }
    reg.add(doc);
  }

  private get map(): Map<string, number[][]> {
    return (this.index as unknown as { map: Map<string, number[][]> }).map;
  }

  private get reg(): Set<number> {
    return (this.index as unknown as { reg: Set<number> }).reg;
  }

  /** The distinct words indexed (FlexSearch keeps them as the keys of its map). */
  vocabulary(): Iterable<string> {
    return this.map.keys();
  }

  get vocabularySize(): number {
    return this.map.size;
  }

  /** Ids having `word` as a whole word, in FlexSearch's order. */
  ids(word: string, limit = Math.max(1, this.docCount)): number[] {
    this.pending = [word];
    const ids = this.index.search("-", { limit }) as number[];
    this.pending = [];
    return ids;
  }

  async save(dir: string): Promise<number> {
    await fs.mkdir(dir, { recursive: true });
    let bytes = 0;
    const writes: Array<Promise<void>> = [];
    for (const [key, data] of await this.entries()) {
      bytes += Buffer.byteLength(data);
      writes.push(fs.writeFile(path.join(dir, key), data, "utf8"));
    }
    await Promise.all(writes);
    return bytes;
  }

  /**
   * FlexSearch's export: (key, data) pairs that fromFiles reads back (as files,
   * or rows of a database), the JSON written in ASCII (words' characters as
   * \u escapes, which JSON.parse reads back the same): a loading server then
   * takes the bytes as Latin-1, a copy, instead of decoding UTF-8 into a
   * two-byte string (the ×1 corpus's 35 MB: ~75 ms less of a cold start).
   */
  async entries(): Promise<Array<[string, string]>> {
    const out: Array<[string, string]> = [];
    await this.index.export((key: string, data: string) => {
      out.push([key, asciiJson(data)]);
    });
    return out;
  }

  static async fromFiles(files: Array<[string, string]>, docCount: number): Promise<WordIndex> {
    const w = new WordIndex();
    for (const [key, data] of files) await w.index.import(key, data);
    w.docCount = docCount;
    return w;
  }

}

const HEX = "0123456789abcdef";

/** JSON text with every unit past ASCII written as a \u escape (the same value to JSON.parse). */
export function asciiJson(json: string): string {
  let out = "";
  let run = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c < 0x80) continue;
    out += json.slice(run, i) + "\\u" + HEX[c >> 12] + HEX[(c >> 8) & 15] + HEX[(c >> 4) & 15] + HEX[c & 15];
    run = i + 1;
  }
  return run === 0 ? json : out + json.slice(run);
}

/** The text of a saved word-layer entry: ASCII as Latin-1 (a copy); UTF-8 otherwise (entries saved before asciiJson). */
export function wordEntryText(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString("latin1") : bytes.toString("utf8");
}

/** What the engine asks of the word layer. */
export interface WordLookup {
  /** Documents having `word` as a whole word, ascending. */
  documents(word: string): Uint32Array;
  readonly vocabularySize: number;
}

/**
 * The word layer of one generation: its segments, and where each serial
 * number is now (`docOfSerial[serial]`, -1 when that article version is gone).
 * `docOfSerial` null means the serials are the document numbers themselves
 * (a full build: one segment, nothing gone).
 */
export class WordLayer implements WordLookup {
  constructor(
    private readonly segments: readonly WordIndex[],
    private readonly docOfSerial: Int32Array | null,
  ) {}

  documents(word: string): Uint32Array {
    if (this.segments.length === 1 && !this.docOfSerial) return Uint32Array.from(this.segments[0].ids(word)).sort();
    const out: number[] = [];
    for (const segment of this.segments) {
      for (const serial of segment.ids(word)) {
        const doc = this.docOfSerial ? (serial < this.docOfSerial.length ? this.docOfSerial[serial] : -1) : serial;
        if (doc >= 0) out.push(doc);
      }
    }
    return Uint32Array.from(out).sort();
  }

  /** Distinct words over all segments (words only dead articles had included, until their segment is merged). */
  get vocabularySize(): number {
    if (this.segments.length === 1) return this.segments[0].vocabularySize;
    const all = new Set<string>();
    for (const s of this.segments) for (const w of s.vocabulary()) all.add(w);
    return all.size;
  }
}
