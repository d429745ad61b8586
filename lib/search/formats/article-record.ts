// An article as a generation stores it, and the normalised text that every
// layer indexes: the record format the build writes and the engine and the
// stores read (title, then each paragraph, on lines of their own).
import type { Article, Format, OriginalFile, Script } from "@/lib/content/article";
import { normalize } from "@/lib/text/normalize";

/** A stored article: what the index keeps to show results and the reading page. */
export interface StoredArticle {
  id: string;
  title: string;
  authors: string[];
  source: string | null;
  date: string | null;
  url: string | null;
  tags: string[];
  paragraphs: string[];
  script: Script;
  contentHash: string;
  /** Set on articles read from files since documents came in (absent in older generations). */
  format?: Format;
  /** Text recognised from a scan. */
  ocr?: boolean;
  /** 公文 fields, when the article is an official document. */
  docNumber?: string;
  docType?: string;
  issuer?: string;
  /** Each paragraph's page in a paged original (PDF, scan). */
  pages?: number[];
  /** The file a document was read from, kept in the store by its sha256. */
  original?: OriginalFile;
}

/**
 * What the engine keeps of an article in memory: everything but its body,
 * with the body's length in characters (paragraphs + 1 each) when the body
 * itself is read on demand.
 */
export type ArticleMeta = Omit<StoredArticle, "paragraphs" | "pages"> & { bodyChars?: number };

/** An article's entry in a generation's catalog: its fields but the id, content hash and body (listed beside it), with the body's length. */
export type CatalogEntry = Omit<StoredArticle, "id" | "contentHash" | "paragraphs" | "pages"> & { bodyChars: number };

export function storedOf(a: Article): StoredArticle {
  return {
    id: a.id,
    title: a.title,
    authors: a.authors,
    source: a.source,
    date: a.date,
    url: a.url,
    tags: a.tags,
    paragraphs: a.paragraphs,
    script: a.script,
    contentHash: a.contentHash,
    // Only the fields an article has: a generation of text articles stays as it was, byte for byte.
    ...(a.format ? { format: a.format } : {}),
    ...(a.ocr ? { ocr: true } : {}),
    ...(a.docNumber ? { docNumber: a.docNumber } : {}),
    ...(a.docType ? { docType: a.docType } : {}),
    ...(a.issuer ? { issuer: a.issuer } : {}),
    ...(a.pages ? { pages: a.pages } : {}),
    ...(a.original ? { original: a.original } : {}),
  };
}

/** An article's catalog entry: the fields a server keeps in memory, and its body's length for ranking. */
export function catalogEntryOf(a: StoredArticle): CatalogEntry {
  // The id and content hash are listed beside the entries; the body stays in the article file.
  const { id: _id, contentHash: _hash, paragraphs, pages: _pages, ...fields } = a;
  return { ...fields, bodyChars: bodyChars(paragraphs) };
}

/** A body's length as ranking counts it: its characters, and one for each paragraph's break. */
export function bodyChars(paragraphs: readonly string[]): number {
  let n = 0;
  for (const p of paragraphs) n += p.length + 1;
  return n;
}

/** Normalised searchable text: the title, then each paragraph, on their own lines (no match crosses a line). */
export function searchableText(article: Pick<StoredArticle, "title" | "paragraphs">): string {
  return [article.title, ...article.paragraphs].map(normalize).join("\n");
}
