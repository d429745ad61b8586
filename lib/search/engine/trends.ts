// Term trends: articles and occurrences of queries per year or month. The
// buckets and the counting of marks are here; SearchIndex.trends runs the
// queries.
import type { SearchRequest, Sort } from "@/lib/search/engine/types";

export const TREND_BY = ["year", "month"] as const;
export type TrendBy = (typeof TREND_BY)[number];

/** At most this many queries in one trends request (the page charts five). */
export const MAX_TREND_QUERIES = 5;
/** At most this many buckets: a century of months. Longer spans are cut to the years or months that have articles. */
export const MAX_BUCKETS = 1200;

/** Queries to chart, bucketed by year or month, under a search's own filters. */
export interface TrendRequest extends Pick<SearchRequest, "authors" | "sources" | "docTypes" | "issuers" | "from" | "to"> {
  queries: string[];
  by: TrendBy;
}

export interface TrendSeries {
  q: string;
  /** Articles whose text matches the query in each bucket (every copy counted, as /api/search?group=0 counts them). */
  articles: number[];
  /** The query's matches in those articles (the places a reading page marks; overlapping matches are one). */
  occurrences: number[];
  /** articles / totals (0 where a bucket has no article). */
  share: number[];
}

export interface TrendResponse {
  by: TrendBy;
  /** "2019", … or "2019-01", …: every one from the first to the last, empty ones too. */
  buckets: string[];
  /** Articles in each bucket that pass the filters, whatever their text. */
  totals: number[];
  series: TrendSeries[];
}

/** The search request a trend point stands for (its bucket's dates), as /api/search reads it. */
export function bucketRange(bucket: string): { from: string; to: string } {
  if (bucket.length === 4) return { from: `${bucket}-01-01`, to: `${bucket}-12-31` };
  const [y, m] = bucket.split("-").map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${bucket}-01`, to: `${bucket}-${String(last).padStart(2, "0")}` };
}

/** A date's bucket key. */
export const bucketOf = (date: string, by: TrendBy): string => (by === "year" ? date.slice(0, 4) : date.slice(0, 7));

/** Every bucket from `first` to `last` inclusive. */
export function bucketsBetween(first: string, last: string, by: TrendBy): string[] {
  const out: string[] = [];
  if (by === "year") {
    for (let y = Number(first); y <= Number(last) && out.length <= MAX_BUCKETS; y++) out.push(String(y).padStart(4, "0"));
    return out;
  }
  let [y, m] = first.split("-").map(Number);
  const [ly, lm] = last.split("-").map(Number);
  while ((y < ly || (y === ly && m <= lm)) && out.length <= MAX_BUCKETS) {
    out.push(`${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}`);
    if (++m > 12) (m = 1), y++;
  }
  return out;
}

/**
 * The marks a reading page shows in a normalised text (title, a line break,
 * body): every occurrence of a title term in the title and of a body term in
 * the body; occurrences that overlap are one mark (马克 inside 马克思, a
 * chunk over its words), touching ones two.
 */
export function countMarks(text: string, bodyFrom: number, titleTerms: readonly string[], bodyTerms: readonly string[]): number {
  const starts: number[] = [];
  const ends: number[] = [];
  const add = (terms: readonly string[], from: number, to: number) => {
    for (const term of terms) {
      const last = to - term.length;
      for (let at = text.indexOf(term, from); at !== -1 && at <= last; at = text.indexOf(term, at + 1)) {
        starts.push(at);
        ends.push(at + term.length);
      }
    }
  };
  add(titleTerms, 0, Math.max(0, bodyFrom - 1));
  add(bodyTerms, bodyFrom, text.length);
  if (starts.length <= 1) return starts.length;
  const order = Array.from(starts.keys()).sort((a, b) => starts[a] - starts[b] || ends[b] - ends[a]);
  let marks = 0;
  let end = -1;
  for (const k of order) {
    if (starts[k] >= end) marks++;
    end = Math.max(end, ends[k]);
  }
  return marks;
}

/** Whether a term's occurrences can overlap one another (a proper prefix that is also a suffix: 哈哈, 党的党): then occurrence counts are not mark counts. */
export function selfOverlapping(term: string): boolean {
  for (let k = 1; k < term.length; k++) if (term.startsWith(term.slice(k))) return true;
  return false;
}

/** The sort a trend's queries run with: none is needed (only the set of articles counts). */
export const TREND_SORT: Sort = "newest";
