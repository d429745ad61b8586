// The documented response shapes (README "Interfaces"), as zod schemas: the
// fuzzers check every body against them, not just that it parses.
import { z } from "zod";

const parts = z.array(z.object({ text: z.string(), match: z.boolean() }).strict());
const facet = z.array(z.object({ value: z.string(), count: z.number().int().positive() }).strict());
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/u).nullable();
const FORMATS = ["docx", "doc", "wps", "pdf", "image", "html", "text", "markdown", "jsonl"] as const;
/** What every hit and article view says of the file it was read from (documents, 公文). */
const documentFields = {
  format: z.enum(FORMATS).nullable(),
  ocr: z.boolean(),
  docNumber: z.string().min(1).nullable(),
  docType: z.string().min(1).nullable(),
  issuer: z.string().min(1).nullable(),
};
const pages = z.array(z.number().int().positive()).nullable();
const articleRef = z.object({ id: z.string().min(1), title: z.string(), source: z.string().nullable(), date }).strict();

export const searchResponseSchema = z
  .object({
    query: z
      .object({
        normalized: z.string(),
        words: z.array(z.string()),
        phrases: z.array(z.string()),
        excluded: z.array(z.string()),
        expanded: z.array(z.object({ term: z.string().min(1), synonyms: z.array(z.string().min(1)).min(1) }).strict()),
        fields: z.array(z.object({ field: z.enum(["title", "body", "author", "source", "docNumber"]), terms: z.array(z.string().min(1)).min(1), excluded: z.boolean() }).strict()),
        near: z.array(
          z
            .object({
              terms: z.array(z.string().min(1)).min(2),
              within: z.array(z.union([z.number().int().nonnegative(), z.enum(["sentence", "paragraph"])])).min(1),
              field: z.enum(["title", "body"]).nullable(),
            })
            .strict()
            .refine((n) => n.within.length === n.terms.length - 1, "near: one link between each two operands"),
        ),
      })
      .strict(),
    total: z.number().int().nonnegative(),
    totalArticles: z.number().int().nonnegative(),
    didYouMean: z.string().min(1).nullable(),
    page: z.number().int().positive(),
    size: z.number().int().positive().max(100),
    tookMs: z.number().nonnegative(),
    hits: z.array(
      z
        .object({
          id: z.string().min(1),
          title: z.string(),
          titleParts: parts,
          author: z.string().nullable(),
          source: z.string().nullable(),
          date,
          url: z.string().nullable(),
          snippets: z.array(parts),
          score: z.number().nullable(),
          copies: z.array(articleRef),
          ...documentFields,
          snippetPages: pages,
          matchParagraph: z.number().int().positive().nullable(),
        })
        .strict()
        .refine((h) => h.snippetPages === null || h.snippetPages.length === h.snippets.length, "snippetPages: one page per snippet"),
    ),
    facets: z.object({ authors: facet, sources: facet, years: facet, docTypes: facet, issuers: facet }).strict(),
  })
  .strict();

export const suggestResponseSchema = z
  .object({
    q: z.string(),
    suggestions: z
      .array(z.object({ text: z.string().min(1), kind: z.enum(["word", "title", "pinyin", "initials"]), articles: z.number().int().positive() }).strict())
      .max(8),
  })
  .strict();

export const errorSchema = z.object({ error: z.string().min(1), param: z.string().optional(), limit: z.number().optional() }).strict();

/** GET /api/articles/<id>: the article view (with highlights when q is given). */
export const articleViewSchema = z
  .object({
    id: z.string().min(1),
    title: z.string(),
    author: z.string().nullable(),
    source: z.string().nullable(),
    date,
    url: z.string().nullable(),
    body: z.string(),
    script: z.enum(["Simplified", "Traditional", "mixed"]),
    tags: z.array(z.string()),
    related: z.array(articleRef),
    keywords: z.array(z.string()),
    copies: z.array(articleRef),
    titleParts: parts.optional(),
    paragraphs: z.array(parts).optional(),
    ...documentFields,
    pages,
    original: z.object({ name: z.string().min(1), type: z.string().min(1), bytes: z.number().int().nonnegative() }).strict().nullable(),
    citation: z
      .object({
        gbt7714: z.string().regex(/\[(EB\/OL|N|N\/OL)\]/u).regex(/\.$/u),
        ris: z.string().regex(/^TY {2}- (ELEC|NEWS|GOVDOC)\r\n[\s\S]*ER {2}- \r\n$/u),
        bibtex: z.string().regex(/^@(online|article)\{dj:[\w:-]+,\n[\s\S]*\n\}\n$/u),
      })
      .strict(),
  })
  .strict()
  .refine((a) => a.pages === null || a.pages.length === a.body.split("\n").length, "pages: one per paragraph");

/** GET /api/trends: one series per q, each array one value per bucket. */
export const trendsResponseSchema = z
  .object({
    by: z.enum(["year", "month"]),
    buckets: z.array(z.string().regex(/^\d{4}(-\d{2})?$/u)),
    totals: z.array(z.number().int().nonnegative()),
    series: z
      .array(
        z
          .object({
            q: z.string().min(1),
            articles: z.array(z.number().int().nonnegative()),
            occurrences: z.array(z.number().int().nonnegative()),
            share: z.array(z.number().min(0).max(1)),
          })
          .strict(),
      )
      .min(1)
      .max(5),
  })
  .strict()
  .refine((t) => t.totals.length === t.buckets.length && t.series.every((s) => [s.articles, s.occurrences, s.share].every((a) => a.length === t.buckets.length)), "one value per bucket")
  .refine((t) => t.series.every((s) => s.articles.every((n, i) => n <= t.totals[i])), "articles within totals");
