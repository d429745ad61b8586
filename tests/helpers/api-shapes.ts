// The documented response shapes (README "Interfaces"), as zod schemas: the
// fuzzers check every body against them, not just that it parses.
import { z } from "zod";

const parts = z.array(z.object({ text: z.string(), match: z.boolean() }).strict());
const facet = z.array(z.object({ value: z.string(), count: z.number().int().positive() }).strict());

export const searchResponseSchema = z
  .object({
    query: z.object({ normalized: z.string(), words: z.array(z.string()), phrases: z.array(z.string()), excluded: z.array(z.string()) }).strict(),
    total: z.number().int().nonnegative(),
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
          date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/u).nullable(),
          url: z.string().nullable(),
          snippets: z.array(parts),
          score: z.number().nullable(),
        })
        .strict(),
    ),
    facets: z.object({ authors: facet, sources: facet, years: facet }).strict(),
  })
  .strict();

export const errorSchema = z.object({ error: z.string().min(1), param: z.string().optional(), limit: z.number().optional() }).strict();
