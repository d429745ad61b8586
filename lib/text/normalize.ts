// The one normalisation used by the index and by queries alike: NFKC (which
// also folds full-width forms to half-width), lower case, Traditional →
// Simplified, all whitespace to a plain space. Applied one code point at a
// time through a precomputed table, so that every normalised character can be
// mapped back to the original text for highlighting.
import { scriptTables } from "@/lib/text/script";

/** Bump when the rules change: a saved index built with other rules is refused. */
export const NORMALIZATION_VERSION = 1;

let bmp: Array<string | null> | null = null;

function normalizeCodePoint(cp: number, toSimplified: Map<number, string>): string {
  const ch = String.fromCodePoint(cp);
  if (/\s/u.test(ch)) return " ";
  let out = ch.normalize("NFKC").toLowerCase();
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
  bmp = t;
  return t;
}

/** Builds the tables now, so that the first query does not pay for it. */
export function warmNormalizer(): void {
  table();
}

function astral(cp: number): string {
  return normalizeCodePoint(cp, scriptTables().toSimplified);
}

/** Normalised text, for indexing and matching. */
export function normalize(text: string): string {
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

/** Normalised text with an offset map back to the original, for highlighting. */
export function normalizeWithMap(text: string): NormalizedWithMap {
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
  return { text: parts.join(""), start: Int32Array.from(starts), end: Int32Array.from(ends) };
}
