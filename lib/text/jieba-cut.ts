// jieba's default cut (cppjieba's MixSegment with HMM, what nodejieba.cut(text,
// true) runs) in TypeScript, for the server's queries. nodejieba keeps its
// dictionary as tries of hash maps (two: one more for TextRank): ~230 MB
// resident and ~1.2 s to load in every server process, for queries of a few
// words. This reads the same files into typed arrays and cuts exactly as nodejieba
// does: tests compare both on generated text, on text made for exact ties and,
// when the corpus is present, on its titles and a sample of its bodies (all
// 118,116 corpus texts were compared once, without a difference). The index is
// still built with nodejieba.
//
// Followed step by step from cppjieba (node_modules/nodejieba/submodules/
// cppjieba/include/cppjieba): DictTrie (weights), PreFilter (separators),
// MPSegment (DAG + dynamic programming), MixSegment (runs of single
// characters to the HMM), HMMSegment (letters/numbers rules, Viterbi).
// Sums are taken in the same order as there, so ties break the same way.
import { readFileSync } from "node:fs";
import { crc32 } from "node:zlib";

const MIN_DOUBLE = -3.14e100;
// PreFilter's separators: space, tab, newline, "，" and "。".
const SEPARATORS = new Set([0x20, 0x09, 0x0a, 0xff0c, 0x3002]);
const E = 1;
const S = 3;

export interface JiebaFiles {
  dict: string;
  hmmDict: string;
  /** One or more files, separated by "|" or ";" as nodejieba takes them. */
  userDict?: string;
}

/** limonp::Split: cut at any of the pattern's characters; no empty field after a trailing one. */
function split(src: string, pattern: string): string[] {
  const res: string[] = [];
  let start = 0;
  while (start < src.length) {
    let end = -1;
    for (let i = start; i < src.length; i++) {
      if (pattern.includes(src[i])) {
        end = i;
        break;
      }
    }
    if (end < 0) {
      res.push(src.slice(start));
      return res;
    }
    res.push(src.slice(start, end));
    start = end + 1;
  }
  return res;
}

/** The code points of a string, as cppjieba decodes UTF-8 into runes. */
function runesOf(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) out.push(ch.codePointAt(0)!);
  return out;
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(`jieba-cut: cannot read the ${what} at ${file}: ${(e as Error).message}`);
  }
}

/** std::getline over a file: lines without "\n", no empty line after a final newline. */
function lines(file: string, what: string): string[] {
  const out = readText(file, what).split("\n");
  if (out.length > 0 && out[out.length - 1] === "") out.pop();
  return out;
}

// C's isspace in the "C" locale, as limonp's Trim uses it.
const isSpace = (c: string) => c === " " || c === "\t" || c === "\n" || c === "\v" || c === "\f" || c === "\r";
function trim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isSpace(s[a])) a++;
  while (b > a && isSpace(s[b - 1])) b--;
  return s.slice(a, b);
}

/**
 * Dictionary words → weights in typed arrays: an open-addressing hash table
 * over the words' UTF-16 units, looked up by a slice of the text being cut
 * without making a string. A Map of 350k strings held ~80 MB more and took
 * twice as long to fill.
 */
class WordTable {
  private units: Uint16Array;
  private used = 0;
  private readonly start: Uint32Array;
  private readonly length: Uint16Array;
  readonly weight: Float64Array;
  private count = 0;
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(capacity: number, unitsHint: number, saved?: WordTableArrays) {
    if (saved) {
      ({ units: this.units, start: this.start, length: this.length, weight: this.weight, slots: this.slots } = saved);
      this.used = saved.units.length;
      this.count = saved.start.length;
      this.mask = saved.slots.length - 1;
      return;
    }
    this.units = new Uint16Array(Math.max(16, unitsHint));
    this.start = new Uint32Array(capacity);
    this.length = new Uint16Array(capacity);
    this.weight = new Float64Array(capacity);
    let size = 1;
    while (size < capacity * 2) size <<= 1;
    this.slots = new Int32Array(size).fill(-1);
    this.mask = size - 1;
  }

  /** The table as it stands (views, trimmed to what is used). */
  arrays(): WordTableArrays {
    return { units: this.units.subarray(0, this.used), start: this.start.subarray(0, this.count), length: this.length.subarray(0, this.count), weight: this.weight.subarray(0, this.count), slots: this.slots };
  }

  private static hash(s: string, from: number, to: number): number {
    let h = 0x811c9dc5;
    for (let i = from; i < to; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    return (h ^ (h >>> 15)) >>> 0;
  }

  private same(entry: number, s: string, from: number, to: number): boolean {
    const n = to - from;
    if (this.length[entry] !== n) return false;
    const at = this.start[entry];
    for (let i = 0; i < n; i++) if (this.units[at + i] !== s.charCodeAt(from + i)) return false;
    return true;
  }

  /** The entry of s[from, to), or -1. */
  find(s: string, from: number, to: number): number {
    for (let slot = WordTable.hash(s, from, to) & this.mask; ; slot = (slot + 1) & this.mask) {
      const e = this.slots[slot];
      if (e < 0) return -1;
      if (this.same(e, s, from, to)) return e;
    }
  }

  /** Sets the weight of s[from, to): a word already there takes the new weight, as a later trie insert does. */
  set(s: string, from: number, to: number, weight: number): void {
    let slot = WordTable.hash(s, from, to) & this.mask;
    for (; ; slot = (slot + 1) & this.mask) {
      const e = this.slots[slot];
      if (e < 0) break;
      if (this.same(e, s, from, to)) {
        this.weight[e] = weight;
        return;
      }
    }
    if (this.count === this.start.length) throw new Error("jieba-cut: more words than counted");
    const n = to - from;
    if (this.used + n > this.units.length) {
      const grown = new Uint16Array(Math.max(this.units.length * 2, this.used + n));
      grown.set(this.units);
      this.units = grown;
    }
    for (let i = 0; i < n; i++) this.units[this.used + i] = s.charCodeAt(from + i);
    const e = this.count++;
    this.start[e] = this.used;
    this.length[e] = n;
    this.weight[e] = weight;
    this.used += n;
    this.slots[slot] = e;
  }
}

interface WordTableArrays {
  units: Uint16Array;
  start: Uint32Array;
  length: Uint16Array;
  weight: Float64Array;
  slots: Int32Array;
}

/** What a saved cutter holds besides its arrays (JSON: doubles round-trip exactly). */
interface TablesHeader {
  version: number;
  count: number;
  used: number;
  slots: number;
  minWeight: number;
  userSingles: number[];
  startProb: number[];
  transProb: number[][];
  emitSizes: number[];
  /** [code point, longest word] for code points past the BMP that start a word. */
  longestAstral: Array<[number, number]>;
  /** CRC-32 of the bytes after the header. */
  crc: number;
}

const TABLES_MAGIC = "JIEBACUT";
const TABLES_VERSION = 1;

/** The typed arrays of a saved cutter in file order: widest elements first, so that each starts aligned. */
function tableLayout(h: Pick<TablesHeader, "count" | "used" | "slots" | "emitSizes">): Array<[string, { BYTES_PER_ELEMENT: number }, number]> {
  const emitted = h.emitSizes.reduce((a, b) => a + b, 0);
  return [
    ["weight", Float64Array, h.count],
    ["emitProb", Float64Array, emitted],
    ["start", Uint32Array, h.count],
    ["slots", Int32Array, h.slots],
    ["emitRune", Uint32Array, emitted],
    ["units", Uint16Array, h.used],
    ["length", Uint16Array, h.count],
    ["longest", Uint8Array, 0x10000],
  ];
}

/** A field of digits read as atof reads it (exact for integers below 2^53); anything else through parseFloat. */
function parseFreq(s: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9 || v > 2 ** 50) return parseFloat(s.slice(from, to));
    v = v * 10 + d;
  }
  return to > from ? v : parseFloat(s.slice(from, to));
}

export class JiebaCutter {
  private readonly words: WordTable;
  /** Per first code point, the longest word it starts (in UTF-16 units, at most 255): no trie walk goes further. */
  private readonly longest = new Uint8Array(0x110000);
  private readonly minWeight: number;
  private readonly userSingles = new Set<number>();
  private readonly startProb: number[] = [];
  private readonly transProb: number[][] = [];
  private readonly emit: Array<Map<number, number>> = [];

  /**
   * From jieba's files (~250 ms in a fresh process: 350k lines parsed,
   * hashed and weighed), or from `tables()` saved earlier (a few ms): the
   * index build saves them with each generation, so a starting server reads
   * them instead of the dictionary. `where` names the saved tables in errors.
   */
  constructor(source: JiebaFiles | { tables: Uint8Array; where: string }) {
    if ("tables" in source) {
      const t = readTables(source.tables, source.where);
      this.words = new WordTable(0, 0, t.words);
      this.longest.set(t.longest);
      for (const [cp, len] of t.header.longestAstral) this.longest[cp] = len;
      this.minWeight = t.header.minWeight;
      for (const cp of t.header.userSingles) this.userSingles.add(cp);
      this.startProb = t.header.startProb;
      this.transProb = t.header.transProb;
      this.emit = t.emit;
      return;
    }
    const files = source;
    // DictTrie::LoadDict: "word freq tag" per line, freq parsed with atof; read in place, no string per line.
    const text = readText(files.dict, "jieba dictionary");
    const spans: number[] = []; // word start, word end, per line
    const freqs: number[] = [];
    for (let at = 0; at < text.length; ) {
      let eol = text.indexOf("\n", at);
      if (eol < 0) eol = text.length;
      const a = text.indexOf(" ", at);
      const b = a < 0 || a >= eol ? -1 : text.indexOf(" ", a + 1);
      // Exactly three fields: two spaces, neither at the end, no third.
      const c = b < 0 ? -1 : text.indexOf(" ", b + 1);
      if (a <= at || a >= eol || b < 0 || b >= eol - 1 || (c >= 0 && c < eol)) {
        throw new Error(`jieba-cut: ${files.dict}: a line without 3 fields: ${JSON.stringify(text.slice(at, Math.min(eol, at + 80)))}`);
      }
      spans.push(at, a);
      freqs.push(parseFreq(text, a + 1, b));
      at = eol + 1;
    }
    if (freqs.length === 0) throw new Error(`jieba-cut: ${files.dict} has no words`);
    // CalcFreqSum, then CalculateWeight: log(freq / sum).
    let sum = 0;
    for (const f of freqs) sum += f;
    const weights = new Float64Array(freqs.length);
    for (let i = 0; i < freqs.length; i++) weights[i] = Math.log(freqs[i] / sum);
    // SetStaticWordWeights (WordWeightMedian): min and median of the sorted weights.
    const sorted = weights.slice().sort();
    this.minWeight = sorted[0];
    const median = sorted[Math.floor(sorted.length / 2)];
    // LoadUserDict: 1 field → median weight, 2 fields (word tag) → median, 3 → log(freq / sum).
    const user: Array<[string, number]> = [];
    if (files.userDict) {
      for (const file of split(files.userDict, "|;")) {
        for (const line of lines(file, "jieba user dictionary")) {
          if (line.length === 0) continue;
          const buf = split(line, " ");
          if (buf.length > 3) continue; // cppjieba pushes an empty unit, which the trie ignores
          user.push([buf[0], buf.length === 3 ? Math.log((1.0 * atoi(buf[1])) / sum) : median]);
          const r = runesOf(buf[0]);
          if (r.length === 1) this.userSingles.add(r[0]);
        }
      }
    }
    // CreateTrie: words inserted in order, a later unit replaces an earlier one.
    this.words = new WordTable(freqs.length + user.length, text.length >> 2);
    const add = (s: string, from: number, to: number, weight: number) => {
      if (to <= from) return;
      this.words.set(s, from, to, weight);
      const first = s.codePointAt(from)!;
      // UTF-16 units bound the runes from above: a longer bound only costs a lookup that finds nothing.
      this.longest[first] = Math.max(this.longest[first], Math.min(255, to - from));
    };
    for (let i = 0; i < freqs.length; i++) add(text, spans[2 * i], spans[2 * i + 1], weights[i]);
    for (const [word, weight] of user) add(word, 0, word.length, weight);
    // HMMModel::LoadModel: non-empty, non-# lines: start, 4 transition rows, 4 emission maps (B E M S).
    const model = lines(files.hmmDict, "jieba HMM model")
      .map(trim)
      .filter((l) => l.length > 0 && !l.startsWith("#"));
    if (model.length < 9) throw new Error(`jieba-cut: ${files.hmmDict}: expected 9 lines of model, found ${model.length}`);
    const row = (l: string) => {
      const v = split(l, " ").map((x) => parseFloat(x));
      if (v.length !== 4) throw new Error(`jieba-cut: ${files.hmmDict}: a probability row without 4 values`);
      return v;
    };
    this.startProb = row(model[0]);
    for (let i = 0; i < 4; i++) this.transProb.push(row(model[1 + i]));
    for (let i = 0; i < 4; i++) {
      const m = new Map<number, number>();
      for (const item of split(model[5 + i], ",")) {
        const kv = split(item, ":");
        const r = kv.length === 2 ? runesOf(kv[0]) : [];
        if (r.length !== 1) throw new Error(`jieba-cut: ${files.hmmDict}: a bad emission entry ${JSON.stringify(item.slice(0, 40))}`);
        m.set(r[0], parseFloat(kv[1]));
      }
      this.emit.push(m);
    }
  }

  /** Everything this cutter needs, as bytes that `new JiebaCutter({ tables })` reads back (the same cuts). */
  tables(): Buffer {
    const words = this.words.arrays();
    const emitSizes = this.emit.map((m) => m.size);
    const emitRune = new Uint32Array(emitSizes.reduce((a, b) => a + b, 0));
    const emitProb = new Float64Array(emitRune.length);
    let at = 0;
    for (const m of this.emit) {
      for (const [rune, prob] of m) {
        emitRune[at] = rune;
        emitProb[at++] = prob;
      }
    }
    const longestAstral: Array<[number, number]> = [];
    for (let cp = 0x10000; cp < this.longest.length; cp++) if (this.longest[cp]) longestAstral.push([cp, this.longest[cp]]);
    const arrays: Record<string, ArrayBufferView> = { ...words, emitRune, emitProb, longest: this.longest.subarray(0, 0x10000) };
    const shape = { count: words.start.length, used: words.units.length, slots: words.slots.length, emitSizes };
    const body = Buffer.concat(tableLayout(shape).map(([name]) => Buffer.from(arrays[name].buffer, arrays[name].byteOffset, arrays[name].byteLength)));
    const header: TablesHeader = {
      version: TABLES_VERSION,
      ...shape,
      minWeight: this.minWeight,
      userSingles: [...this.userSingles],
      startProb: this.startProb,
      transProb: this.transProb,
      longestAstral,
      crc: crc32(body),
    };
    const json = Buffer.from(JSON.stringify(header), "utf8");
    const head = Buffer.alloc(align8(TABLES_MAGIC.length + 4 + json.length));
    head.write(TABLES_MAGIC, 0, "latin1");
    head.writeUInt32LE(json.length, TABLES_MAGIC.length);
    json.copy(head, TABLES_MAGIC.length + 4);
    return Buffer.concat([head, body]);
  }

  /** The words of a text, as nodejieba.cut(text, true) returns them (separators and spaces included). */
  cut(text: string): string[] {
    // nodejieba receives the string as UTF-8: a lone surrogate arrives as U+FFFD.
    const s = text.toWellFormed();
    const runes: number[] = [];
    const offsets: number[] = []; // UTF-16 offset of each rune, and one past the end
    for (let i = 0; i < s.length; ) {
      const cp = s.codePointAt(i)!;
      runes.push(cp);
      offsets.push(i);
      i += cp > 0xffff ? 2 : 1;
    }
    offsets.push(s.length);
    const out: string[] = [];
    const push = (left: number, right: number) => out.push(s.slice(offsets[left], offsets[right + 1]));
    // PreFilter: a separator is a range of its own.
    let cursor = 0;
    while (cursor < runes.length) {
      const begin = cursor;
      let end = runes.length;
      while (cursor < runes.length) {
        if (SEPARATORS.has(runes[cursor])) {
          if (begin === cursor) cursor++;
          end = cursor;
          break;
        }
        cursor++;
      }
      this.mixCut(s, runes, offsets, begin, end, push);
    }
    return out;
  }

  private mixCut(s: string, runes: number[], offsets: number[], begin: number, end: number, push: (l: number, r: number) => void): void {
    const words = this.mpCut(s, runes, offsets, begin, end);
    for (let i = 0; i < words.length; i += 2) {
      const left = words[i];
      const right = words[i + 1];
      if (left !== right || this.userSingles.has(runes[left])) {
        push(left, right);
        continue;
      }
      let j = i;
      while (j < words.length && words[j] === words[j + 1] && !this.userSingles.has(runes[words[j]])) j += 2;
      this.hmmCut(runes, left, words[j - 2] + 1, push);
      i = j - 2;
    }
  }

  /** MPSegment: the DAG of dictionary words from each rune, best path from the right. Returns [left, right] pairs. */
  private mpCut(s: string, runes: number[], offsets: number[], begin: number, end: number): number[] {
    const n = end - begin;
    const weight = new Float64Array(n);
    const pick = new Int32Array(n); // runes in the chosen word, 0 = none (a single character outside the dictionary)
    for (let i = n - 1; i >= 0; i--) {
      let best = MIN_DOUBLE;
      let bestLen = 0;
      const from = offsets[begin + i];
      // nexts: the single character first (with its unit or none), then longer words in order.
      const longest = Math.max(1, this.longest[runes[begin + i]]);
      for (let len = 1; len <= longest && i + len <= n; len++) {
        const e = this.words.find(s, from, offsets[begin + i + len]);
        const w = e < 0 ? undefined : this.words.weight[e];
        if (w === undefined && len > 1) continue;
        let val = 0.0;
        if (i + len < n) val += weight[i + len];
        val += w === undefined ? this.minWeight : w;
        if (val > best) {
          best = val;
          bestLen = w === undefined ? 0 : len;
        }
      }
      weight[i] = best;
      pick[i] = bestLen;
    }
    const out: number[] = [];
    for (let i = 0; i < n; ) {
      const len = pick[i] || 1;
      out.push(begin + i, begin + i + len - 1);
      i += len;
    }
    return out;
  }

  /** HMMSegment::Cut over runes [begin, end). */
  private hmmCut(runes: number[], begin: number, end: number, push: (l: number, r: number) => void): void {
    let left = begin;
    let right = begin;
    while (right !== end) {
      if (runes[right] < 0x80) {
        if (left !== right) this.viterbiCut(runes, left, right, push);
        left = right;
        right = letters(runes, left, end);
        if (right === left) right = numbers(runes, left, end);
        if (right === left) right++;
        push(left, right - 1);
        left = right;
      } else {
        right++;
      }
    }
    if (left !== right) this.viterbiCut(runes, left, right, push);
  }

  private viterbiCut(runes: number[], begin: number, end: number, push: (l: number, r: number) => void): void {
    const X = end - begin;
    const Y = 4;
    const weight = new Float64Array(X * Y);
    const path = new Int32Array(X * Y);
    const emitOf = (y: number, rune: number) => this.emit[y].get(rune) ?? MIN_DOUBLE;
    for (let y = 0; y < Y; y++) {
      weight[y * X] = this.startProb[y] + emitOf(y, runes[begin]);
      path[y * X] = -1;
    }
    for (let x = 1; x < X; x++) {
      for (let y = 0; y < Y; y++) {
        const now = x + y * X;
        weight[now] = MIN_DOUBLE;
        path[now] = E;
        const emitProb = emitOf(y, runes[begin + x]);
        for (let preY = 0; preY < Y; preY++) {
          const tmp = weight[x - 1 + preY * X] + this.transProb[preY][y] + emitProb;
          if (tmp > weight[now]) {
            weight[now] = tmp;
            path[now] = preY;
          }
        }
      }
    }
    let stat = weight[X - 1 + E * X] >= weight[X - 1 + S * X] ? E : S;
    const status = new Int32Array(X);
    for (let x = X - 1; x >= 0; x--) {
      status[x] = stat;
      stat = path[x + stat * X];
    }
    let left = begin;
    for (let i = 0; i < X; i++) {
      if (status[i] % 2) {
        push(left, begin + i);
        left = begin + i + 1;
      }
    }
  }
}

const align8 = (n: number) => (n + 7) & ~7;

/** Reads what `tables()` wrote: an error naming `where` when it is not that (another format, cut short, a changed byte). */
function readTables(bytes: Uint8Array, where: string): { header: TablesHeader; words: WordTableArrays; longest: Uint8Array; emit: Array<Map<number, number>> } {
  const fail = (why: string): never => {
    throw new Error(`jieba-cut: ${where}: not a saved query segmenter (${why})`);
  };
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < TABLES_MAGIC.length + 4 || buf.toString("latin1", 0, TABLES_MAGIC.length) !== TABLES_MAGIC) fail("no JIEBACUT header");
  const jsonLength = buf.readUInt32LE(TABLES_MAGIC.length);
  const bodyAt = align8(TABLES_MAGIC.length + 4 + jsonLength);
  if (bodyAt > buf.length) fail("cut short in its header");
  let header: TablesHeader;
  try {
    header = JSON.parse(buf.toString("utf8", TABLES_MAGIC.length + 4, TABLES_MAGIC.length + 4 + jsonLength)) as TablesHeader;
  } catch (e) {
    return fail(`header: ${(e as Error).message}`);
  }
  if (header.version !== TABLES_VERSION) fail(`version ${header.version}, this code reads ${TABLES_VERSION}`);
  const layout = tableLayout(header);
  const size = layout.reduce((n, [, kind, count]) => n + kind.BYTES_PER_ELEMENT * count, 0);
  if (buf.length - bodyAt !== size) fail(`${buf.length - bodyAt} bytes of tables, the header says ${size}`);
  if (crc32(buf.subarray(bodyAt)) !== header.crc) fail("checksum mismatch");
  if (header.slots & (header.slots - 1) || header.emitSizes.length !== 4) fail("malformed header");
  // Views need their element size's alignment: copied once when the bytes do not start on 8.
  const body = (buf.byteOffset + bodyAt) % 8 === 0 ? buf.subarray(bodyAt) : Buffer.from(Uint8Array.prototype.slice.call(buf, bodyAt));
  const views: Record<string, ArrayBufferView> = {};
  let at = body.byteOffset;
  for (const [name, kind, count] of layout) {
    views[name] = new (kind as unknown as new (b: ArrayBufferLike, o: number, n: number) => ArrayBufferView)(body.buffer, at, count);
    at += kind.BYTES_PER_ELEMENT * count;
  }
  const emitRune = views.emitRune as Uint32Array;
  const emitProb = views.emitProb as Float64Array;
  const emit: Array<Map<number, number>> = [];
  let e = 0;
  for (const n of header.emitSizes) {
    const m = new Map<number, number>();
    for (const end = e + n; e < end; e++) m.set(emitRune[e], emitProb[e]);
    emit.push(m);
  }
  const words = { units: views.units, start: views.start, length: views.length, weight: views.weight, slots: views.slots } as WordTableArrays;
  return { header, words, longest: views.longest as Uint8Array, emit };
}

function letters(runes: number[], begin: number, end: number): number {
  const x = runes[begin];
  if (!((x >= 0x61 && x <= 0x7a) || (x >= 0x41 && x <= 0x5a))) return begin;
  let i = begin + 1;
  while (i !== end) {
    const c = runes[i];
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39)) i++;
    else break;
  }
  return i;
}

function numbers(runes: number[], begin: number, end: number): number {
  const x = runes[begin];
  if (!(x >= 0x30 && x <= 0x39)) return begin;
  let i = begin + 1;
  while (i !== end) {
    const c = runes[i];
    if ((c >= 0x30 && c <= 0x39) || c === 0x2e) i++;
    else break;
  }
  return i;
}

/** C's atoi: optional spaces and sign, then digits; 0 when none. */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/u.exec(s);
  return m ? Math.trunc(Number(m[1])) | 0 : 0;
}
