// URL parameters → a typed SearchRequest, validated once. Errors name the
// parameter and the bad value, and become 400 responses.
import { isEmptyQuery, parseQuery, queryParts } from "@/lib/search/query/parse";
import { MAX_TREND_QUERIES, TREND_BY, type TrendBy, type TrendRequest } from "@/lib/search/engine/trends";
import { MAX_PAGE_SIZE, SORTS, type SearchRequest, type Sort } from "@/lib/search/engine/types";

export class ParamError extends Error {
  constructor(
    readonly param: string,
    message: string,
    /** The limit that was exceeded, when that is the problem. */
    readonly limit?: number,
  ) {
    super(`${param}: ${message}`);
  }
}

export { LIMITS } from "@/lib/search/client/limits";
import { LIMITS } from "@/lib/search/client/limits";

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * A date bound written as YYYY, YYYY-MM or YYYY-MM-DD (also with / or .),
 * expanded to the first (`from`) or last (`to`) day it covers.
 */
export function parseDateBound(value: string, edge: "from" | "to", param = edge): string {
  const m = /^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?$/u.exec(value.trim());
  if (!m) throw new ParamError(param, `"${value}" is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)`);
  const year = Number(m[1]);
  const month = m[2] ? Number(m[2]) : edge === "from" ? 1 : 12;
  if (month < 1 || month > 12) throw new ParamError(param, `"${value}" has no month ${month}`);
  const maxDay = lastDayOfMonth(year, month);
  const day = m[3] ? Number(m[3]) : edge === "from" ? 1 : maxDay;
  if (day < 1 || day > maxDay) throw new ParamError(param, `"${value}" has no day ${day}`);
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

function positiveInt(value: string, param: string, max?: number): number {
  if (!/^\d{1,9}$/u.test(value.trim())) throw new ParamError(param, `"${value}" is not a positive whole number`);
  const n = Number(value);
  if (n < 1) throw new ParamError(param, `must be at least 1`);
  if (max !== undefined && n > max) throw new ParamError(param, `must be at most ${max}`);
  return n;
}


/** A query within the limits, or a ParamError naming the one it exceeds. */
export function checkQuery(q: string): string {
  const chars = [...q].length;
  if (chars > LIMITS.queryChars) throw new ParamError("q", `is ${chars} characters long; at most ${LIMITS.queryChars}`, LIMITS.queryChars);
  const parts = queryParts(q);
  if (parts > LIMITS.queryParts) throw new ParamError("q", `has ${parts} parts (words, phrases, exclusions, alternatives); at most ${LIMITS.queryParts}`, LIMITS.queryParts);
  return q;
}

/** The query a reading page highlights, when it is within the limits (an over-long one is shown without highlights, and the refusal said). */
export function highlightQuery(q: string): { q?: string; refused?: string } {
  if (!q) return {};
  try {
    return { q: checkQuery(q) };
  } catch (e) {
    if (e instanceof ParamError) return { refused: e.message };
    throw e;
  }
}

type ParamSource = URLSearchParams | Record<string, string | string[] | undefined>;

function all(source: ParamSource, key: string): string[] {
  if (source instanceof URLSearchParams) return source.getAll(key);
  const v = source[key];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function one(source: ParamSource, key: string): string | null {
  const values = all(source, key);
  if (values.length > 1) throw new ParamError(key, "given more than once");
  return values[0] ?? null;
}

/** A filter's values (author=a&author=b, or a,b), within the limits. */
function listParam(source: ParamSource, key: string): string[] {
  const values = all(source, key)
    .flatMap((v) => v.split(/[,，]/u))
    .map((v) => v.trim())
    .filter(Boolean);
  if (values.length > LIMITS.filterValues) throw new ParamError(key, `has ${values.length} values; at most ${LIMITS.filterValues}`, LIMITS.filterValues);
  const long = values.find((v) => [...v].length > LIMITS.filterChars);
  if (long) throw new ParamError(key, `"${long.slice(0, 20)}…" is ${[...long].length} characters long; at most ${LIMITS.filterChars}`, LIMITS.filterChars);
  return values;
}

/** The date bounds from= and to=, expanded, in order. */
function dateBounds(source: ParamSource): { from: string | null; to: string | null } {
  const fromValue = one(source, "from");
  const toValue = one(source, "to");
  const from = fromValue ? parseDateBound(fromValue, "from") : null;
  const to = toValue ? parseDateBound(toValue, "to") : null;
  if (from && to && from > to) throw new ParamError("from", `${fromValue} is after to=${toValue}`);
  return { from, to };
}

/** Reads and validates trends parameters: q (one to five, each searchable), by=year|month, and the search's filters. Throws ParamError. */
export function parseTrendParams(source: ParamSource): TrendRequest {
  const queries = all(source, "q").map((q) => checkQuery(q));
  if (queries.length === 0) throw new ParamError("q", "is missing: give one to five queries (q=新质生产力&q=高质量发展)");
  if (queries.length > MAX_TREND_QUERIES) throw new ParamError("q", `given ${queries.length} times; at most ${MAX_TREND_QUERIES}`, MAX_TREND_QUERIES);
  const empty = queries.find((q) => isEmptyQuery(parseQuery(q)));
  if (empty !== undefined) throw new ParamError("q", `"${empty.slice(0, 20)}" has nothing to search for`);
  const by = one(source, "by") || "year";
  if (!(TREND_BY as readonly string[]).includes(by)) throw new ParamError("by", `"${by}" is not one of ${TREND_BY.join(", ")}`);
  return { queries, by: by as TrendBy, authors: listParam(source, "author"), sources: listParam(source, "source"), docTypes: listParam(source, "docType"), issuers: listParam(source, "issuer"), ...dateBounds(source) };
}

/** Reads and validates search parameters (from a URL or Next.js searchParams). Throws ParamError. */
export function parseSearchParams(source: ParamSource): SearchRequest {
  const q = checkQuery(one(source, "q") ?? "");
  const sortValue = one(source, "sort") || "relevance";
  if (!(SORTS as readonly string[]).includes(sortValue)) throw new ParamError("sort", `"${sortValue}" is not one of ${SORTS.join(", ")}`);
  const { from, to } = dateBounds(source);
  const pageValue = one(source, "page");
  const sizeValue = one(source, "size");
  const list = (key: string) => listParam(source, key);
  const groupValue = one(source, "group");
  if (groupValue !== null && !["0", "1"].includes(groupValue)) throw new ParamError("group", `"${groupValue}" is not 0 (every copy) or 1 (reposts grouped)`);
  const page = pageValue ? positiveInt(pageValue, "page", LIMITS.resultDepth) : 1;
  const size = sizeValue ? positiveInt(sizeValue, "size", MAX_PAGE_SIZE) : 10;
  if (page * size > LIMITS.resultDepth) throw new ParamError("page", `page × size is ${page * size}; results are served ${LIMITS.resultDepth} deep at most`, LIMITS.resultDepth);
  return {
    q,
    authors: list("author"),
    sources: list("source"),
    docTypes: list("docType"),
    issuers: list("issuer"),
    from,
    to,
    sort: sortValue as Sort,
    page,
    size,
    group: groupValue !== "0",
  };
}

/** The `q` of a suggestion request: what is being typed, within the query length limit. */
export function parseSuggestParams(source: ParamSource): string {
  const q = one(source, "q") ?? "";
  const chars = [...q].length;
  if (chars > LIMITS.queryChars) throw new ParamError("q", `is ${chars} characters long; at most ${LIMITS.queryChars}`, LIMITS.queryChars);
  return q;
}
