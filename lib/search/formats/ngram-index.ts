// The exact-recall layer: every character and every pair of adjacent
// characters of the normalised text, each with the sorted list of documents
// that contain it. Any literal substring of a document is found by
// intersecting the lists of its pairs (a superset, exact for one or two
// characters) and checking the few candidates with indexOf. Word indexes,
// jieba's included, cannot promise this: a query that crosses a word
// boundary (建工 in 党建/工作) or sits inside a longer word (组织 in 党组织)
// is not a token there. Typed arrays keep 30k articles in ~150 MB and load
// from disk without parsing.
//
// Runs of ASCII (digits, Latin letters, signs) also get every three and four
// units as keys ("long grams"). A pair of Chinese characters is one of
// millions and picks out few articles; a pair of digits is one of a hundred
// and picks out most of them: 2020 and 1000 had to read most of the library's
// texts to be checked (~50 ms at ×10, and seconds where the texts are in a
// database). With long grams a term of three or four ASCII units is exact,
// and a longer one (iphone, 2020年) is checked among the few articles holding
// all its long grams.

/** Text positions that never start or end an n-gram: separators between words, paragraphs and fields. */
function isBreak(c: number): boolean {
  return c === 0x20 || c === 0x0a;
}

import { closeSync, fstatSync, openSync, readSync, writeSync } from "node:fs";
import { closeWhenCollected } from "@/lib/search/formats/open-files";

// Keys fit in 32 bits: a character is its UTF-16 unit (< 0x10000); a pair puts
// the first unit in the high half, which is never zero for indexed text.
function unigramKey(c: number): number {
  return c;
}

function bigramKey(a: number, b: number): number {
  return ((a << 16) | b) >>> 0;
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/**
 * Whether two adjacent units form a pair key. A high surrogate followed by
 * anything but a low one (broken UTF-16) never does: those pair keys hold the
 * long grams instead (below), and such a pair is looked up by its two
 * characters and checked in the text.
 */
function pairable(a: number, b: number): boolean {
  return !isBreak(a) && !isBreak(b) && !(isHighSurrogate(a) && !isLowSurrogate(b));
}

/** The units long grams are made of: printable ASCII but the capital letters (normalised text has none), 68 of them. */
const LONG_UNITS = 68;
const longSymbols = (() => {
  const out = new Int8Array(0x80).fill(-1);
  let n = 0;
  for (let c = 0x21; c <= 0x7e; c++) if (c < 0x41 || c > 0x5a) out[c] = n++;
  return out;
})();

/** A unit's place among the long-gram units, or -1. */
function longSymbol(c: number): number {
  return c < 0x80 ? longSymbols[c] : -1;
}

const TRIGRAMS = LONG_UNITS ** 3;
const FREE_LOW_UNITS = 0x10000 - 0x400;

/**
 * A long gram's key: its number among all three- and four-unit grams, in the
 * pair keys no well-formed text has (a high surrogate followed by a unit that
 * is not a low surrogate; 1,024 × 63,488 of them, of which 21.7 million used).
 */
function longKey(n: number): number {
  const high = 0xd800 + Math.floor(n / FREE_LOW_UNITS);
  const low = n % FREE_LOW_UNITS;
  return bigramKey(high, low < 0xdc00 ? low : low + 0x400);
}

function trigramKey(s0: number, s1: number, s2: number): number {
  return longKey((s0 * LONG_UNITS + s1) * LONG_UNITS + s2);
}

function fourgramKey(s0: number, s1: number, s2: number, s3: number): number {
  return longKey(TRIGRAMS + ((s0 * LONG_UNITS + s1) * LONG_UNITS + s2) * LONG_UNITS + s3);
}

/** Where each unit of a term is in a run of three or more long-gram units: the run's end (exclusive), or -1 outside such runs. */
function longRunEnds(term: string): Int32Array {
  const ends = new Int32Array(term.length).fill(-1);
  for (let i = 0; i < term.length; ) {
    let e = i;
    while (e < term.length && longSymbol(term.charCodeAt(e)) >= 0) e++;
    if (e - i >= 3) ends.fill(e, i, e);
    i = Math.max(e, i + 1);
  }
  return ends;
}

/** The long grams of a run of long-gram units term[from, to) (three or more): its one trigram, or every four-gram. */
function longGramKeys(term: string, from: number, to: number, out: number[]): void {
  const s = (i: number) => longSymbol(term.charCodeAt(i));
  if (to - from === 3) out.push(trigramKey(s(from), s(from + 1), s(from + 2)));
  else for (let i = from; i + 4 <= to; i++) out.push(fourgramKey(s(i), s(i + 1), s(i + 2), s(i + 3)));
}

/**
 * Open-addressing hash table from n-gram key to a dense id. Plain Maps with
 * ~750k keys cost ~300 ns a lookup here; this costs a few tens.
 */
class GramTable {
  // Key and id side by side in one array: one cache miss per probe, not two.
  private slots = new Int32Array(2 << 20).fill(-1);
  private bits = 20;
  size = 0;
  keyOf: number[] = [];

  // Fibonacci hashing: the high bits of the product are the well-mixed ones.
  private home(key: number): number {
    return Math.imul(key, 0x9e3779b1) >>> (32 - this.bits);
  }

  idOf(key: number, insert: boolean): number {
    const slots = this.slots;
    const mask = (1 << this.bits) - 1;
    const k = key | 0;
    let slot = this.home(key);
    for (;;) {
      const id = slots[2 * slot + 1];
      if (id === -1) break;
      if (slots[2 * slot] === k) return id;
      slot = (slot + 1) & mask;
    }
    if (!insert) return -1;
    const id = this.size++;
    slots[2 * slot] = k;
    slots[2 * slot + 1] = id;
    this.keyOf.push(key >>> 0);
    if (this.size * 2 > mask) this.grow();
    return id;
  }

  private grow() {
    const old = this.slots;
    this.bits++;
    this.slots = new Int32Array(2 << this.bits).fill(-1);
    const mask = (1 << this.bits) - 1;
    for (let s = 0; s < old.length; s += 2) {
      if (old[s + 1] === -1) continue;
      let slot = this.home(old[s] >>> 0);
      while (this.slots[2 * slot + 1] !== -1) slot = (slot + 1) & mask;
      this.slots[2 * slot] = old[s];
      this.slots[2 * slot + 1] = old[s + 1];
    }
  }
}

/**
 * Appends the n-gram ids of a text to `out.ids` from `out.n` on. Characters
 * take their id from a direct table; only pairs go through the hash table.
 */
function appendGramIds(text: string, table: GramTable, charIds: Int32Array, out: { ids: Int32Array; n: number }): void {
  if (out.ids.length < out.n + text.length * 4) {
    const bigger = new Int32Array(Math.max(out.ids.length * 2, out.n + text.length * 4));
    bigger.set(out.ids.subarray(0, out.n));
    out.ids = bigger;
  }
  const ids = out.ids;
  let n = out.n;
  let prev = -1;
  // The long-gram symbols of the three units before this one (-1: not one).
  let s1 = -1;
  let s2 = -1;
  let s3 = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isBreak(c)) {
      prev = s1 = s2 = s3 = -1;
      continue;
    }
    let cid = charIds[c];
    if (cid === -1) cid = charIds[c] = table.idOf(unigramKey(c), true);
    ids[n++] = cid;
    if (prev >= 0 && pairable(prev, c)) ids[n++] = table.idOf(bigramKey(prev, c), true);
    const s = longSymbol(c);
    if (s >= 0 && s1 >= 0 && s2 >= 0) {
      ids[n++] = table.idOf(trigramKey(s2, s1, s), true);
      if (s3 >= 0) ids[n++] = table.idOf(fourgramKey(s3, s2, s1, s), true);
    }
    s3 = s2;
    s2 = s1;
    s1 = s;
    prev = c;
  }
  out.n = n;
}

/**
 * Where an index opened from its file finds its postings: the file stays
 * open and each lookup reads one key's documents (or frequencies) with one
 * positioned read. They come from the operating system's page cache, which
 * every server process on the machine shares, instead of a copy of the whole
 * file in each process's memory (125 MB at ×1, 1.25 GB at ×10).
 */
interface PostingFile {
  fd: number;
  /** Byte offsets of the postings and frequencies sections. */
  postingsAt: number;
  frequenciesAt: number;
  path: string;
  /** Per key, where its documents are in the index's held arrays; -1: in the file. */
  heldAt: Int32Array;
}

/**
 * Keys with at most this many documents keep them in memory when an index is
 * opened: nearly all keys (99.6% at ×1), half the postings at ×1 and a fifth
 * at ×10. A lookup of a rare n-gram, the usual case, then needs no read; the
 * long lists that make up the rest are read when asked for, and the work a
 * query does with a list that long costs far more than the read.
 */
const HELD_POSTINGS = 1024;

/** Bytes of lists read from the file that an opened index keeps for the next queries. */
const RECENT_LIST_BYTES = 32 << 20;

export class NgramIndex {
  private constructor(
    /** Sorted n-gram keys. */
    readonly keys: Uint32Array,
    /** Where each key's documents start in `postings`. */
    readonly starts: Uint32Array,
    /** How many documents each key has. */
    readonly counts: Uint32Array,
    /** Document numbers, ascending within each key (empty when they stay in the file). */
    readonly postings: Uint32Array,
    /** How often the n-gram occurs in each posting's document (capped at 255): term frequencies for ranking (empty when they stay in the file). */
    readonly frequencies: Uint8Array,
    private readonly file: PostingFile | null = null,
    private readonly total = postings.length,
  ) {}

  /** Key `k`'s documents: a view of the index, or an array read from its file (see `fromFile`). Never written to. */
  private docsAt(k: number): Uint32Array {
    return this.listAt(k, this.postings, 0);
  }

  private frequenciesAt(k: number): Uint8Array {
    return this.listAt(k, this.frequencies, 1);
  }

  /** Key `k`'s part of one section (0: documents, 1: frequencies): held, or read from the file. */
  private listAt<T extends Uint32Array | Uint8Array>(k: number, held: T, section: 0 | 1): T {
    const from = this.starts[k];
    const count = this.counts[k];
    const at = this.file ? this.file.heldAt[k] : from;
    if (at >= 0) return held.subarray(at, at + count) as T;
    const file = this.file!;
    return this.fromFile(2 * k + section, () => {
      const out = (section === 0 ? new Uint32Array(count) : new Uint8Array(count)) as T;
      readFully(file, out, section === 0 ? file.postingsAt + from * 4 : file.frequenciesAt + from);
      return out;
    });
  }

  /** Lists read from the file lately, least recently used first, and their bytes: the lists of the n-grams people search for stay at hand. */
  private readonly recent = new Map<number, Uint32Array | Uint8Array>();
  private recentBytes = 0;

  private fromFile<T extends Uint32Array | Uint8Array>(slot: number, read: () => T): T {
    const kept = this.recent.get(slot) as T | undefined;
    if (kept) {
      this.recent.delete(slot);
      this.recent.set(slot, kept);
      return kept;
    }
    const list = read();
    this.recent.set(slot, list);
    this.recentBytes += list.byteLength;
    for (const [old, oldList] of this.recent) {
      if (this.recentBytes <= RECENT_LIST_BYTES || old === slot) break;
      this.recent.delete(old);
      this.recentBytes -= oldList.byteLength;
    }
    return list;
  }

  /** One pass turns the texts into n-gram ids; then each n-gram's documents are counted and placed. */
  static build(texts: readonly string[]): NgramIndex {
    const steps = NgramIndex.building(texts, Infinity);
    for (let r = steps.next(); ; r = steps.next()) if (r.done) return r.value;
  }

  /** build() in steps: it pauses after every `every` texts (a server builds its titles' index so, between requests). */
  static *building(texts: readonly string[], every: number): Generator<void, NgramIndex, void> {
    const table = new GramTable();
    const charIds = new Int32Array(0x10000).fill(-1);
    // Each text's n-gram ids go to a scratch buffer; what is kept is each
    // distinct n-gram of the text once, with how often it occurs there (capped
    // at 255), and each n-gram's document count. (Keeping every occurrence of
    // every text and deduplicating afterwards held ~2x the memory and was the
    // slowest step of the build at x10.)
    const scratch = { ids: new Int32Array(1 << 16), n: 0 };
    let capacity = 1 << 20;
    let count = new Uint32Array(capacity);
    let inDoc = new Uint8Array(capacity); // occurrences in the current text, capped at 255 (0 = not seen yet)
    const kept = { ids: new Int32Array(1 << 20), freqs: new Uint8Array(1 << 20), n: 0 };
    const docEnd = new Uint32Array(texts.length);
    for (let doc = 0; doc < texts.length; doc++) {
      if (doc > 0 && doc % every === 0) yield;
      scratch.n = 0;
      appendGramIds(texts[doc], table, charIds, scratch);
      if (table.size > capacity) {
        while (capacity < table.size) capacity *= 2;
        const c = new Uint32Array(capacity);
        c.set(count);
        count = c;
        const d = new Uint8Array(capacity);
        d.set(inDoc);
        inDoc = d;
      }
      const ids = scratch.ids;
      const from = kept.n;
      if (kept.ids.length < from + scratch.n) {
        const size = Math.max(kept.ids.length * 2, from + scratch.n);
        const i = new Int32Array(size);
        i.set(kept.ids.subarray(0, from));
        kept.ids = i;
        const f = new Uint8Array(size);
        f.set(kept.freqs.subarray(0, from));
        kept.freqs = f;
      }
      let n = from;
      for (let k = 0; k < scratch.n; k++) {
        const id = ids[k];
        if (inDoc[id] === 0) kept.ids[n++] = id;
        if (inDoc[id] < 255) inDoc[id]++;
      }
      for (let k = from; k < n; k++) {
        const id = kept.ids[k];
        kept.freqs[k] = inDoc[id];
        inDoc[id] = 0;
        count[id]++;
      }
      kept.n = n;
      docEnd[doc] = n;
    }
    const n = table.size;
    // Postings are laid out in key order: one canonical layout, so that an
    // incremental merge (see `merge`) writes the very bytes a full build does.
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => table.keyOf[a] - table.keyOf[b]);
    const cursor = new Uint32Array(n);
    let total = 0;
    for (const id of order) {
      cursor[id] = total;
      total += count[id];
    }
    const startById = cursor.slice();
    const postings = new Uint32Array(total);
    const frequencies = new Uint8Array(total);
    for (let doc = 0, k = 0; doc < texts.length; doc++) {
      for (const end = docEnd[doc]; k < end; k++) {
        const at = cursor[kept.ids[k]]++;
        frequencies[at] = kept.freqs[k];
        postings[at] = doc;
      }
    }
    const keys = new Uint32Array(n);
    const starts = new Uint32Array(n);
    const counts = new Uint32Array(n);
    order.forEach((id, k) => {
      keys[k] = table.keyOf[id];
      starts[k] = startById[id];
      counts[k] = count[id];
    });
    return new NgramIndex(keys, starts, counts, postings, frequencies);
  }

  private slot(key: number): number {
    let lo = 0;
    let hi = this.keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = this.keys[mid];
      if (k === key) return mid;
      if (k < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  private lookup(key: number): Uint32Array {
    const k = this.slot(key);
    return k === -1 ? EMPTY : this.docsAt(k);
  }

  /**
   * Occurrence counts per document of a term of one or two units, written into
   * `into` (indexed by document; capped at 255). For longer terms, the smallest
   * count among its pairs: an upper bound, used only where counting exactly
   * would cost too much.
   */
  frequenciesOf(term: string, into: Uint8Array): void {
    frequenciesFrom(term, into, (key) => this.row(key));
  }

  /** One n-gram's documents and frequencies, by key; null when no document has it (a live segment merges rows this way). */
  row(key: number): GramRow | null {
    const k = this.slot(key);
    return k === -1 ? null : { docs: this.docsAt(k), freqs: this.frequenciesAt(k) };
  }

  /**
   * The documents (ascending) of an exact term (see `exact`) and its count in
   * each, side by side: what frequenciesOf writes, read in document order.
   */
  postingsOf(term: string): { docs: Uint32Array; freqs: Uint8Array } {
    const k = this.slot(postingKey(term));
    return k === -1 ? { docs: EMPTY, freqs: EMPTY_FREQS } : { docs: this.docsAt(k), freqs: this.frequenciesAt(k) };
  }

  /**
   * Documents that may contain `term` (normalised, no spaces): exact when the
   * term has one or two UTF-16 units, a superset otherwise (see `exact`).
   */
  candidates(term: string): Uint32Array {
    return candidatesFrom(term, (key) => this.lookup(key), this.intersections);
  }

  /** Recent candidates(term) results that took an intersection, least recently used first. */
  private readonly intersections = new Map<string, Uint32Array>();

  /**
   * Whether `candidates(term)` is exactly the set of documents containing
   * `term`: one unit, a pair, or three or four long-gram units (ASCII).
   */
  static exact(term: string): boolean {
    if (term.length <= 1) return !/[ \n]/u.test(term);
    if (term.length === 2) return pairable(term.charCodeAt(0), term.charCodeAt(1));
    if (term.length > 4) return false;
    for (let i = 0; i < term.length; i++) if (longSymbol(term.charCodeAt(i)) < 0) return false;
    return true;
  }

  /** Number of documents containing the single character or pair (for term weights). */
  get size(): { keys: number; postings: number } {
    return { keys: this.keys.length, postings: this.total };
  }

  /** Each n-gram with its documents and their frequencies (views into the index), in key order: rows for a database. */
  forEachGram(visit: (key: number, docs: Uint32Array, frequencies: Uint8Array) => void): void {
    for (let k = 0; k < this.keys.length; k++) visit(this.keys[k], this.docsAt(k), this.frequenciesAt(k));
  }

  /**
   * The index from its n-grams in ascending key order (the rows forEachGram
   * gives), with `postings` and `frequencies` filled in that order.
   */
  static fromParts(keys: Uint32Array, counts: Uint32Array, postings: Uint32Array, frequencies: Uint8Array, source = "n-gram index"): NgramIndex {
    if (counts.length !== keys.length || postings.length !== frequencies.length) throw new Error(`search: ${source}: n-gram parts differ in length`);
    const starts = new Uint32Array(keys.length);
    let at = 0;
    for (let k = 0; k < keys.length; k++) {
      if (k > 0 && keys[k] <= keys[k - 1]) throw new Error(`search: ${source}: n-gram keys out of order`);
      starts[k] = at;
      at += counts[k];
    }
    if (at !== postings.length) throw new Error(`search: ${source}: n-gram counts add up to ${at}, not ${postings.length} postings`);
    return new NgramIndex(keys, starts, counts, postings, frequencies);
  }

  /** The file's bytes in pieces, for writev: no 100 MB copy to join them. */
  serializeParts(): Buffer[] {
    if (this.file) throw new Error(`search: ${this.file.path} is opened, not held: copy the file instead of serializing it`);
    const header = new Uint32Array([MAGIC, FORMAT, this.keys.length, this.postings.length]);
    const parts = [header, this.keys, this.starts, this.counts, this.postings, this.frequencies];
    return parts.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  }

  serialize(): Buffer {
    return Buffer.concat(this.serializeParts());
  }

  /**
   * Opens an index file: its keys, starts and counts are read into memory
   * (12 bytes a key), and the documents of keys with at most `heldUpTo` of
   * them; the other postings and frequencies stay in the file and are read
   * per lookup. Answers are those of `deserialize` over the same bytes.
   */
  static open(file: string, heldUpTo = HELD_POSTINGS, chunk = CHUNK): NgramIndex {
    const fd = openSync(file, "r");
    try {
      const header = new Uint32Array(4);
      const size = fstatSync(fd).size;
      if (size < 16 || readSync(fd, header, 0, 16, 0) !== 16 || header[0] !== MAGIC || header[1] !== FORMAT) throw new Error(`search: ${file} is not an n-gram index of format ${FORMAT}`);
      const [, , nKeys, nPostings] = header;
      const expected = 16 + nKeys * 12 + nPostings * 5;
      if (size !== expected) throw new Error(`search: ${file} is truncated (${size} bytes, expected ${expected})`);
      const where: PostingFile = { fd, path: file, postingsAt: 16 + nKeys * 12, frequenciesAt: 16 + nKeys * 12 + nPostings * 4, heldAt: new Int32Array(nKeys) };
      const section = (k: number) => {
        const out = new Uint32Array(nKeys);
        readFully(where, out, 16 + k * nKeys * 4);
        return out;
      };
      const [keys, starts, counts] = [section(0), section(1), section(2)];
      let held = 0;
      let at = 0;
      for (let k = 0; k < nKeys; k++) {
        if (starts[k] !== at) throw new Error(`search: ${file}: postings out of key order at key ${k}`);
        at += counts[k];
        where.heldAt[k] = counts[k] <= heldUpTo ? held : -1;
        if (counts[k] <= heldUpTo) held += counts[k];
      }
      if (at !== nPostings) throw new Error(`search: ${file}: counts add up to ${at}, not ${nPostings} postings`);
      // One pass over each section copies the held lists; the long ones in between are skipped, not read.
      const postings = new Uint32Array(held);
      const frequencies = new Uint8Array(held);
      const docsIn = new SectionReader(fd, where.postingsAt, new Uint32Array(Math.max(1, chunk >> 2)));
      const freqsIn = new SectionReader(fd, where.frequenciesAt, new Uint8Array(chunk));
      for (let k = 0; k < nKeys; k++) {
        if (where.heldAt[k] < 0) {
          docsIn.skip(counts[k]);
          freqsIn.skip(counts[k]);
        } else {
          docsIn.copy(postings, where.heldAt[k], counts[k]);
          freqsIn.copy(frequencies, where.heldAt[k], counts[k]);
        }
      }
      const index = new NgramIndex(keys, starts, counts, postings, frequencies, where, nPostings);
      closeWhenCollected(index, fd);
      return index;
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  static deserialize(buf: Buffer, source = "n-gram index"): NgramIndex {
    // Typed-array views need 4-byte-aligned offsets; a file read whole usually is, otherwise copy.
    let bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
    if (buf.byteOffset % 4 !== 0) {
      bytes = new Uint8Array(new ArrayBuffer(buf.length));
      bytes.set(buf);
    }
    const at = bytes.byteOffset;
    const header = new Uint32Array(bytes.buffer, at, 4);
    if (buf.length < 16 || header[0] !== MAGIC || header[1] !== FORMAT) throw new Error(`search: ${source} is not an n-gram index of format ${FORMAT}`);
    const [, , nKeys, nPostings] = header;
    const expected = 16 + nKeys * 12 + nPostings * 5;
    if (buf.length !== expected) throw new Error(`search: ${source} is truncated (${buf.length} bytes, expected ${expected})`);
    const view = (k: number, len: number) => new Uint32Array(bytes.buffer, at + 16 + k * nKeys * 4, len);
    const postingsAt = at + 16 + nKeys * 12;
    return new NgramIndex(
      view(0, nKeys),
      view(1, nKeys),
      view(2, nKeys),
      new Uint32Array(bytes.buffer, postingsAt, nPostings),
      new Uint8Array(bytes.buffer, postingsAt + nPostings * 4, nPostings),
    );
  }
}

const MAGIC = 0x4e47524d; // "NGRM"
const FORMAT = 5;
const EMPTY = new Uint32Array(0);
const EMPTY_FREQS = new Uint8Array(0);

/** What the engine asks of the n-gram layer (NgramIndex here; a store's rows fetched per query, engine/lean-reader.ts). */
export interface NgramLookup {
  candidates(term: string): Uint32Array;
  postingsOf(term: string): { docs: Uint32Array; freqs: Uint8Array };
  frequenciesOf(term: string, into: Uint8Array): void;
}

/** One n-gram's documents and frequencies. */
export interface GramRow {
  docs: Uint32Array;
  freqs: Uint8Array;
}

/**
 * The n-gram keys a term's candidates intersect: its long grams where it has
 * runs of three or more long-gram units, its pairs elsewhere (a character
 * before a break, or both characters of a broken pair, where there is no pair).
 */
function candidateKeys(term: string): number[] {
  if (term.length === 0) return [];
  if (term.length === 1) return [unigramKey(term.charCodeAt(0))];
  const keys: number[] = [];
  walkGrams(term, keys, (a, b) => {
    if (isBreak(a) || isBreak(b)) {
      if (!isBreak(a)) keys.push(unigramKey(a));
    } else if (!pairable(a, b)) keys.push(unigramKey(a), unigramKey(b));
    else keys.push(bigramKey(a, b));
  });
  const last = term.charCodeAt(term.length - 1);
  if (!isBreak(last) && keys.length === 0) keys.push(unigramKey(last));
  return keys;
}

/** A term's long grams, in order, into `keys`, and each pair of adjacent units outside its long-gram runs to `pair`. */
function walkGrams(term: string, keys: number[], pair: (a: number, b: number) => void): void {
  const runs = longRunEnds(term);
  for (let i = 0; i + 1 < term.length; i++) {
    if (runs[i] >= 0 && (i === 0 || runs[i - 1] !== runs[i])) longGramKeys(term, i, runs[i], keys);
    if (runs[i] >= 0 && runs[i + 1] === runs[i]) continue;
    pair(term.charCodeAt(i), term.charCodeAt(i + 1));
  }
}

/**
 * The keys whose frequencies frequenciesOf reads for a term: its own key when
 * it is exact; otherwise its long grams and pairs, each occurring at least
 * as often as the term (the smallest count is an upper bound).
 */
function frequencyKeys(term: string): number[] {
  if (term.length === 1) return [unigramKey(term.charCodeAt(0))];
  if (NgramIndex.exact(term) && term.length > 2) return [postingKey(term)];
  const keys: number[] = [];
  walkGrams(term, keys, (a, b) => {
    if (pairable(a, b)) keys.push(bigramKey(a, b));
    else if (!isBreak(a) && !isBreak(b)) keys.push(unigramKey(a), unigramKey(b));
  });
  return keys;
}

/** The one key of an exact term (see NgramIndex.exact); -1 for the empty term (no documents). */
export function postingKey(term: string): number {
  if (!NgramIndex.exact(term)) throw new Error(`search: postingsOf needs an exact term (one unit, a pair, or three or four ASCII units; got ${JSON.stringify(term)})`);
  if (term.length === 0) return -1;
  if (term.length === 1) return unigramKey(term.charCodeAt(0));
  if (term.length === 2) return bigramKey(term.charCodeAt(0), term.charCodeAt(1));
  const keys: number[] = [];
  longGramKeys(term, 0, term.length, keys);
  return keys[0];
}

/** Every key the engine may read for a term: its candidates', its frequencies' and (exact terms) its postings'. */
export function keysOfTerm(term: string): number[] {
  return [...new Set([...candidateKeys(term), ...frequencyKeys(term)])];
}

/** NgramIndex.candidates over any row lookup (`lookup` gives EMPTY for a key no document has); intersections are kept in `kept`. */
export function candidatesFrom(term: string, lookup: (key: number) => Uint32Array, kept: Map<string, Uint32Array>): Uint32Array {
  const keys = candidateKeys(term);
  if (keys.length === 0) return EMPTY;
  if (keys.length === 1) return lookup(keys[0]);
  // An intersection: kept for the next few asks (a search asks for a term's candidates to match and again to weigh it).
  const k = kept.get(term);
  if (k) {
    kept.delete(term);
    kept.set(term, k);
    return k;
  }
  const out = intersectAll(keys.map(lookup));
  kept.set(term, out);
  if (kept.size > KEPT_INTERSECTIONS) kept.delete(kept.keys().next().value!);
  return out;
}

/** NgramIndex.frequenciesOf over any row lookup (null for a key no document has). */
export function frequenciesFrom(term: string, into: Uint8Array, row: (key: number) => GramRow | null): void {
  frequencyKeys(term).forEach((key, n) => {
    const r = row(key);
    if (!r) return;
    const { docs, freqs } = r;
    for (let p = 0; p < docs.length; p++) {
      const doc = docs[p];
      const f = freqs[p];
      if (n === 0 || f < into[doc]) into[doc] = f;
    }
  });
}

/** Fills `into` from the file at `position`; a short read means the file changed under us. */
function readFully(file: PostingFile, into: Uint32Array | Uint8Array, position: number): void {
  const bytes = into.byteLength;
  for (let done = 0; done < bytes; ) {
    const got = readSync(file.fd, into, done, bytes - done, position + done);
    if (got === 0) throw new Error(`search: ${file.path} ended early (read ${bytes} bytes at ${position})`);
    done += got;
  }
}

/** Intersection of sorted id lists, smallest first. */
export function intersectAll(lists: Uint32Array[]): Uint32Array {
  if (lists.length === 0) return EMPTY;
  const sorted = [...lists].sort((a, b) => a.length - b.length);
  // Three or more long lists of like lengths (1 2 3 4 5 6 7 8, 的 了 是 在: each in most of the library): each
  // document is counted in one array, list after list, instead of merging one list after another (~4x faster at ×10).
  if (sorted.length >= 3 && sorted.length < 255 && sorted[0].length >= 4096 && sorted[0].length * GALLOP_RATIO >= sorted[sorted.length - 1].length) return intersectByCounts(sorted);
  let acc: Uint32Array = sorted[0];
  for (let k = 1; k < sorted.length && acc.length > 0; k++) acc = intersect(acc, sorted[k]);
  return acc;
}

/** The documents in every list (the shortest first, fewer than 255 lists): how many lists so far hold each, in one array. */
function intersectByCounts(sorted: Uint32Array[]): Uint32Array {
  const first = sorted[0];
  const counts = new Uint8Array(first[first.length - 1] + 1);
  for (let i = 0; i < first.length; i++) counts[first[i]] = 1;
  for (let k = 1; k < sorted.length; k++) {
    const list = sorted[k];
    for (let i = 0; i < list.length; i++) {
      const doc = list[i];
      if (doc < counts.length && counts[doc] === k) counts[doc] = k + 1;
    }
  }
  const all = sorted.length;
  let n = 0;
  for (let i = 0; i < first.length; i++) if (counts[first[i]] === all) n++;
  const out = new Uint32Array(n);
  for (let i = 0, o = 0; i < first.length; i++) if (counts[first[i]] === all) out[o++] = first[i];
  return out;
}

export function intersect(a: Uint32Array, b: Uint32Array): Uint32Array {
  if (a.length > b.length) [a, b] = [b, a];
  if (a.length * GALLOP_RATIO < b.length) return gallop(a, b);
  const out = new Uint32Array(a.length);
  let n = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i];
    const y = b[j];
    if (x === y) {
      out[n++] = x;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return out.subarray(0, n);
}

/** How many intersected candidate lists an index keeps (each at most a list of its shortest pair's length). */
const KEPT_INTERSECTIONS = 64;

/** Above this ratio of lengths, intersect looks each of the short list's ids up in the long one instead of merging. */
const GALLOP_RATIO = 16;

/**
 * The intersection of a short sorted list with a much longer one: for each
 * id of the short list, the long one is searched from where the previous id
 * was found, in steps doubling until past it, then by halves (galloping).
 * At x10 the pairs of a long term have lists of tens of thousands of
 * documents next to ones of a few hundred; merging read all of them.
 */
function gallop(short: Uint32Array, long: Uint32Array): Uint32Array {
  const out = new Uint32Array(short.length);
  let n = 0;
  for (let i = 0, j = 0; i < short.length; i++) {
    j = seek(long, j, short[i]);
    if (j >= long.length) break;
    if (long[j] === short[i]) out[n++] = long[j++];
  }
  return out.subarray(0, n);
}

/**
 * The first place at or after `from` in an ascending list whose value is
 * `value` or more (the list's length when there is none): steps doubling
 * from `from`, then halves. Walking a list in step with ascending documents
 * costs the distance walked, not a binary search of the whole list each time.
 */
export function seek(list: Uint32Array, from: number, value: number): number {
  if (from >= list.length || list[from] >= value) return from;
  let lo = from; // list[lo] < value
  let step = 1;
  while (lo + step < list.length && list[lo + step] < value) {
    lo += step;
    step *= 2;
  }
  let hi = Math.min(lo + step, list.length);
  lo++;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function union(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(a.length + b.length);
  let n = 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i] < b[j])) out[n++] = a[i++];
    else if (i >= a.length || b[j] < a[i]) out[n++] = b[j++];
    else {
      out[n++] = a[i++];
      j++;
    }
  }
  return out.subarray(0, n);
}

/**
 * The union of any number of ascending id lists. Unioning one list after
 * another copied the growing result once per list (an OR of eight words with
 * their synonyms, ~15 lists of up to 10⁵ documents at ×10: ~20 ms); here
 * long lists mark their documents in one array and read them back in order,
 * and short ones are merged in pairs, halving their number each round.
 */
export function unionAll(lists: readonly Uint32Array[]): Uint32Array {
  if (lists.length === 0) return EMPTY;
  if (lists.length === 1) return lists[0];
  let total = 0;
  let max = 0;
  for (const list of lists) {
    total += list.length;
    if (list.length) max = Math.max(max, list[list.length - 1]);
  }
  if (total * 8 < max) {
    let round = [...lists];
    while (round.length > 1) {
      const next: Uint32Array[] = [];
      for (let i = 0; i < round.length; i += 2) next.push(i + 1 < round.length ? union(round[i], round[i + 1]) : round[i]);
      round = next;
    }
    return round[0];
  }
  const marks = new Uint8Array(max + 1);
  for (const list of lists) for (let i = 0; i < list.length; i++) marks[list[i]] = 1;
  let n = 0;
  for (let d = 0; d <= max; d++) n += marks[d];
  const out = new Uint32Array(n);
  for (let d = 0, k = 0; k < n; d++) if (marks[d]) out[k++] = d;
  return out;
}

export function difference(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(a.length);
  let n = 0;
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    while (j < b.length && b[j] < a[i]) j++;
    if (j >= b.length || b[j] !== a[i]) out[n++] = a[i];
  }
  return out.subarray(0, n);
}

/** Sequential reads of one section of a file through a small reused buffer. */
class SectionReader<T extends Uint32Array | Uint8Array> {
  private i = 0;
  private n = 0;
  constructor(
    private readonly fd: number,
    private pos: number,
    private readonly buf: T,
  ) {}

  next(): number {
    if (this.i === this.n) this.fill();
    return this.buf[this.i++];
  }

  /** Copies the next `count` values into `into` at `at`. */
  copy(into: T, at: number, count: number): void {
    while (count > 0) {
      if (this.i === this.n) this.fill();
      const take = Math.min(count, this.n - this.i);
      into.set(this.buf.subarray(this.i, this.i + take), at);
      this.i += take;
      at += take;
      count -= take;
    }
  }

  /** Passes over the next `count` values: what is buffered is dropped, the rest is never read. */
  skip(count: number): void {
    const buffered = this.n - this.i;
    if (count <= buffered) {
      this.i += count;
      return;
    }
    this.pos += (count - buffered) * this.buf.BYTES_PER_ELEMENT;
    this.i = this.n = 0;
  }

  private fill(): void {
    const bytes = readSync(this.fd, this.buf, 0, this.buf.byteLength, this.pos);
    if (bytes === 0) throw new Error("search: n-gram file ended early");
    this.pos += bytes;
    this.n = Math.floor(bytes / this.buf.BYTES_PER_ELEMENT);
    this.i = 0;
  }
}

/** Sequential writes of one section of a file through a small reused buffer. */
class SectionWriter<T extends Uint32Array | Uint8Array> {
  private n = 0;
  constructor(
    private readonly fd: number,
    private pos: number,
    private readonly buf: T,
  ) {}

  push(v: number): void {
    this.buf[this.n++] = v;
    if (this.n === this.buf.length) this.flush();
  }

  flush(): void {
    const bytes = this.n * this.buf.BYTES_PER_ELEMENT;
    for (let done = 0; done < bytes; ) done += writeSync(this.fd, this.buf, done, bytes - done, this.pos + done);
    this.pos += bytes;
    this.n = 0;
  }
}

/** What turns one generation's n-gram file into the next one's. */
export interface NgramMerge {
  /** `remap[doc]`: an old document's new number, -1 when it is gone. Survivors keep their relative order. */
  remap: Int32Array;
  /** The added (new and changed) documents' n-grams, and their new numbers (ascending). */
  added: NgramIndex;
  addedDocs: Uint32Array;
  /** The n-grams of the documents that are gone: how many postings each key loses. */
  removed: NgramIndex;
}

const CHUNK = 1 << 20;

/**
 * Writes the n-gram file a full build of the new document order would
 * write — byte for byte — from the previous file and the changes, in one
 * sequential pass through small buffers: the old file is never held in
 * memory, and no text is read again. Returns the number of keys.
 */
export function mergeNgramFile(from: string, to: string, m: NgramMerge, chunk = CHUNK): number {
  const src = openSync(from, "r");
  const dst = openSync(to, "w");
  try {
    const old = readKeyTable(src, from);
    const merged = mergedKeys(old, m);
    const outKeys = writeKeyTable(dst, merged);
    const postings = {
      in: new SectionReader(src, 16 + old.nKeys * 12, new Uint32Array(chunk)),
      freqsIn: new SectionReader(src, 16 + old.nKeys * 12 + old.nPostings * 4, new Uint8Array(chunk)),
      out: new SectionWriter(dst, 16 + outKeys * 12, new Uint32Array(chunk)),
      freqsOut: new SectionWriter(dst, 16 + outKeys * 12 + merged.total * 4, new Uint8Array(chunk)),
    };
    mergePostings(merged, m, postings);
    postings.out.flush();
    postings.freqsOut.flush();
    return outKeys;
  } finally {
    closeSync(src);
    closeSync(dst);
  }
}

/** The old file's header, keys and counts (its postings stay in the file, read in one pass by mergePostings). */
function readKeyTable(src: number, from: string): { nKeys: number; nPostings: number; keys: Uint32Array; counts: Uint32Array } {
  const header = new Uint32Array(4);
  readSync(src, header, 0, 16, 0);
  const [magic, format, nKeys, nPostings] = header;
  if (magic !== MAGIC || format !== FORMAT || fstatSync(src).size !== 16 + nKeys * 12 + nPostings * 5) throw new Error(`search: ${from} is not an n-gram index of format ${FORMAT}`);
  const keys = new Uint32Array(nKeys);
  const counts = new Uint32Array(nKeys);
  readSync(src, keys, 0, nKeys * 4, 16);
  readSync(src, counts, 0, nKeys * 4, 16 + nKeys * 8);
  return { nKeys, nPostings, keys, counts };
}

/** The merged key list: every old or added key (nk of them), its new count, its old count (postings to read past) and its slot among the added keys (−1: none). */
interface MergedKeys {
  nk: number;
  keys: Uint32Array;
  counts: Uint32Array;
  baseCount: Uint32Array;
  addedSlot: Int32Array;
  total: number;
}

/** The new key list and counts, from the old counts, what leaves and what comes. */
function mergedKeys(old: { nKeys: number; keys: Uint32Array; counts: Uint32Array }, m: NgramMerge): MergedKeys {
  const { nKeys, keys: bk, counts: bc } = old;
  const ak = m.added.keys;
  const rk = m.removed.keys;
  const keys = new Uint32Array(nKeys + ak.length);
  const counts = new Uint32Array(keys.length);
  const baseCount = new Uint32Array(keys.length);
  const addedSlot = new Int32Array(keys.length).fill(-1);
  let nk = 0;
  let total = 0;
  for (let i = 0, j = 0, r = 0; i < nKeys || j < ak.length; ) {
    const kb = i < nKeys ? bk[i] : Infinity;
    const ka = j < ak.length ? ak[j] : Infinity;
    const key = kb < ka ? kb : ka;
    let kept = 0;
    let before = 0;
    if (kb === key) {
      before = bc[i++];
      while (r < rk.length && rk[r] < key) r++;
      kept = before - (r < rk.length && rk[r] === key ? m.removed.counts[r] : 0);
    }
    const slot = ka === key ? j++ : -1;
    const count = kept + (slot >= 0 ? m.added.counts[slot] : 0);
    // A key whose every document is gone still has old postings to skip.
    if (count === 0 && before === 0) continue;
    keys[nk] = key;
    counts[nk] = count;
    baseCount[nk] = before;
    addedSlot[nk++] = slot;
    total += count;
  }
  return { nk, keys, counts, baseCount, addedSlot, total };
}

/** Writes the new file's header and key table (keys left with no documents are dropped); returns how many keys it lists. */
function writeKeyTable(dst: number, merged: MergedKeys): number {
  const { nk, keys, counts, total } = merged;
  let outKeys = 0;
  for (let k = 0; k < nk; k++) if (counts[k] > 0) outKeys++;
  const outKeyList = new Uint32Array(outKeys);
  const outStarts = new Uint32Array(outKeys);
  const outCounts = new Uint32Array(outKeys);
  for (let k = 0, o = 0, at = 0; k < nk; k++) {
    if (counts[k] === 0) continue;
    outKeyList[o] = keys[k];
    outStarts[o] = at;
    outCounts[o++] = counts[k];
    at += counts[k];
  }
  const head = Buffer.concat([new Uint32Array([MAGIC, FORMAT, outKeys, total]), outKeyList, outStarts, outCounts].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)));
  writeSync(dst, head, 0, head.length, 0);
  return outKeys;
}

/** Every key's postings in one pass: the old ones renumbered (gone documents dropped), the added ones merged in by document. */
function mergePostings(merged: MergedKeys, m: NgramMerge, io: { in: SectionReader<Uint32Array>; freqsIn: SectionReader<Uint8Array>; out: SectionWriter<Uint32Array>; freqsOut: SectionWriter<Uint8Array> }): void {
  const { nk, baseCount, addedSlot } = merged;
  const { in: postingsIn, freqsIn, out: postingsOut, freqsOut } = io;
  const { remap, addedDocs } = m;
  const ap = m.added.postings;
  const af = m.added.frequencies;
  for (let k = 0; k < nk; k++) {
    let left = baseCount[k];
    let q = 0;
    let qe = 0;
    if (addedSlot[k] >= 0) {
      q = m.added.starts[addedSlot[k]];
      qe = q + m.added.counts[addedSlot[k]];
    }
    if (q === qe) {
      // Only the old file has this key (the usual case): renumber, dropping gone documents.
      for (; left > 0; left--) {
        const doc = remap[postingsIn.next()];
        const freq = freqsIn.next();
        if (doc >= 0) {
          postingsOut.push(doc);
          freqsOut.push(freq);
        }
      }
      continue;
    }
    let doc = -1;
    let freq = 0;
    while (left > 0 && doc < 0) {
      doc = remap[postingsIn.next()];
      freq = freqsIn.next();
      left--;
    }
    while (doc >= 0 || q < qe) {
      if (doc >= 0 && (q >= qe || doc < addedDocs[ap[q]])) {
        postingsOut.push(doc);
        freqsOut.push(freq);
        doc = -1;
        while (left > 0 && doc < 0) {
          doc = remap[postingsIn.next()];
          freq = freqsIn.next();
          left--;
        }
      } else {
        postingsOut.push(addedDocs[ap[q]]);
        freqsOut.push(af[q++]);
      }
    }
  }
}
