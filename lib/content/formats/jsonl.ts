// `.jsonl` bulk records {id, title, author, source, date, url, body}, one per
// line: the format of already-extracted collections. Each line is its own
// input: a bad line is reported with its number and the others still load.
import type { ArticleDraft } from "@/lib/content/article";
import { isSpamLine, toLines } from "@/lib/content/clean";
import { ContentError } from "@/lib/content/errors";
import { parseDate, splitAuthors } from "@/lib/content/metadata";
import { detectScript } from "@/lib/text/script";

export interface JsonlLine {
  line: number;
  draft?: ArticleDraft;
  error?: string;
}

function optionalString(record: Record<string, unknown>, key: string): string | null {
  const v = record[key];
  if (v === null || v === undefined || v === "") return null;
  if (typeof v === "number") return String(v);
  if (typeof v !== "string") throw new ContentError(`"${key}" must be a string or null`);
  return v.trim() || null;
}

export function readJsonlRecord(raw: string): ArticleDraft {
  let record: unknown;
  try {
    record = JSON.parse(raw);
  } catch (e) {
    throw new ContentError(`not valid JSON (${(e as Error).message.split("\n")[0]})`);
  }
  if (typeof record !== "object" || record === null || Array.isArray(record)) {
    throw new ContentError("expected a JSON object");
  }
  const r = record as Record<string, unknown>;
  const body = optionalString(r, "body") ?? "";
  const lines = toLines(body);
  const script = detectScript(body);
  const paragraphs = lines.filter((l) => !isSpamLine(l, script));
  const authorValue = r.author ?? r.authors;
  const authors = Array.isArray(authorValue)
    ? authorValue.filter((a): a is string => typeof a === "string").flatMap(splitAuthors)
    : splitAuthors(optionalString(r, "author") ?? "");
  const rawDate = optionalString(r, "date");
  const date = rawDate ? parseDate(rawDate) : null;
  const warnings: string[] = [];
  if (rawDate && !date) warnings.push(`date "${rawDate}" is not a date; ignored`);
  if (paragraphs.length < lines.length) warnings.push(`dropped ${lines.length - paragraphs.length} spam line(s)`);
  return {
    id: optionalString(r, "id"),
    title: optionalString(r, "title"),
    authors,
    source: optionalString(r, "source"),
    date,
    url: optionalString(r, "url"),
    tags: Array.isArray(r.tags) ? r.tags.filter((t): t is string => typeof t === "string") : [],
    paragraphs,
    warnings,
  };
}

/** Reads every line; blank lines are skipped silently, bad ones are returned as errors. */
export function readJsonl(text: string): JsonlLine[] {
  const out: JsonlLine[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].trim();
    if (!raw) continue;
    try {
      out.push({ line: i + 1, draft: readJsonlRecord(raw) });
    } catch (e) {
      out.push({ line: i + 1, error: e instanceof ContentError ? e.message : String(e) });
    }
  }
  return out;
}
