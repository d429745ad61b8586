// The search engine's public shapes: what the API, the CLI and the pages use.
import type { ArticlePreview, Format } from "@/lib/content/article";
import type { Parts } from "@/lib/search/engine/highlight";

export const SORTS = ["relevance", "newest", "oldest"] as const;
export type Sort = (typeof SORTS)[number];
export const MAX_PAGE_SIZE = 100;

export interface SearchRequest {
  q: string;
  /** Either of these authors (any script). */
  authors: string[];
  /** Either of these sources (any script). */
  sources: string[];
  /** Either of these 文种 (official documents' types: 通知, 意见 …). */
  docTypes?: string[];
  /** Either of these 发文机关 (any script). */
  issuers?: string[];
  /** Inclusive, as YYYY-MM-DD (already expanded from YYYY or YYYY-MM). */
  from: string | null;
  to: string | null;
  sort: Sort;
  page: number;
  size: number;
  /** Show each repost group once (the default); false lists every copy. */
  group?: boolean;
}

export interface FacetValue {
  value: string;
  count: number;
}

export interface SearchHit extends DocumentFields {
  id: string;
  title: string;
  titleParts: Parts;
  author: string | null;
  source: string | null;
  date: string | null;
  url: string | null;
  snippets: Parts[];
  /** Relevance score (higher is better); null when sorted by date. */
  score: number | null;
  /** The other articles of its repost group (the same body published elsewhere), when grouping. */
  copies: ArticleRef[];
  /** The page of the original each snippet is on (PDFs), else null. */
  snippetPages: number[] | null;
  /** The body paragraph (1-based: the reading page's #p12) of the first match, else null. */
  matchParagraph: number | null;
}

/** What an article was read from, as hits and article views report it. */
export interface DocumentFields {
  /** The format of the file it was read from; null in generations built before documents came in. */
  format: Format | null;
  /** Its text was recognised from a scan. */
  ocr: boolean;
  /** 公文: 发文字号, 文种 and 发文机关, when the article is an official document. */
  docNumber: string | null;
  docType: string | null;
  issuer: string | null;
}

/** An article named in another's results or page: a repost, a related article. */
export interface ArticleRef {
  id: string;
  title: string;
  source: string | null;
  date: string | null;
}

export interface QueryReading {
  normalized: string;
  words: string[];
  phrases: string[];
  excluded: string[];
  /** Terms the synonym table expanded (二十大 → 党的第二十次全国代表大会 …); their matches rank below exact ones. */
  expanded: Array<{ term: string; synonyms: string[] }>;
  /** Terms limited to a field (标题:, 正文:, 作者:, 来源:, 文号:); `excluded` for -标题:…. */
  fields: Array<{ field: "title" | "body" | "author" | "source" | "docNumber"; terms: string[]; excluded: boolean }>;
  /** NEAR groups: operands and how near each is to the next (characters, "sentence" or "paragraph"). */
  near: Array<{ terms: string[]; within: Array<number | "sentence" | "paragraph">; field: "title" | "body" | null }>;
}

export interface SearchResponse {
  query: QueryReading;
  /** Results: repost groups when grouping (the default), else articles. */
  total: number;
  /** Matching articles, every copy counted. */
  totalArticles: number;
  /** A query that exists in the library, proposed when this one finds nothing or very little. */
  didYouMean: string | null;
  page: number;
  size: number;
  tookMs: number;
  hits: SearchHit[];
  /** Values with counts in the matching articles; docTypes and issuers only over official documents (公文). */
  facets: { authors: FacetValue[]; sources: FacetValue[]; years: FacetValue[]; docTypes: FacetValue[]; issuers: FacetValue[] };
}

/** An article as the API and the reading page get it: the ingest preview's fields, with highlights when a query is given. */
export interface ArticleView extends Omit<ArticlePreview, "warnings">, DocumentFields {
  /** Each paragraph's page in the original (PDFs), else null. */
  pages: number[] | null;
  /** The document's original file (Word, PDF, scan), downloadable at /articles/<id>/original; null for articles read from text. */
  original: { name: string; type: string; bytes: number } | null;
  tags: string[];
  /** Articles sharing its most distinctive terms (never its own reposts). */
  related: ArticleRef[];
  /** Its key terms, most distinctive first. */
  keywords: string[];
  /** Its reposts: the same body published elsewhere. */
  copies: ArticleRef[];
  titleParts?: Parts;
  paragraphs?: Parts[];
}
