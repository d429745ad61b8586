// Character-level Traditional ↔ Simplified knowledge, derived once from
// OpenCC's dictionaries. Character level (not phrase level) on purpose: it is
// length-preserving per code point, so offsets in converted text map straight
// back to the original, and it is deterministic, so an index and a query that
// both pass through it always agree.
//
// Deriving the tables from OpenCC takes ~250 ms, on every start of every
// process; they are derived once by `npm run gen:script-tables` into
// script-tables.json, and a unit test checks the file still matches OpenCC.
import * as OpenCC from "opencc-js";
import cached from "@/lib/text/script-tables.json";

export const SCRIPTS = ["Simplified", "Traditional", "mixed"] as const;
export type Script = (typeof SCRIPTS)[number];

interface ScriptTables {
  /** Traditional (and Taiwan-variant) code point → Simplified character. */
  toSimplified: Map<number, string>;
  /** Code points that only occur in Simplified writing (they change when converted to Traditional). */
  simplifiedOnly: Set<number>;
}

const CJK_RANGES: Array<[number, number]> = [
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xf900, 0xfaff],
];

let tables: ScriptTables | null = null;

/** Derives the tables from OpenCC's dictionaries (slow: for the generator and its test). */
export function deriveTables(): ScriptTables {
  const t2s = OpenCC.Converter({ from: "tw", to: "cn" });
  const s2t = OpenCC.Converter({ from: "cn", to: "tw" });
  const toSimplified = new Map<number, string>();
  const simplifiedOnly = new Set<number>();
  for (const [lo, hi] of CJK_RANGES) {
    for (let cp = lo; cp <= hi; cp++) {
      const ch = String.fromCodePoint(cp);
      const simp = t2s(ch);
      // Keep only one-to-one mappings: the offset map relies on them.
      if (simp !== ch && [...simp].length === 1) toSimplified.set(cp, simp);
      if (s2t(ch) !== ch) simplifiedOnly.add(cp);
    }
  }
  return { toSimplified, simplifiedOnly };
}

export interface SerializedTables {
  /** Pairs of Traditional → Simplified characters, concatenated. */
  toSimplified: string;
  /** Characters only used in Simplified writing, concatenated. */
  simplifiedOnly: string;
}

export function serializeTables(t: ScriptTables): SerializedTables {
  return {
    toSimplified: [...t.toSimplified].map(([cp, s]) => String.fromCodePoint(cp) + s).join(""),
    simplifiedOnly: [...t.simplifiedOnly].map((cp) => String.fromCodePoint(cp)).join(""),
  };
}

function parseTables(s: SerializedTables): ScriptTables {
  const toSimplified = new Map<number, string>();
  const chars = [...s.toSimplified];
  for (let i = 0; i + 1 < chars.length; i += 2) toSimplified.set(chars[i].codePointAt(0)!, chars[i + 1]);
  return { toSimplified, simplifiedOnly: new Set([...s.simplifiedOnly].map((c) => c.codePointAt(0)!)) };
}

export function scriptTables(): ScriptTables {
  if (!tables) tables = parseTables(cached as SerializedTables);
  return tables;
}

/** Converts Traditional characters to Simplified one code point at a time (same number of code points out as in). */
export function toSimplified(text: string): string {
  const { toSimplified: map } = scriptTables();
  let out = "";
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    out += cp >= 0x3400 ? (map.get(cp) ?? ch) : ch;
  }
  return out;
}

/**
 * Which script a text is written in. Counts characters that exist only in one
 * script; text with no telling characters at all is taken as Simplified, the
 * majority script of the library.
 */
export function detectScript(text: string): Script {
  const { toSimplified: trad, simplifiedOnly } = scriptTables();
  let traditional = 0;
  let simplified = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x3400) continue;
    const isTrad = trad.has(cp);
    const isSimp = simplifiedOnly.has(cp);
    if (isTrad && !isSimp) traditional++;
    else if (isSimp && !isTrad) simplified++;
  }
  const telling = traditional + simplified;
  if (telling === 0) return "Simplified";
  const share = traditional / telling;
  if (share >= 0.9) return "Traditional";
  if (share <= 0.1) return "Simplified";
  return "mixed";
}
