// The synonym and abbreviation table (lib/text/dict/synonyms.txt): groups of
// terms that mean the same thing (二十大 = 党的第二十次全国代表大会, 網路 =
// 网络). Terms are normalised like all text, so one line serves both scripts.
// The query parser finds the terms in a query by longest match and searches
// the other terms of the group too (see lib/search/query/parse.ts).
import { readFileSync } from "node:fs";
import path from "node:path";
import { normalize } from "@/lib/text/normalize";
import { PhraseScanner } from "@/lib/text/spellings";

const SYNONYMS_PATH = path.join(process.cwd(), "lib/text/dict/synonyms.txt");

export interface SynonymTable {
  /** Normalised term → the other normalised terms of its group. */
  others: Map<string, string[]>;
  scanner: PhraseScanner;
}

/** Parses the file's text; a malformed line is an error naming the file and line. */
function parseSynonyms(text: string, file = SYNONYMS_PATH): SynonymTable {
  const others = new Map<string, string[]>();
  const lineOf = new Map<string, number>();
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const terms = line.split(" | ").map((t) => t.trim());
    if (terms.some((t) => !t || t.includes("|"))) throw new Error(`synonyms: ${file}:${i + 1}: terms are separated by " | " and none is empty: ${JSON.stringify(raw)}`);
    const keys = [...new Set(terms.map((t) => normalize(t).trim()))];
    if (keys.length < 2) throw new Error(`synonyms: ${file}:${i + 1}: a group needs two different terms: ${JSON.stringify(raw)}`);
    for (const [k, key] of keys.entries()) {
      const before = lineOf.get(key);
      if (before !== undefined) throw new Error(`synonyms: ${file}:${i + 1}: "${terms[k]}" is already in the group on line ${before}`);
      lineOf.set(key, i + 1);
      others.set(key, keys.filter((o) => o !== key));
    }
  });
  return { others, scanner: new PhraseScanner(others) };
}

let table: SynonymTable | null = null;

export function synonymTable(): SynonymTable {
  table ??= parseSynonyms(readFileSync(SYNONYMS_PATH, "utf8"));
  return table;
}

/** Synonym terms found in normalised text, by longest match from the left. */
export function findSynonymTerms(normalized: string): Array<{ start: number; term: string }> {
  const found: Array<{ start: number; term: string }> = [];
  synonymTable().scanner.scan(normalized, (start, term) => found.push({ start, term }));
  return found;
}
