// The one article model every format is turned into, validated with zod so that
// a bug in an importer shows up as a problem attached to its file, not as a
// half-filled record deep inside the index.
import { z } from "zod";
import { AUTHOR_JOINER } from "@/lib/content/authors";
import { FORMATS, type Format } from "@/lib/content/documents/sniff";
import { SCRIPTS, type Script } from "@/lib/text/script";

export type { Format, Script };


const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "date must be YYYY-MM-DD");

export const articleSchema = z.object({
  id: z.string().min(1).max(200),
  title: z.string().min(1),
  authors: z.array(z.string().min(1)),
  source: z.string().min(1).nullable(),
  date: isoDate.nullable(),
  url: z.string().min(1).nullable(),
  tags: z.array(z.string()),
  /** May be empty: a page with a title and only images or attachments is still an article people look for. */
  paragraphs: z.array(z.string().min(1)),
  script: z.enum(SCRIPTS),
  /** sha256 of the cleaned content (title, metadata, paragraphs): lets later runs skip unchanged articles. */
  contentHash: z.string().regex(/^[0-9a-f]{64}$/),
  /** Where the article came from: a path relative to the content folder, with `:line` for JSONL. */
  origin: z.string(),
  /** Problems found that did not stop the article from being ingested. */
  warnings: z.array(z.string()),
  /** The format the article was read from (by content, not by name). */
  format: z.enum(FORMATS).optional(),
  /** Its text was recognised from a scan (OCR). */
  ocr: z.boolean().optional(),
  /** 公文 fields: 发文字号, 文种, 发文机关. */
  docNumber: z.string().min(1).nullable().optional(),
  docType: z.string().min(1).nullable().optional(),
  issuer: z.string().min(1).nullable().optional(),
  /** For a paged original (PDF, scan): each paragraph's 1-based page. */
  pages: z.array(z.number().int().min(1)).optional(),
  /** The file a document was read from (Word, PDF, image), kept by the index by its content hash. */
  original: z
    .object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), type: z.string().min(1), name: z.string().min(1), bytes: z.number().int().min(0) })
    .optional(),
});

export type Article = z.infer<typeof articleSchema>;

/** What a format reader produces before ids, script and hash are settled. */
export interface ArticleDraft {
  id?: string | null;
  title?: string | null;
  authors?: string[];
  source?: string | null;
  date?: string | null;
  url?: string | null;
  tags?: string[];
  paragraphs: string[];
  warnings?: string[];
  format?: Format;
  ocr?: boolean;
  docNumber?: string | null;
  docType?: string | null;
  issuer?: string | null;
  /** Parallel to paragraphs. */
  pages?: number[];
  original?: OriginalFile;
}

/** A document's original file: what the index keeps of it besides its text. */
export interface OriginalFile {
  /** sha256 of the bytes: the key it is kept under. */
  sha256: string;
  /** Content type it is served with. */
  type: string;
  /** File name it is downloaded as. */
  name: string;
  bytes: number;
}

/** The stable, documented preview shape printed by `npm run ingest -- --json`. */
export interface ArticlePreview {
  id: string;
  title: string;
  author: string | null;
  source: string | null;
  date: string | null;
  url: string | null;
  body: string;
  script: Script;
  warnings: string[];
}

export function toPreview(article: Article): ArticlePreview {
  return {
    id: article.id,
    title: article.title,
    author: article.authors.length ? article.authors.join(AUTHOR_JOINER) : null,
    source: article.source,
    date: article.date,
    url: article.url,
    body: article.paragraphs.join("\n"),
    script: article.script,
    warnings: article.warnings,
  };
}
