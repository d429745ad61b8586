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

type Groups = { others: Map<string, string[]>; where: Map<string, string> };

/**
 * Adds a file's groups. A malformed line, or a term already in a group, is an
 * error naming the file and line: thrown for the reviewed file, passed to
 * `skip` for the back office's file (one bad line there never stops search).
 */
function parseInto(groups: Groups, text: string, file: string, skip?: (message: string) => void): void {
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const problem = groupProblem(groups, line);
    if (problem) {
      const message = `synonyms: ${file}:${i + 1}: ${problem}: ${JSON.stringify(raw)}`;
      if (skip) return skip(message);
      throw new Error(message);
    }
    const keys = [...new Set(line.split(" | ").map((t) => normalize(t.trim()).trim()))];
    for (const key of keys) {
      groups.where.set(key, `${file}:${i + 1}`);
      groups.others.set(key, keys.filter((o) => o !== key));
    }
  });
}

/** What is wrong with a group line given the groups so far, or null. */
function groupProblem(groups: Groups, line: string): string | null {
  const terms = line.split(" | ").map((t) => t.trim());
  if (terms.some((t) => !t || t.includes("|"))) return `terms are separated by " | " and none is empty`;
  const keys = terms.map((t) => normalize(t).trim());
  if (new Set(keys).size < 2) return "a group needs two different terms";
  for (const [k, key] of keys.entries()) {
    const before = groups.where.get(key);
    if (before !== undefined) return `"${terms[k]}" is already in the group on line ${before.slice(before.lastIndexOf(":") + 1)} of ${before.slice(0, before.lastIndexOf(":"))}`;
  }
  return null;
}

let table: (SynonymTable & { groups: Groups }) | null = null;

function reviewed(): Groups {
  const groups: Groups = { others: new Map(), where: new Map() };
  parseInto(groups, readFileSync(SYNONYMS_PATH, "utf8"), SYNONYMS_PATH);
  return groups;
}
let local: readonly string[] = [];

export function synonymTable(): SynonymTable {
  if (!table) {
    const groups = reviewed();
    parseInto(groups, local.join("\n"), "the back office's synonym groups", (m) => console.error(`${m} (group skipped)`));
    table = { others: groups.others, scanner: new PhraseScanner(groups.others), groups };
  }
  return table;
}

/** The groups added in the back office ("a | b", the reviewed file's format), from the generation serving now: read with the reviewed file on next use. */
export function useLocalSynonyms(lines: readonly string[]): void {
  if (lines.length === local.length && lines.every((l, i) => l === local[i])) return;
  local = [...lines];
  table = null;
}

/** Why a new group (terms joined by " | ") cannot be added to the current table, or null when it can. */
export function newGroupProblem(line: string): string | null {
  return groupProblem(synonymTable() && table!.groups, line.trim());
}

/** Synonym terms found in normalised text, by longest match from the left. */
export function findSynonymTerms(normalized: string): Array<{ start: number; term: string }> {
  const found: Array<{ start: number; term: string }> = [];
  synonymTable().scanner.scan(normalized, (start, term) => found.push({ start, term }));
  return found;
}
