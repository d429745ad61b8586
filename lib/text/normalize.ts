// The one normalisation used by the index and by queries alike: NFKC (which
// also folds full-width forms to half-width), lower case, Traditional →
// Simplified, all whitespace to a plain space, CJK radicals that fonts put in
// place of characters (⻅ for 见) to the characters, and the brackets of a
// document number (〔〕 【】 ［］ （）) to [ ], so that 中组发[2024]3号 finds
// 中组发〔2024〕3号. Applied one code point at a
// time through a precomputed table, so that every normalised character can be
// mapped back to the original text for highlighting; then word-level regional
// spellings (計畫 → 计划, 乾隆 kept 乾隆), longest match first, each phrase
// replaced by one of the same length, so the map stays one to one.
import radicals from "@/lib/text/radicals.json";
import { scriptTables } from "@/lib/text/script";
import { phraseRespeller, spellingTable } from "@/lib/text/spellings";

/** Bump when the rules change: a saved index built with other rules is refused. */
export const NORMALIZATION_VERSION = 3;

/** The spelling dictionaries' version, recorded in the index manifest. */
export function spellingVersion(): string {
  return spellingTable().version;
}

let respellCached: ((text: string) => string) | null = null;

/** Regional phrase spellings → mainland ones (see spellings.ts). */
function respell(text: string): string {
  respellCached ??= phraseRespeller(spellingTable().phrases);
  return respellCached(text);
}

let bmp: Array<string | null> | null = null;
/** For each BMP unit, the one unit it becomes (itself when unchanged); 0xffff where it becomes other than one unit (and for surrogates). */
let unitOf: Uint16Array | null = null;
/** A unit whose own image is one unit but not itself: U+FFFF never is (it stays U+FFFF), so it can mark "not one unit". */
const NOT_ONE_UNIT = 0xffff;
/** Output of the one-unit path, grown on demand (one per process: normalisation never re-enters). */
let units = new Uint16Array(0);

/** Brackets a document number is written with (〔〕 by the standard; [] ［］ () （） 【】 by hand), all one pair. */
const BRACKETS: Record<string, string> = { "〔": "[", "〕": "]", "【": "[", "】": "]", "(": "[", ")": "]", "〖": "[", "〗": "]" };
const RADICALS: Record<string, string> = radicals.table;

function normalizeCodePoint(cp: number, toSimplified: Map<number, string>): string {
  let ch = String.fromCodePoint(cp);
  if (/\s/u.test(ch)) return " ";
  const ideograph = RADICALS[ch];
  if (ideograph && ideograph.length === 1) ch = ideograph;
  let out = ch.normalize("NFKC").toLowerCase();
  out = out.replace(/[〔〕【】()〖〗]/gu, (b) => BRACKETS[b]);
  if (/\s/u.test(out)) out = out.replace(/\s/gu, " ");
  let simplified = "";
  for (const c of out) simplified += toSimplified.get(c.codePointAt(0)!) ?? c;
  return simplified;
}

/** For each BMP code point, its normalised form, or null where it is unchanged. */
function table(): Array<string | null> {
  if (bmp) return bmp;
  const { toSimplified } = scriptTables();
  const t: Array<string | null> = new Array(0x10000).fill(null);
  for (let cp = 0; cp < 0x10000; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const n = normalizeCodePoint(cp, toSimplified);
    if (n !== String.fromCharCode(cp)) t[cp] = n;
  }
  const u = new Uint16Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    const r = t[c];
    u[c] = c >= 0xd800 && c <= 0xdfff ? NOT_ONE_UNIT : r === null ? c : r.length === 1 ? r.charCodeAt(0) : NOT_ONE_UNIT;
  }
  if (t[NOT_ONE_UNIT] !== null) throw new Error("normalize: U+FFFF changes under normalisation; the one-unit table cannot mark with it");
  unitOf = u;
  bmp = t;
  return t;
}

/** Builds the tables now, so that the first query does not pay for it. */
export function warmNormalizer(): void {
  table();
  respell("");
}

function astral(cp: number): string {
  return normalizeCodePoint(cp, scriptTables().toSimplified);
}

/** Normalised text, for indexing and matching. */
export function normalize(text: string): string {
  return respell(normalizeChars(text));
}

/** The character-level step alone (what the spelling table's keys are written in). */
export function normalizeChars(text: string): string {
  // Nearly all text maps one unit to one unit: through a typed table into a unit buffer, decoded once (two to three
  // times the speed of building the string from runs; the build normalises every text, and a query's candidates are
  // normalised on first use). A unit that becomes other than one unit (or a surrogate) takes the general path.
  table();
  const u = unitOf!;
  const n = text.length;
  if (units.length < n) units = new Uint16Array(Math.max(n, units.length * 2, 4096));
  const out = units;
  let changed = false;
  let i = 0;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    const r = u[c];
    if (r === NOT_ONE_UNIT && c !== NOT_ONE_UNIT) break;
    if (r !== c) changed = true;
    out[i] = r;
  }
  if (i === n) return changed ? Buffer.from(out.buffer, out.byteOffset, n * 2).toString("utf16le") : text;
  return normalizeCharsGeneral(text);
}

/** normalizeChars by runs of unchanged text: the general path (any text), and what the one-unit path must equal (tests). */
export function normalizeCharsGeneral(text: string): string {
  const t = table();
  let out = "";
  let runStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let repl: string | null;
    let width = 1;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const cp = text.codePointAt(i)!;
      repl = astral(cp);
      width = 2;
      if (repl === String.fromCodePoint(cp)) repl = null;
    } else {
      repl = t[c];
    }
    if (repl !== null) {
      out += text.slice(runStart, i) + repl;
      runStart = i + width;
    }
    i += width - 1;
  }
  return runStart === 0 ? text : out + text.slice(runStart);
}

export interface NormalizedWithMap {
  text: string;
  /** For each UTF-16 unit of `text`, where its source character starts in the original. */
  start: Int32Array;
  /** For each UTF-16 unit of `text`, where its source character ends in the original. */
  end: Int32Array;
}

/** 0, 1, 2, …: the offset map of a text whose every unit stays one unit (shared; grown on demand; never written by callers). */
let identity = new Int32Array(0);

function identityMap(length: number): NormalizedWithMap["start"] {
  if (identity.length < length + 1) {
    identity = new Int32Array(Math.max(length + 1, identity.length * 2, 4096));
    for (let i = 0; i < identity.length; i++) identity[i] = i;
  }
  return identity;
}

/** Whether every unit of `text` normalises to one unit (no surrogates): its normal form is then as long, offset for offset. */
function normalizesOneForOne(text: string): boolean {
  const t = table();
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const r = t[c];
    if ((c >= 0xd800 && c <= 0xdfff) || (r !== null && r.length !== 1)) return false;
  }
  return true;
}

/**
 * Normalised text with an offset map back to the original, for highlighting.
 * Most text maps unit for unit (the character table gives one unit for one,
 * and the spelling pass keeps lengths): its map is a view of a shared
 * 0, 1, 2, … array, without building one per call. `normalized`, when the
 * caller has it, is `normalize(text)` already made (an index's paragraphs):
 * a text that maps unit for unit is then not normalised again.
 */
export function normalizeWithMap(text: string, normalized?: string): NormalizedWithMap {
  if (normalizesOneForOne(text)) {
    const map = identityMap(text.length);
    return { text: normalized ?? respell(normalizeChars(text)), start: map.subarray(0, text.length), end: map.subarray(1, text.length + 1) };
  }
  const t = table();
  const parts: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < text.length; ) {
    const c = text.charCodeAt(i);
    const width = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : 1;
    const piece = width === 2 ? astral(text.codePointAt(i)!) : (t[c] ?? text[i]);
    parts.push(piece);
    for (let k = 0; k < piece.length; k++) {
      starts.push(i);
      ends.push(i + width);
    }
    i += width;
  }
  return { text: respell(parts.join("")), start: Int32Array.from(starts), end: Int32Array.from(ends) };
}

let kept: Set<string> | null = null;

/** Phrases that must keep a character for it to count as kept (fewer: the dictionaries' quirks, 計 in 不可赀計, 剋 in 剋架). */
const KEPT_MIN_PHRASES = 5;

/**
 * Characters regional phrases keep that the character level would convert
 * (著 in 著作 and 名著, 乾 in 乾隆, 於 in names): 乾 於 著 昇 徵 蒐 脩 祕 么 氾 釐
 * with today's dictionaries.
 */
function keptCharacters(): Set<string> {
  if (kept) return kept;
  const phrasesKeeping = new Map<string, number>();
  for (const value of spellingTable().phrases.values())
    for (const ch of new Set(value)) if (normalizeChars(ch) !== ch) phrasesKeeping.set(ch, (phrasesKeeping.get(ch) ?? 0) + 1);
  kept = new Set([...phrasesKeeping].filter(([, n]) => n >= KEPT_MIN_PHRASES).map(([ch]) => ch));
  return kept;
}

let keptFor: Map<string, string[]> | null = null;

/** For each character the character level turns a kept character into (着 for 著), the kept characters. */
function keptByImage(): Map<string, string[]> {
  if (keptFor) return keptFor;
  keptFor = new Map();
  for (const ch of keptCharacters()) {
    const image = normalizeChars(ch);
    if (image.length !== 1) continue;
    keptFor.set(image, [...(keptFor.get(image) ?? []), ch]);
  }
  return keptFor;
}

/** At most this many spelling variants of one query part (positions beyond the fourth are all replaced together). */
const MAX_VARIANT_POSITIONS = 4;

/**
 * Spellings of a normalised query part with characters that regional phrases
 * keep (著 in 著作, 乾 in 乾隆) in place of what the character level makes of
 * them (着, 干): without them a query 著 (or 着) would not find 著作, whose
 * normalised text keeps 著. They depend on the normalised text only, so a
 * Traditional and a Simplified query get the same ones.
 */
export function keptSpellingVariants(normalized: string): string[] {
  const images = keptByImage();
  const positions: number[] = [];
  for (let j = 0; j < normalized.length; j++) if (images.has(normalized[j])) positions.push(j);
  if (positions.length === 0) return [];
  const out = new Set<string>();
  const choose = (k: number, chars: string[]) => {
    if (k === positions.length) {
      out.add(chars.join(""));
      return;
    }
    const j = positions[k];
    const options = k < MAX_VARIANT_POSITIONS ? [normalized[j], ...images.get(normalized[j])!] : images.get(normalized[j])!;
    for (const o of options) {
      chars[j] = o;
      choose(k + 1, chars);
    }
    chars[j] = normalized[j];
  };
  choose(0, [...normalized]);
  out.delete(normalized);
  return [...out];
}
