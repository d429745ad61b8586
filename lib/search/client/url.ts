// The URL is the search state: every link and form on the search pages is
// built from a SearchState with these functions, so a page can be shared,
// reloaded and navigated back to exactly.

/** Results per search page (the page asks the engine, and the browser asks /api/search, for this many). */
export const PAGE_SIZE = 10;

export interface SearchState {
  q: string;
  authors: string[];
  sources: string[];
  /** 文种 and 发文机关 of official documents. */
  docTypes: string[];
  issuers: string[];
  /** As written in the URL (YYYY, YYYY-MM or YYYY-MM-DD), not expanded. */
  from: string;
  to: string;
  sort: string;
  page: number;
  /** "0" lists every copy of a repost; otherwise each group shows once. */
  group: string;
}

type Raw = Record<string, string | string[] | undefined>;

const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter(Boolean);
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";

/** The state as written in the URL (not validated: validation happens in parseSearchParams). */
export function stateFromParams(raw: Raw): SearchState {
  const page = Number(first(raw.page));
  return {
    q: first(raw.q),
    authors: list(raw.author),
    sources: list(raw.source),
    docTypes: list(raw.docType),
    issuers: list(raw.issuer),
    from: first(raw.from),
    to: first(raw.to),
    sort: first(raw.sort) || "relevance",
    page: Number.isInteger(page) && page > 0 ? page : 1,
    group: first(raw.group) === "0" ? "0" : "",
  };
}

export function toParams(state: SearchState): URLSearchParams {
  const p = new URLSearchParams();
  if (state.q) p.set("q", state.q);
  for (const a of state.authors) p.append("author", a);
  for (const s of state.sources) p.append("source", s);
  for (const t of state.docTypes) p.append("docType", t);
  for (const i of state.issuers) p.append("issuer", i);
  if (state.from) p.set("from", state.from);
  if (state.to) p.set("to", state.to);
  if (state.sort && state.sort !== "relevance") p.set("sort", state.sort);
  if (state.page > 1) p.set("page", String(state.page));
  if (state.group === "0") p.set("group", "0");
  return p;
}

/** A link to the search page with some of the state changed. Any change but the page itself goes back to page 1. */
export function searchHref(state: SearchState, changes: Partial<SearchState> = {}): string {
  const next = { ...state, ...changes };
  if (!("page" in changes)) next.page = 1;
  const qs = toParams(next).toString();
  return qs ? `/?${qs}` : "/";
}

/** A link to an article's reading page that remembers the search it came from. */
export function articleHref(id: string, state: SearchState): string {
  const qs = toParams(state).toString();
  return `/articles/${encodeURIComponent(id)}${qs ? `?${qs}` : ""}`;
}

export function toggle(values: string[], value: string): string[] {
  return values.includes(value) ? values.filter((v) => v !== value) : [...values, value];
}

export function hasFilters(state: SearchState): boolean {
  return state.authors.length > 0 || state.sources.length > 0 || state.docTypes.length > 0 || state.issuers.length > 0 || !!state.from || !!state.to;
}

/** What a feed follows: a request's query and filters, or a page state's (an empty from/to is none). */
type FeedFilters = { q: string; authors: string[]; sources: string[]; docTypes?: string[]; issuers?: string[]; from: string | null; to: string | null };

/** The URL search parameters of a request's query and filters (what the page and the feed share; sort and page left out). */
export function requestParams(req: FeedFilters): URLSearchParams {
  const p = new URLSearchParams();
  if (req.q.trim()) p.set("q", req.q.trim());
  for (const a of req.authors) p.append("author", a);
  for (const s of req.sources) p.append("source", s);
  for (const t of req.docTypes ?? []) p.append("docType", t);
  for (const i of req.issuers ?? []) p.append("issuer", i);
  if (req.from) p.set("from", req.from);
  if (req.to) p.set("to", req.to);
  return p;
}

/** The feed that follows this search (same query and filters, newest first). */
export function feedHref(filters: FeedFilters): string {
  const query = requestParams(filters).toString();
  return `/feed.xml${query ? `?${query}` : ""}`;
}

/** The search page's title for a query. */
export function searchTitle(q: string): string {
  return q.trim() ? `${q.trim()} - 搜索` : "党建文库检索";
}

/** The trends page for a search's query and filters (its dates too: the chart's span). */
export function trendsHref(state: SearchState): string {
  const query = requestParams({ ...state, from: state.from || null, to: state.to || null }).toString();
  return `/trends${query ? `?${query}` : ""}`;
}

/** The export of a search's every result, in its order and grouping. */
export function exportHref(state: SearchState, format: "csv" | "xlsx" | "ris" | "bib"): string {
  const p = toParams({ ...state, page: 1 });
  p.set("format", format);
  return `/api/export?${p}`;
}
