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
import { crc32 } from "node:zlib";
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
    for (const [key, data] of await this.entries()) {
      bytes += data.byteLength;
      await fs.writeFile(path.join(dir, key), data);
    }
    return bytes;
  }

  /**
   * What fromFiles reads back (as files, or rows of a database): FlexSearch's
   * map and register as one binary file (see encodeWords). A starting server
   * builds the map from it in about half the time JSON.parse over
   * FlexSearch's own export takes, with nothing to decode from UTF-8.
   */
  async entries(): Promise<Array<[string, Uint8Array]>> {
    return [[WORDS_FILE, encodeWords(this.map, this.reg)]];
  }

  /**
   * A segment from its saved entries: WORDS_FILE, or (segments saved before
   * it) FlexSearch's export, JSON per key, imported by FlexSearch. `where`
   * names the segment in errors.
   */
  static async fromFiles(files: Array<[string, Uint8Array]>, docCount: number, where = "word segment"): Promise<WordIndex> {
    const w = new WordIndex();
    const binary = files.find(([key]) => key === WORDS_FILE);
    if (binary) decodeWords(binary[1], w.map, w.reg, `${where}/${WORDS_FILE}`);
    else for (const [key, data] of files) await w.index.import(key, wordEntryText(data));
    w.docCount = docCount;
    return w;
  }
}

/** The one file of a segment saved by this code. */
export const WORDS_FILE = "words.bin";
const WORDS_MAGIC = "FLEXMAP1";
/** Header: magic, then words, slots, ids, register entries, UTF-16 units of the words, CRC-32 of the body (u32 each). */
const WORDS_HEADER = 8 + 6 * 4;
/** A slot FlexSearch left empty (a hole in the word's array), as opposed to an empty list. */
const HOLE = 0xffffffff;

/**
 * FlexSearch's map (word → slots → ids; one slot with resolution 1) and
 * register (ids in order) as flat little-endian u32 arrays and the words'
 * UTF-16 units: per word its length in units and its slot count, per slot
 * its id count, then the ids, the register, the units. Map order and id
 * order are kept exactly: they are FlexSearch's answer order and the
 * vocabulary's.
 */
function encodeWords(map: Map<string, number[][]>, reg: Set<number>): Buffer {
  let slots = 0;
  let ids = 0;
  let units = 0;
  for (const [word, entry] of map) {
    units += word.length;
    slots += entry.length;
    for (let i = 0; i < entry.length; i++) ids += entry[i]?.length ?? 0;
  }
  const words = map.size;
  const body = new Uint32Array(2 * words + slots + ids + reg.size + Math.ceil(units / 2));
  const slotCountAt = words;
  const text = new Uint16Array(body.buffer, (2 * words + slots + ids + reg.size) * 4, units);
  let w = 0;
  let slot = 2 * words;
  let id = 2 * words + slots;
  let unit = 0;
  const notU32 = (x: number) => !(x >= 0 && x < HOLE && x === Math.floor(x));
  const refuse = (x: number, what: string) => new Error(`word index: ${what} ${x} is not a u32 (only document serials are saved)`);
  for (const [word, entry] of map) {
    body[w] = word.length;
    body[slotCountAt + w++] = entry.length;
    for (let i = 0; i < word.length; i++) text[unit++] = word.charCodeAt(i);
    for (let i = 0; i < entry.length; i++) {
      const list = entry[i];
      if (!list) {
        body[slot++] = HOLE;
        continue;
      }
      body[slot++] = list.length;
      for (let j = 0; j < list.length; j++) {
        const x = list[j];
        if (notU32(x)) throw refuse(x, `an id of ${JSON.stringify(word)}`);
        body[id++] = x;
      }
    }
  }
  for (const x of reg) {
    if (notU32(x)) throw refuse(x, "a registered id");
    body[id++] = x;
  }
  const bytes = Buffer.from(body.buffer);
  const head = Buffer.alloc(WORDS_HEADER);
  head.write(WORDS_MAGIC, 0, "latin1");
  [words, slots, ids, reg.size, units, crc32(bytes)].forEach((v, i) => head.writeUInt32LE(v, 8 + 4 * i));
  return Buffer.concat([head, bytes]);
}

/** Fills `map` and `reg` from encodeWords' bytes; an error naming `where` when they are not that. */
function decodeWords(bytes: Uint8Array, map: Map<string, number[][]>, reg: Set<number>, where: string): void {
  const fail = (why: string): never => {
    throw new Error(`${where}: not a saved word index (${why})`);
  };
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < WORDS_HEADER || buf.toString("latin1", 0, 8) !== WORDS_MAGIC) fail("no FLEXMAP1 header");
  const [words, slots, ids, regSize, units, crc] = [0, 1, 2, 3, 4, 5].map((i) => buf.readUInt32LE(8 + 4 * i));
  const count = 2 * words + slots + ids + regSize + Math.ceil(units / 2);
  if (buf.length !== WORDS_HEADER + count * 4) fail(`${buf.length} bytes, the header says ${WORDS_HEADER + count * 4}`);
  if (crc32(buf.subarray(WORDS_HEADER)) !== crc) fail("checksum mismatch");
  // u32 views need 4-byte alignment: copied once when the bytes are not aligned.
  const aligned = (buf.byteOffset + WORDS_HEADER) % 4 === 0 ? buf : Buffer.from(Uint8Array.prototype.slice.call(buf));
  const body = new Uint32Array(aligned.buffer, aligned.byteOffset + WORDS_HEADER, count);
  const text = Buffer.from(aligned.buffer, aligned.byteOffset + WORDS_HEADER + (2 * words + slots + ids + regSize) * 4, units * 2).toString("utf16le");
  let slot = 2 * words;
  let id = slot + slots;
  let unit = 0;
  for (let w = 0; w < words; w++) {
    const word = text.slice(unit, (unit += body[w]));
    const n = body[words + w];
    const entry: number[][] = new Array(n);
    for (let i = 0; i < n; i++) {
      const size = body[slot++];
      if (size === HOLE) continue;
      // Filled by index: about twice the speed of push or Array.from over the ×1 corpus's 5.7M ids.
      const list: number[] = new Array(size);
      for (let j = 0; j < size; j++) list[j] = body[id + j];
      id += size;
      entry[i] = list;
    }
    map.set(word, entry);
  }
  for (let i = 0; i < regSize; i++) reg.add(body[id++]);
  if (unit !== units || slot !== 2 * words + slots || id !== count - Math.ceil(units / 2)) fail("lengths do not add up");
}

/** The text of a word-layer entry saved as FlexSearch's export (segments saved before WORDS_FILE): ASCII as Latin-1 (a copy), else UTF-8. */
function wordEntryText(bytes: Uint8Array): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return isAscii(buf) ? buf.toString("latin1") : buf.toString("utf8");
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

  /**
   * This layer with one more segment (a live segment: serials from
   * `nextSerial` on) and every serial's new place: `remap` takes each of this
   * layer's documents to its new number (−1 where it is gone), `added[k]` is
   * the new number of serial nextSerial + k.
   */
  withSegment(segment: WordIndex, nextSerial: number, remap: Int32Array, added: ArrayLike<number>): WordLayer {
    const docOfSerial = new Int32Array(nextSerial + added.length).fill(-1);
    for (let serial = 0; serial < nextSerial; serial++) {
      const doc = this.docOfSerial ? (serial < this.docOfSerial.length ? this.docOfSerial[serial] : -1) : serial < remap.length ? serial : -1;
      if (doc >= 0) docOfSerial[serial] = remap[doc];
    }
    for (let k = 0; k < added.length; k++) docOfSerial[nextSerial + k] = added[k];
    return new WordLayer([...this.segments, segment], docOfSerial);
  }

  documents(word: string): Uint32Array {
    return joinedAscending(this.segments.map((segment) => docsOfSerials(Uint32Array.from(segment.ids(word)), this.docOfSerial)));
  }

  /** Distinct words over all segments (words only dead articles had included, until their segment is merged). */
  get vocabularySize(): number {
    if (this.segments.length === 1) return this.segments[0].vocabularySize;
    const all = new Set<string>();
    for (const s of this.segments) for (const w of s.vocabulary()) all.add(w);
    return all.size;
  }
}

/** Serials as this generation's documents (map: docOfSerial; null when they are the same), gone ones left out. */
export function docsOfSerials(serials: Uint32Array, map: Int32Array | null): Uint32Array {
  if (!map) return serials;
  const out = new Uint32Array(serials.length);
  let k = 0;
  for (let i = 0; i < serials.length; i++) {
    const serial = serials[i];
    const doc = serial < map.length ? map[serial] : -1;
    if (doc >= 0) out[k++] = doc;
  }
  return k === out.length ? out : out.slice(0, k);
}

/** A word's documents from each segment's (docsOfSerials), joined in ascending order: sorted only when they are not already. */
export function joinedAscending(rows: Uint32Array[]): Uint32Array {
  let docs = rows[0] ?? new Uint32Array(0);
  if (rows.length > 1) {
    docs = new Uint32Array(rows.reduce((n, r) => n + r.length, 0));
    let at = 0;
    for (const r of rows) {
      docs.set(r, at);
      at += r.length;
    }
  }
  for (let i = 1; i < docs.length; i++) if (docs[i - 1] > docs[i]) return docs.sort();
  return docs;
}
