// The reader aids as a generation stores them: what the server reads
// (reader.json, or its blobs in PostgreSQL), what only the next incremental
// build reads (aids-carry.bin) and the signatures. Written by the stores from
// a build's aids and read back by them, for servers and for the next build.
import { READER_AIDS_VERSION, RELATED, SIGNATURE_STRIDE, type ReaderAids, type Vocabulary } from "@/lib/search/reader-aids/reader-aids";

/**
 * The stored form: what the server reads (reader.json: key terms, related
 * articles, groups, the vocabulary with pinyin, as few JSON values as
 * possible so it parses fast), what only the next incremental build reads
 * (aids-carry.bin: key term weights, every word's document frequency) and
 * the signatures (signatures.bin, both).
 */
interface StoredReader {
  version: number;
  /** Per article, its key terms joined by spaces. */
  keywords: string[];
  related: number[];
  groupOf: number[];
  vocabulary: StoredVocabulary;
}

interface StoredVocabulary {
  words: string;
  df: number[];
  pinyin: string;
}

export interface StoredAidFiles {
  reader: string;
  /**
   * aids-carry.bin: a 16-byte header (version, words, weights, bytes of
   * words), every key-term weight as float64 in document order, every word's
   * document frequency as u32, then the words joined by newlines (UTF-8).
   * Binary because the next incremental build reads it on every run.
   */
  carry: Buffer;
  signatures: Uint32Array;
}

export function storeAids(a: ReaderAids, df: Map<string, number>): StoredAidFiles {
  const reader: StoredReader = {
    version: READER_AIDS_VERSION,
    keywords: a.keywords.map((k) => k.join(" ")),
    related: Array.from(a.related),
    groupOf: Array.from(a.groupOf),
    vocabulary: storedVocabulary(a.vocabulary),
  };
  const weights = Float64Array.from(a.weights.flat());
  const counts = Uint32Array.from(df.values());
  const words = Buffer.from([...df.keys()].join("\n"), "utf8");
  const header = Buffer.alloc(16);
  header.writeUInt32LE(READER_AIDS_VERSION, 0);
  header.writeUInt32LE(counts.length, 4);
  header.writeUInt32LE(weights.length, 8);
  header.writeUInt32LE(words.length, 12);
  const carry = Buffer.concat([header, Buffer.from(weights.buffer), Buffer.from(counts.buffer), words]);
  return { reader: JSON.stringify(reader), carry, signatures: a.signatures };
}

/** An article's key terms as stored (joined by spaces). */
export const splitWords = (s: string) => (s ? s.split(" ") : []);

/** The vocabulary as stored (in the reader aids; alone for lean servers). */
export function storedVocabulary(v: Vocabulary): StoredVocabulary {
  return { words: v.words.join("\n"), df: Array.from(v.df), pinyin: v.pinyin.join("\n") };
}

/** The vocabulary from storedVocabulary's form (`json` as text, or parsed); `file` names it in errors. */
export function loadVocabulary(json: string | StoredVocabulary, file: string): Vocabulary {
  const v = typeof json === "string" ? (JSON.parse(json) as StoredVocabulary) : json;
  const words = v.words ? v.words.split("\n") : [];
  const pinyinList = v.pinyin ? v.pinyin.split("\n") : [];
  if (v.df.length !== words.length || pinyinList.length !== words.length) throw new Error(`${file}: the vocabulary's lists differ in length`);
  return { words, df: Uint32Array.from(v.df), pinyin: pinyinList };
}

/** The aids as the server needs them (no key term weights: only builds use those). */
export function loadAids(readerJson: string, signatures: Uint32Array, articles: number, file: string): ReaderAids {
  const s = JSON.parse(readerJson) as StoredReader;
  if (s.version !== READER_AIDS_VERSION) throw new Error(`${file}: reader aids of version ${s.version}, this code needs ${READER_AIDS_VERSION}`);
  if (s.keywords.length !== articles || s.groupOf.length !== articles || s.related.length !== articles * RELATED || signatures.length !== articles * SIGNATURE_STRIDE) {
    throw new Error(`${file}: reader aids do not cover the ${articles} articles`);
  }
  return {
    keywords: s.keywords.map(splitWords),
    weights: [],
    related: Int32Array.from(s.related),
    groupOf: Int32Array.from(s.groupOf),
    signatures,
    vocabulary: loadVocabulary(s.vocabulary, file),
  };
}

/** Adds what only builds read (weights, all document frequencies) to loaded aids. */
export function loadCarry(aids: ReaderAids, carry: Buffer, file: string): { aids: ReaderAids; df: Map<string, number> } {
  const bad = () => new Error(`${file}: does not match this generation's reader aids`);
  if (carry.length < 16 || carry.readUInt32LE(0) !== READER_AIDS_VERSION) throw bad();
  const wordCount = carry.readUInt32LE(4);
  const weightCount = carry.readUInt32LE(8);
  const wordBytes = carry.readUInt32LE(12);
  if (carry.length !== 16 + 8 * weightCount + 4 * wordCount + wordBytes) throw bad();
  if (aids.keywords.reduce((k, terms) => k + terms.length, 0) !== weightCount) throw bad();
  // Copied out: the buffer's offset need not be aligned for typed-array views.
  const flat = new Float64Array(weightCount);
  new Uint8Array(flat.buffer).set(carry.subarray(16, 16 + 8 * weightCount));
  const counts = new Uint32Array(wordCount);
  new Uint8Array(counts.buffer).set(carry.subarray(16 + 8 * weightCount, 16 + 8 * weightCount + 4 * wordCount));
  const text = carry.toString("utf8", 16 + 8 * weightCount + 4 * wordCount);
  const words = wordCount ? text.split("\n") : [];
  if (words.length !== wordCount) throw bad();
  const df = new Map<string, number>();
  for (let i = 0; i < wordCount; i++) df.set(words[i], counts[i]);
  let at = 0;
  const weights = aids.keywords.map((terms) => {
    const w = Array.from(flat.subarray(at, at + terms.length));
    at += terms.length;
    return w;
  });
  return { aids: { ...aids, weights }, df };
}
