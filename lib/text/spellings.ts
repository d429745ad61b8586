// Word-level regional spellings: phrases whose mainland spelling is not the
// character-by-character conversion (計畫 → 计划, 瞭解 → 了解, 乾隆 stays 乾隆,
// 著作 stays 著作 while 著手 → 着手). Derived from OpenCC's phrase
// dictionaries (TSPhrases, and the Taiwan and Hong Kong variant phrases),
// checked against OpenCC's own Taiwan/Hong Kong → mainland conversion.
//
// The table is keyed by the character-level normalisation of a phrase (what
// normalize.ts has before this step) and gives its mainland spelling. It is
// derived once by `npm run gen:script-tables` into spelling-table.json; a
// unit test checks that file still matches opencc-js. Vocabulary that differs
// between regions (網路/网络, 軟體/软件) is not a spelling: it is in the
// synonym table (lib/text/dict/synonyms.txt), so exact spellings rank first.
import { readFileSync } from "node:fs";
import path from "node:path";
import * as OpenCC from "opencc-js";
import cached from "@/lib/text/spelling-table.json";

export interface SpellingTable {
  /** Which dictionaries, and which version of them: recorded in the index manifest. */
  version: string;
  /** Character-normalised phrase → mainland spelling. */
  phrases: Map<string, string>;
}

interface SerializedSpellings {
  version: string;
  /** key<TAB>value pairs joined by "|". */
  pairs: string;
}

const PHRASE_DICTS = ["TSPhrases", "TWVariantsRevPhrases", "HKVariantsRevPhrases"] as const;

function openccDict(name: string): Array<[string, string[]]> {
  const file = path.join(process.cwd(), "node_modules/opencc-js/dist/esm-lib/dict", `${name}.js`);
  const text = readFileSync(file, "utf8");
  const body = text.slice(text.indexOf('"') + 1, text.lastIndexOf('"'));
  return body.split("|").map((entry) => {
    const [from, ...to] = entry.split(" ");
    return [from, to];
  });
}

function openccVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(process.cwd(), "node_modules/opencc-js/package.json"), "utf8")) as { version: string };
  return pkg.version;
}

/**
 * Derives the table (slow: for the generator and its test). `charLevel` is the
 * character-by-character normalisation the table's keys are written in.
 */
export function deriveSpellings(charLevel: (s: string) => string): SerializedSpellings {
  const tw = OpenCC.Converter({ from: "tw", to: "cn" });
  const hk = OpenCC.Converter({ from: "hk", to: "cn" });
  const candidates = new Map<string, (s: string) => string>();
  for (const name of PHRASE_DICTS) {
    const convert = name.startsWith("HK") ? hk : tw;
    for (const [from, to] of openccDict(name)) {
      candidates.set(from, convert);
      // Variant dictionaries list the standard form as the target: it is a phrase too.
      if (!name.startsWith("TS")) for (const t of to) if (!candidates.has(t)) candidates.set(t, convert);
    }
  }
  // Traditional forms of Simplified phrases (了解 → 瞭解, 着手 → 著手): the phrases whose conversion back is not per character.
  for (const [, to] of openccDict("STPhrases")) for (const t of to) if (!candidates.has(t)) candidates.set(t, tw);
  const phrases = new Map<string, string>();
  for (const [phrase, convert] of candidates) {
    if ([...phrase].length < 2) continue;
    const key = charLevel(phrase);
    const value = convert(phrase).normalize("NFKC").toLowerCase();
    // Same length in UTF-16 units only: the offset map back to the article stays one to one.
    if (key === value || key.length !== value.length || phrases.has(key)) continue;
    phrases.set(key, value);
  }
  // Keep what normalising twice leaves as it is: keys already at the character
  // level's fixed point, values that come out unchanged (until nothing is dropped).
  for (const key of [...phrases.keys()]) if (charLevel(key) !== key) phrases.delete(key);
  for (let dropped = true; dropped; ) {
    dropped = false;
    const respell = phraseRespeller(phrases);
    for (const [key, value] of [...phrases]) {
      if (respell(charLevel(value)) !== value || respell(key) !== value) {
        phrases.delete(key);
        dropped = true;
      }
    }
  }
  const sorted = [...phrases].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { version: `opencc-js ${openccVersion()} ${PHRASE_DICTS.join("+")}+STPhrases`, pairs: sorted.map(([k, v]) => `${k}\t${v}`).join("|") };
}

let table: SpellingTable | null = null;

export function spellingTable(): SpellingTable {
  if (table) return table;
  const s = cached as SerializedSpellings;
  const phrases = new Map<string, string>();
  if (s.pairs)
    for (const pair of s.pairs.split("|")) {
      const tab = pair.indexOf("\t");
      phrases.set(pair.slice(0, tab), pair.slice(tab + 1));
    }
  table = { version: s.version, phrases };
  return table;
}

/** The serialised form of the cached table (the test compares it with a fresh derivation). */
export function cachedSpellings(): SerializedSpellings {
  return cached as SerializedSpellings;
}

/** Finds known phrases in text by longest match from the left (the same scan replaces spellings and finds synonyms). */
function pairHash(first: number, second: number): number {
  return Math.imul((first << 16) | second, 0x9e3779b1) >>> 16;
}

export class PhraseScanner {
  // Which units start a phrase, and which pairs of units do (most text fails the first test, nearly all the rest the second);
  // for each first unit, the phrase lengths starting with it, longest first.
  private readonly starts = new Uint8Array(0x10000);
  // Pairs as c * 0x10000 + next are past the small-integer range: a lookup for each of the ~10% of units that start
  // a phrase made a heap number. A hashed bit per pair answers nearly all of them first.
  private readonly pairs = new Set<number>();
  private readonly pairBits = new Uint8Array(0x10000);
  private readonly lengths = new Map<number, number[]>();
  private readonly single = new Uint8Array(0x10000);

  constructor(private readonly keys: { has(key: string): boolean; keys(): Iterable<string> }) {
    for (const key of keys.keys()) {
      const c = key.charCodeAt(0);
      this.starts[c] = 1;
      if (key.length === 1) this.single[c] = 1;
      else {
        this.pairs.add(c * 0x10000 + key.charCodeAt(1));
        this.pairBits[pairHash(c, key.charCodeAt(1))] = 1;
      }
      const list = this.lengths.get(c) ?? [];
      if (!list.includes(key.length)) list.push(key.length);
      this.lengths.set(c, list.sort((a, b) => b - a));
    }
  }

  /** Calls `found` for each phrase, left to right, never overlapping. */
  scan(text: string, found: (start: number, phrase: string) => void): void {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.starts[c] === 0) continue;
      if (this.single[c] === 0) {
        if (i + 1 >= text.length) continue;
        const next = text.charCodeAt(i + 1);
        if (this.pairBits[pairHash(c, next)] === 0 || !this.pairs.has(c * 0x10000 + next)) continue;
      }
      for (const len of this.lengths.get(c)!) {
        if (i + len > text.length) continue;
        const phrase = len === 1 ? text[i] : text.slice(i, i + len);
        if (!this.keys.has(phrase)) continue;
        found(i, phrase);
        i += len - 1;
        break;
      }
    }
  }
}

/** Replaces phrases by longest match from the left (same length out as in). */
export function phraseRespeller(phrases: Map<string, string>): (text: string) => string {
  const scanner = new PhraseScanner(phrases);
  return (text) => {
    let out = "";
    let runStart = 0;
    scanner.scan(text, (start, phrase) => {
      out += text.slice(runStart, start) + phrases.get(phrase)!;
      runStart = start + phrase.length;
    });
    return runStart === 0 ? text : out + text.slice(runStart);
  };
}
